package procfs

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"timeslice/model"
)

// The trees under testdata/tree were copied from this machine's /proc while CPython 3.11 ran
// the programs in examples/python, twice, gap (a file) nanoseconds apart: "gil" is
// cpu_threads.py (four threads taking turns on the GIL, the main thread joining them),
// "asyncio" is io_asyncio.py (the event loop waiting in epoll_wait) and "sleep" io_threads.py
// (four threads in clock_nanosleep). Re-record them with
//
//	go test ./internal/procfs -run TestTreeFixtures -record
var record = flag.Bool("record", false, "record the /proc trees under testdata/tree from live CPython runs")

// treeFixtures are the recorded trees: the example each was recorded from.
var treeFixtures = map[string]string{
	"gil":     "cpu_threads.py",
	"asyncio": "io_asyncio.py",
	"sleep":   "io_threads.py",
}

// treeFiles are the files a TreeSampler reads of each thread.
var treeFiles = []string{"schedstat", "stat", "syscall", "wchan", "children"}

func TestTreeFixtures(t *testing.T) {
	if !*record {
		t.Skip("records the fixtures only with -record")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("recording needs python3")
	}
	for name, script := range treeFixtures {
		dir := filepath.Join("testdata", "tree", name)
		os.RemoveAll(dir)
		cmd := exec.Command(py, filepath.Join("..", "..", "examples", "python", script))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(600 * time.Millisecond) // the threads have started, and none has ended
		at0 := time.Now()
		copyTree(t, cmd.Process.Pid, filepath.Join(dir, "0"))
		time.Sleep(10 * time.Millisecond)
		gap := time.Since(at0)
		copyTree(t, cmd.Process.Pid, filepath.Join(dir, "1"))
		cmd.Process.Kill()
		cmd.Wait()
		os.WriteFile(filepath.Join(dir, "gap"), []byte(strconv.FormatInt(gap.Nanoseconds(), 10)+"\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "pid"), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644)
	}
}

// copyTree copies the files a TreeSampler reads of every thread of pid into dir.
func copyTree(t *testing.T, pid int, dir string) {
	t.Helper()
	tids, err := ProcFS{}.Threads(pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, tid := range tids {
		for _, f := range treeFiles {
			rel := filepath.Join(strconv.Itoa(pid), "task", strconv.Itoa(tid), f)
			b, err := os.ReadFile(filepath.Join("/proc", rel))
			if err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755)
			if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// readRecordedTree reads recorded tree name as a TreeSampler would: the first copy, then the
// second gap later. It returns the lanes and the recorded pid.
func readRecordedTree(t *testing.T, name string) ([]model.Task, int) {
	t.Helper()
	if runtime.GOARCH != "amd64" {
		t.Skip("the trees were recorded on amd64: their system call numbers are amd64's")
	}
	dir := filepath.Join("testdata", "tree", name)
	number := func(file string) int64 {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	pid, gap := int(number("pid")), number("gap")
	var clk fakeClock
	clk.set(1000 * ms)
	s := NewTreeSampler(pid, 1000*ms, TreeConfig{Root: filepath.Join(dir, "0"), Now: clk.now})
	s.Round()
	s.fs.Root = filepath.Join(dir, "1")
	clk.add(gap)
	s.Round()
	s.SettleAll()
	return s.Tasks(), pid
}

// lastInterval is the interval of the second window of the lane of tid.
func lastInterval(t *testing.T, tasks []model.Task, tid int) model.Interval {
	t.Helper()
	for _, tk := range tasks {
		if tk.TID == tid {
			return tk.Intervals[len(tk.Intervals)-1]
		}
	}
	t.Fatalf("no lane for thread %d", tid)
	return model.Interval{}
}

// recordedCalls reads what each thread's syscall file said in the second copy.
func recordedCalls(t *testing.T, name string, pid int) map[int]Call {
	t.Helper()
	fs := ProcFS{Root: filepath.Join("testdata", "tree", name, "1")}
	tids, err := fs.Threads(pid)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]Call{}
	for _, tid := range tids {
		c, err := fs.ReadThreadCall(pid, tid)
		if err != nil {
			t.Fatal(err)
		}
		out[tid] = c
	}
	return out
}

func TestRecordedGILThreadsWaitOnTheLock(t *testing.T) {
	tasks, pid := readRecordedTree(t, "gil")
	if len(tasks) != 5 {
		t.Fatalf("%d lanes, want the main thread and four workers: %+v", len(tasks), tasks)
	}
	if tasks[0].TID != pid || tasks[0].Kind != model.KindProcess || !strings.HasPrefix(tasks[0].Name, "python") {
		t.Errorf("first lane %q (%s), want the main thread %d as the process", tasks[0].Name, tasks[0].Kind, pid)
	}
	running, locked := 0, 0
	for tid, c := range recordedCalls(t, "gil", pid) {
		iv := lastInterval(t, tasks, tid)
		switch {
		case c.Runnable:
			running++
			if iv.State != model.StateRunning && (iv.State != model.StateMixed || iv.RunShare == 0) {
				t.Errorf("thread %d read runnable, drawn %s %+v", tid, iv.State, iv)
			}
		case c.Reason == model.ReasonLock:
			// Blocked in a futex when read: whatever of the window it did not run, it waited
			// on the lock or (before it blocked) for a core, never for I/O.
			locked++
			switch {
			case iv.State == model.StateReady && (iv.Reason == model.ReasonLock || iv.Reason == model.ReasonCore):
			case iv.State == model.StateMixed && iv.RunShare+iv.ReadyShare > 0.999:
			default:
				t.Errorf("thread %d blocked in a futex, drawn %s (%s) %+v", tid, iv.State, iv.Reason, iv)
			}
		default:
			t.Errorf("thread %d was neither runnable nor in a futex: %+v", tid, c)
		}
	}
	if running < 1 || locked < 3 {
		t.Errorf("%d runnable and %d waiting on the lock; the recording has one holding the GIL and the rest waiting", running, locked)
	}
}

func TestRecordedEventLoopWaitsForIO(t *testing.T) {
	tasks, pid := readRecordedTree(t, "asyncio")
	if len(tasks) != 1 {
		t.Fatalf("%d lanes, want asyncio's one thread", len(tasks))
	}
	c := recordedCalls(t, "asyncio", pid)[pid]
	if c.Runnable || c.Reason != model.ReasonIO {
		t.Fatalf("the event loop's call: %+v, want blocked in epoll_wait (I/O)", c)
	}
	if iv := lastInterval(t, tasks, pid); iv.State != model.StateWaiting || iv.Reason != model.ReasonIO {
		t.Errorf("the event loop, waiting on epoll, drawn %s (%s)", iv.State, iv.Reason)
	}
}

func TestRecordedSleepingThreadsWaitForATimer(t *testing.T) {
	tasks, pid := readRecordedTree(t, "sleep")
	if len(tasks) != 5 {
		t.Fatalf("%d lanes, want the main thread and four calls", len(tasks))
	}
	for tid, c := range recordedCalls(t, "sleep", pid) {
		iv := lastInterval(t, tasks, tid)
		if tid == pid { // the main thread joins: a lock
			if c.Reason != model.ReasonLock || iv.State != model.StateReady || iv.Reason != model.ReasonLock {
				t.Errorf("the joining main thread: call %+v, drawn %s (%s)", c, iv.State, iv.Reason)
			}
			continue
		}
		if c.Reason != model.ReasonSleep || iv.State != model.StateWaiting || iv.Reason != model.ReasonSleep {
			t.Errorf("sleeping thread %d: call %+v, drawn %s (%s)", tid, c, iv.State, iv.Reason)
		}
	}
}

func TestParseSyscall(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Call
		bad  bool
	}{
		{in: "running\n", want: Call{Runnable: true, Number: -1}},
		{in: "-1 0x0 0x0\n", want: Call{Number: -1}},
		{in: fmt.Sprintf("%d 0x7f 0x80 0x0 0x0 0x0 0x0 0x7ffc 0x7f9\n", lockNumber()), want: Call{Number: lockNumber(), Reason: model.ReasonLock}},
		{in: "", bad: true},
		{in: "walking 0x0\n", bad: true},
		{in: "-7 0x0\n", bad: true},
	} {
		got, err := ParseSyscall([]byte(tc.in))
		if tc.bad {
			if err == nil {
				t.Errorf("ParseSyscall(%q) = %+v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseSyscall(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

// lockNumber is a call number that waits on a lock on this machine (futex's), or -1 where
// none is known.
func lockNumber() int {
	n := -1
	for c := range lockCalls {
		if n < 0 || c < n {
			n = c
		}
	}
	return n
}

func TestParseWchan(t *testing.T) {
	for in, want := range map[string]Call{
		"0":                 {Runnable: true, Number: -1},
		"futex_do_wait":     {Number: -1, Reason: model.ReasonLock},
		"do_epoll_wait":     {Number: -1, Reason: model.ReasonIO},
		"do_sys_poll":       {Number: -1, Reason: model.ReasonIO},
		"pipe_read":         {Number: -1, Reason: model.ReasonIO},
		"hrtimer_nanosleep": {Number: -1, Reason: model.ReasonSleep},
		"do_wait":           {Number: -1},
	} {
		if got := ParseWchan([]byte(in)); got != want {
			t.Errorf("ParseWchan(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestLaneNames(t *testing.T) {
	for _, tc := range []struct {
		comm     string
		pid, tid int
		want     string
	}{
		{"python3", 4120, 4120, "python3 4120"},
		{"python3", 4120, 4123, "python 4120/4123"},
		{"python3", 41200, 41230, "pyth 41200/41230"},
		{"a-very-long-name", 7, 7, "a-very-long-na 7"},
	} {
		if got := laneName(tc.comm, tc.pid, tc.tid); got != tc.want {
			t.Errorf("laneName(%q, %d, %d) = %q, want %q", tc.comm, tc.pid, tc.tid, got, tc.want)
		}
	}
}
