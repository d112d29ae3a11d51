package procfs

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"timeslice/internal/mono"
	"timeslice/model"
)

const ms = int64(time.Millisecond)

// fakeProc is a proc tree in a temporary directory that a test rewrites between rounds.
type fakeProc struct {
	t    *testing.T
	root string
}

func newFakeProc(t *testing.T) *fakeProc { return &fakeProc{t: t, root: t.TempDir()} }

func (f *fakeProc) write(rel, text string) {
	f.t.Helper()
	path := filepath.Join(f.root, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// statLine is a stat file with the given state and processor (field 39), of a process with one
// thread.
func statLine(id int, state byte, cpu int) string { return statLineThreads(id, state, cpu, 1) }

// statLineThreads is a stat file with the given state, processor and thread count (field 20).
func statLineThreads(id int, state byte, cpu, threads int) string {
	return fmt.Sprintf("%d (worker) %c 1 %d 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 %d 0 100 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 17 %d 0 0 0 0 0 0 0 0 0 0 0 0 0\n", id, state, id, threads, cpu)
}

// thread sets one thread's counters (ns), core and switch counts, and the process's stat.
func (f *fakeProc) thread(pid, tid int, run, wait int64, cpu, vol, invol int) {
	dir := fmt.Sprintf("%d/task/%d/", pid, tid)
	f.write(dir+"schedstat", fmt.Sprintf("%d %d 1\n", run, wait))
	f.write(dir+"stat", statLine(tid, 'S', cpu))
	f.write(dir+"status", fmt.Sprintf("Name:\tworker\nvoluntary_ctxt_switches:\t%d\nnonvoluntary_ctxt_switches:\t%d\n", vol, invol))
	if _, err := os.Stat(filepath.Join(f.root, fmt.Sprint(pid), "stat")); err != nil {
		f.write(fmt.Sprintf("%d/stat", pid), statLine(pid, 'S', 0))
	}
}

// state sets a thread's state letter (threads start sleeping, S).
func (f *fakeProc) state(pid, tid int, state byte, cpu int) {
	f.write(fmt.Sprintf("%d/task/%d/stat", pid, tid), statLine(tid, state, cpu))
}

func (f *fakeProc) remove(rel string) {
	f.t.Helper()
	if err := os.RemoveAll(filepath.Join(f.root, rel)); err != nil {
		f.t.Fatal(err)
	}
}

// fakeClock is a CLOCK_MONOTONIC stand-in that tests move by hand.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() int64   { return c.ns.Load() }
func (c *fakeClock) set(at int64) { c.ns.Store(at) }
func (c *fakeClock) add(d int64)  { c.ns.Add(d) }
func (c *fakeClock) config(root string) procConfig {
	return procConfig{Root: root, Period: 20 * time.Millisecond, Now: c.now}
}

func TestProcessTasksClassification(t *testing.T) {
	fp := newFakeProc(t)
	var clk fakeClock
	const pid, tid = 300, 300
	s := newProcSampler(0, clk.config(fp.root))
	var run, wait int64
	step := func(dRun, dWait int64, cpu int) {
		run, wait = run+dRun, wait+dWait
		fp.thread(pid, tid, run, wait, cpu, 1, 1)
	}
	clk.set(1000 * ms)
	step(5*ms, 1*ms, 0) // counters before the first sample are not in the totals
	s.Watch("worker", pid)
	for _, w := range []struct{ dRun, dWait int64 }{
		{18 * ms, 1 * ms}, // 20 ms: running
		{18 * ms, 1 * ms}, // 40 ms: running
		{4 * ms, 15 * ms}, // 60 ms: ready
		{0, 0},            // 80 ms: nothing changed
		{0, 0},            // 100 ms: nothing changed
		{1 * ms, 0},       // 120 ms: waiting (neither grew by much)
		{7 * ms, 6 * ms},  // 140 ms: 7 ms run, 6 ms queued, 7 ms idle: shared
		{12 * ms, 0},      // 160 ms: 12 ms run, 8 ms idle: shared
	} {
		clk.add(20 * ms)
		step(w.dRun, w.dWait, 1)
		s.SampleNow()
	}
	// From here the thread is runnable (R) and makes no voluntary switch: whatever it does not
	// run, it spends queued, though the kernel adds that wait only when it next gets a core.
	for _, w := range []struct{ dRun, dWait int64 }{
		{10 * ms, 0},      // 180 ms: running half the window: shared with waiting
		{0, 0},            // 200 ms: queued throughout, not yet counted by the kernel: ready
		{5 * ms, 35 * ms}, // 220 ms: queued 15 ms, then ran 5 ms; the kernel adds 35 ms: ready
	} {
		clk.add(20 * ms)
		step(w.dRun, w.dWait, 1)
		fp.state(pid, tid, 'R', 1)
		s.SampleNow()
	}
	clk.add(20 * ms)
	fp.remove(fmt.Sprint(pid)) // 240 ms: gone
	s.SampleNow()
	clk.add(20 * ms)
	s.SampleNow() // 260 ms: Done runs to the latest round

	d := func(n int64) time.Duration { return time.Duration(n * ms) }
	// A window spent in more than one state is one mixed interval with the kernel's shares,
	// never running first and ready after: the order inside a window is not known. Windows
	// that continue one another with the same shares are one interval.
	mixed := func(from, to int64, run, ready float32) model.Interval {
		return model.Interval{Start: d(from), End: d(to), State: model.StateMixed, Core: 1, Thread: tid,
			Source: model.SourceSampled, RunShare: run, ReadyShare: ready}
	}
	want := []model.Interval{
		mixed(0, 40, 0.9, 0.05),
		mixed(40, 60, 0.2, 0.75),
		{Start: d(60), End: d(100), State: model.StateWaiting, Core: model.NoCore, Source: model.SourceSampled},
		mixed(100, 120, 0.05, 0),
		mixed(120, 140, 0.35, 0.3),
		mixed(140, 160, 0.6, 0),
		mixed(160, 180, 0.5, 0),
		// Runnable all through a window it did not run in: ready, for a core.
		{Start: d(180), End: d(200), State: model.StateReady, Reason: model.ReasonCore, Core: model.NoCore, Source: model.SourceSampled},
		mixed(200, 220, 0.25, 0.75),
		{Start: d(240), End: d(260), State: model.StateDone, Core: model.NoCore, Source: model.SourceSampled},
	}
	tasks := s.ProcessTasks(1000 * ms)
	if len(tasks) != 1 || tasks[0].Name != "worker" || tasks[0].Kind != model.KindProcess {
		t.Fatalf("tasks: %+v", tasks)
	}
	if got := tasks[0].Intervals; !reflect.DeepEqual(got, want) {
		t.Errorf("intervals:\n got %+v\nwant %+v", got, want)
	}
	gotRun, gotWait := s.processTotals("worker")
	if gotRun != 75*time.Millisecond || gotWait != 58*time.Millisecond {
		t.Errorf("totals: %v, %v; want 75ms, 58ms", gotRun, gotWait)
	}
	var queued int64
	for _, smp := range s.processHistory("worker")[1:] {
		queued += smp.Queued
	}
	if queued != 58*ms {
		t.Errorf("queued time attributed to windows adds up to %v, want the kernel's 58ms", time.Duration(queued))
	}
	if r, w := s.processTotals("nobody"); r != 0 || w != 0 {
		t.Errorf("totals of an unknown name: %v, %v", r, w)
	}
	// Cut at a later start: the first 50 ms are dropped and times shift.
	late := s.ProcessTasks(1050 * ms)[0].Intervals
	if late[0] != mixed(0, 10, 0.2, 0.75) {
		t.Errorf("cut off start: %+v", late[0])
	}
	if err := s.lastErr(); err != nil {
		t.Errorf("Err: %v", err)
	}
}

func TestProcessTasksZombieAndThreads(t *testing.T) {
	fp := newFakeProc(t)
	var clk fakeClock
	s := newProcSampler(0, clk.config(fp.root))
	fp.thread(400, 400, 0, 0, 0, 0, 0)
	fp.thread(400, 401, 0, 0, 0, 0, 0)
	s.Watch("pool", 400)
	// Two threads at once: 30 ms of CPU in a 20 ms window; the one that ran most names the core.
	clk.add(20 * ms)
	fp.thread(400, 400, 10*ms, 0, 0, 3, 1)
	fp.thread(400, 401, 20*ms, 0, 1, 5, 2)
	s.SampleNow()
	// Thread 401 exits; its switch counts stay in the sums.
	clk.add(20 * ms)
	fp.remove("400/task/401")
	fp.thread(400, 400, 25*ms, 0, 0, 4, 1)
	s.SampleNow()
	// The main thread is a zombie: the process is done.
	clk.add(20 * ms)
	fp.state(400, 400, 'Z', 0)
	s.SampleNow()
	clk.add(20 * ms)
	s.SampleNow()

	want := []model.Interval{
		{Start: 0, End: time.Duration(20 * ms), State: model.StateRunning, Core: 1, Thread: 401, Source: model.SourceSampled},
		{Start: time.Duration(20 * ms), End: time.Duration(40 * ms), State: model.StateMixed, Core: 0, Thread: 400,
			Source: model.SourceSampled, RunShare: 0.75},
		{Start: time.Duration(60 * ms), End: time.Duration(80 * ms), State: model.StateDone, Core: model.NoCore, Source: model.SourceSampled},
	}
	if got := s.ProcessTasks(0)[0].Intervals; !reflect.DeepEqual(got, want) {
		t.Errorf("intervals:\n got %+v\nwant %+v", got, want)
	}
	if run, _ := s.processTotals("pool"); run != 45*time.Millisecond {
		t.Errorf("run total %v, want 45ms", run)
	}
	if vol, invol := s.Switches(400); vol != 9 || invol != 3 {
		t.Errorf("Switches: %d, %d; want 9, 3", vol, invol)
	}
	// Sampling stops once a process is done, even if its pid comes back.
	fp.state(400, 400, 'R', 0)
	clk.add(20 * ms)
	s.SampleNow()
	if h := s.processHistory("pool"); len(h) != 4 || !h[3].Done {
		t.Errorf("history after done: %+v", h)
	}
}

func TestWatchGoneAtOnce(t *testing.T) {
	fp := newFakeProc(t)
	var clk fakeClock
	s := newProcSampler(0, clk.config(fp.root))
	s.Watch("ghost", 999)
	s.Watch("ghost", 1) // a name is watched once
	h := s.processHistory("ghost")
	if len(h) != 1 || !h[0].Done {
		t.Errorf("history: %+v", h)
	}
	if s.lastErr() != nil {
		t.Errorf("an exited process is not an error: %v", s.lastErr())
	}
}

// childWithCores samples a child thread whose core changes: rounds at 20, 40, ... ms with the
// given cores, NoCore meaning the thread did not run in that window.
func childWithCores(t *testing.T, cores ...int) *ProcSampler {
	fp := newFakeProc(t)
	var clk fakeClock
	const pid, tid = 500, 501
	fp.thread(pid, pid, 1*ms, 0, 0, 0, 0)
	fp.thread(pid, tid, 1*ms, 0, 0, 0, 0)
	s := newProcSampler(pid, clk.config(fp.root))
	s.SampleNow()
	run := 1 * ms
	for _, c := range cores {
		clk.add(20 * ms)
		if c != model.NoCore {
			run += 10 * ms
			fp.thread(pid, tid, run, 0, c, 0, 0)
		}
		s.SampleNow()
	}
	return s
}

func TestThreadCore(t *testing.T) {
	s := childWithCores(t, 0, 0, 1, model.NoCore, 1, 0)
	tests := []struct {
		name     string
		tid      int
		from, to int64
		core     int
		ok       bool
	}{
		{"samples inside agree", 501, 15 * ms, 45 * ms, 0, true},
		{"samples inside disagree", 501, 35 * ms, 65 * ms, model.NoCore, false},
		{"short interval, next sample grew", 501, 30 * ms, 31 * ms, 0, true},
		{"short interval, next sample grew after a gap", 501, 85 * ms, 95 * ms, 1, true},
		{"short interval, thread did not run in the next round", 501, 61 * ms, 70 * ms, model.NoCore, false},
		{"after the last sample", 501, 125 * ms, 130 * ms, model.NoCore, false},
		{"unknown thread", 777, 15 * ms, 45 * ms, model.NoCore, false},
		{"empty window", 501, 45 * ms, 15 * ms, model.NoCore, false},
	}
	for _, tt := range tests {
		core, ok := s.ThreadCore(tt.tid, tt.from, tt.to)
		if core != tt.core || ok != tt.ok {
			t.Errorf("%s: got %d, %v; want %d, %v", tt.name, core, ok, tt.core, tt.ok)
		}
	}
	if got := s.threadIDs(); !reflect.DeepEqual(got, []int{500, 501}) {
		t.Errorf("ThreadIDs: %v", got)
	}
	// Unchanged rounds are not stored: 1 first sample + 5 that grew.
	if h := s.threadHistory(501); len(h) != 6 || h[4].From != 80*ms || h[4].At != 100*ms {
		t.Errorf("history: %+v", h)
	}
}

func TestChildSwitchesKeepExitedThreads(t *testing.T) {
	fp := newFakeProc(t)
	var clk fakeClock
	fp.thread(600, 600, 1*ms, 0, 0, 2, 1)
	fp.thread(600, 601, 1*ms, 0, 0, 10, 20)
	s := newProcSampler(600, clk.config(fp.root))
	s.SampleNow()
	fp.remove("600/task/601")
	clk.add(20 * ms)
	s.SampleNow()
	if vol, invol := s.Switches(600); vol != 12 || invol != 21 {
		t.Errorf("Switches: %d, %d; want 12, 21", vol, invol)
	}
	fp.remove("600")
	clk.add(20 * ms)
	s.SampleNow()
	if vol, invol := s.Switches(600); vol != 12 || invol != 21 || s.lastErr() != nil {
		t.Errorf("after exit: %d, %d, %v", vol, invol, s.lastErr())
	}
}

func TestUnavailableProcKeepsGoing(t *testing.T) {
	fp := newFakeProc(t)
	var clk fakeClock
	root := filepath.Join(fp.root, "proc")
	s := newProcSampler(700, clk.config(root))
	s.Watch("w", 701)
	s.SampleNow()
	err := s.lastErr()
	if err == nil || !strings.Contains(err.Error(), "proc unavailable at") {
		t.Fatalf("Err = %v, want it to say /proc is unavailable", err)
	}
	if h := s.processHistory("w"); len(h) != 0 {
		t.Errorf("unreadable /proc must not mark a process done: %+v", h)
	}
	fp.root = root
	fp.thread(700, 700, 1*ms, 0, 0, 0, 0)
	fp.thread(701, 701, 1*ms, 0, 0, 0, 0)
	clk.add(20 * ms)
	s.SampleNow()
	if s.lastErr() != nil || len(s.processHistory("w")) != 1 || len(s.threadHistory(700)) != 1 {
		t.Errorf("after /proc came back: err %v", s.lastErr())
	}
}

func TestStartStop(t *testing.T) {
	newProcSampler(0, procConfig{}).Stop() // Stop without Start returns

	fp := newFakeProc(t)
	fp.thread(800, 800, 1*ms, 0, 0, 0, 0)
	s := newProcSampler(800, procConfig{Root: fp.root, Period: time.Millisecond})
	s.Start()
	s.Start()
	deadline := time.Now().Add(5 * time.Second)
	for len(s.threadHistory(800)) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	s.Stop()
	s.Stop()
	s.Start() // after Stop: nothing
	if len(s.threadHistory(800)) != 1 {
		t.Errorf("history: %+v", s.threadHistory(800))
	}
}

// TestLiveSelf samples this test process while one goroutine spins on a locked thread.
func TestLiveSelf(t *testing.T) {
	pid := os.Getpid()
	s := newProcSampler(pid, procConfig{Period: 10 * time.Millisecond})
	s.Watch("self", pid)
	start := mono.Now()
	s.Start()
	// The thread spins for 150 ms of its own CPU time, however busy the machine is.
	tidc := make(chan int)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		tidc <- unix.Gettid()
		var ts unix.Timespec
		unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
		for from := ts.Nano(); ts.Nano()-from < int64(150*time.Millisecond); {
			unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
		}
		tidc <- 0
	}()
	tid := <-tidc
	<-tidc
	s.Stop()
	if err := s.lastErr(); err != nil {
		t.Fatal(err)
	}
	var cores int
	for _, smp := range s.threadHistory(tid) {
		if smp.CPU != model.NoCore {
			cores++
			if smp.CPU < 0 || smp.CPU >= runtime.NumCPU() {
				t.Errorf("core %d of %d", smp.CPU, runtime.NumCPU())
			}
			// A short interval right before a sample: the core is known from it.
			if c, ok := s.ThreadCore(tid, smp.At-ms, smp.At); !ok || c != smp.CPU {
				t.Errorf("ThreadCore at %d: %d, %v; want %d", smp.At, c, ok, smp.CPU)
			}
		}
	}
	if cores < 5 {
		t.Errorf("the spinning thread showed a core in %d samples", cores)
	}
	if run, _ := s.processTotals("self"); run < 100*time.Millisecond {
		t.Errorf("process run total %v over a 150 ms spin", run)
	}
	task := s.ProcessTasks(start)[0]
	if task.Totals().Running < 100*time.Millisecond || len(task.Cores()) == 0 {
		t.Errorf("self lane: %+v", task.Totals())
	}
	if vol, invol := s.Switches(pid); vol+invol == 0 {
		t.Error("no context switches counted")
	}
}

// BenchmarkSampleRound is one round over every thread of this process, as child and as watched.
func BenchmarkSampleRound(b *testing.B) {
	pid := os.Getpid()
	s := newProcSampler(pid, procConfig{})
	s.Watch("self", pid)
	for b.Loop() {
		s.SampleNow()
	}
}

// TestChildSwitchCountsAreReadAtTheEnd checks that the child's switch counts, read only now and
// then while the run goes on, are complete after SampleAll.
func TestChildSwitchCountsAreReadAtTheEnd(t *testing.T) {
	fp := newFakeProc(t)
	var clk fakeClock
	s := newProcSampler(500, clk.config(fp.root))
	fp.thread(500, 500, 0, 0, 0, 1, 0)
	s.SampleNow() // first sight: it has not run, so its counts are not read
	clk.add(20 * ms)
	fp.thread(500, 500, 10*ms, 0, 1, 7, 2)
	s.SampleNow() // it ran, but the counts wait for the next listing of threads
	if vol, _ := s.Switches(500); vol != 0 {
		t.Fatalf("mid-run voluntary switches %d: want none read yet", vol)
	}
	clk.add(20 * ms)
	fp.thread(500, 500, 15*ms, 0, 1, 9, 3)
	s.SampleAll()
	if vol, invol := s.Switches(500); vol != 9 || invol != 3 {
		t.Fatalf("after SampleAll: %d, %d; want 9, 3", vol, invol)
	}
}

// TestWatchedRoundReadsWhatItNeeds checks which files a round reads for a process shaped like
// a worker: a main thread that computes (always runnable), a helper thread that computes half
// of each window and sleeps, a monitor thread that wakes briefly between rounds, and an idle
// thread. Each round reads every thread's schedstat; the main thread's stat, once (it stands for
// the process's stat, which is never read); the helper's stat, for its core; and the switch
// counts of the runnable main thread. The monitor ran too little to show: neither its stat nor
// its status is read.
func TestWatchedRoundReadsWhatItNeeds(t *testing.T) {
	fp := newFakeProc(t)
	var clk fakeClock
	s := newProcSampler(0, clk.config(fp.root))
	reads := map[string]int{}
	s.fs.onRead = func(path string) {
		rel, _ := filepath.Rel(fp.root, path)
		reads[rel]++
	}
	const pid, helper, monitor, idle = 600, 601, 602, 603
	set := func(round int64) {
		fp.thread(pid, pid, round*20*ms, 0, 1, 1, int(round))
		fp.thread(pid, helper, round*10*ms, 0, 0, int(round), 0)
		fp.thread(pid, monitor, round*ms, 0, 0, int(5*round), 0)
		fp.thread(pid, idle, 0, 0, 0, 1, 0)
		fp.write(fmt.Sprintf("%d/task/%d/stat", pid, pid), statLineThreads(pid, 'R', 1, 4))
	}
	set(0)
	s.Watch("worker", pid)
	const rounds = 5
	clear(reads)
	for r := int64(1); r <= rounds; r++ {
		clk.add(20 * ms)
		set(r)
		s.SampleNow()
	}
	want := map[string]int{
		"600/task/600/stat": rounds, "600/task/600/schedstat": rounds, "600/task/600/status": rounds,
		"600/task/601/stat": rounds, "600/task/601/schedstat": rounds,
		"600/task/602/schedstat": rounds,
		"600/task/603/schedstat": rounds,
	}
	if !reflect.DeepEqual(reads, want) {
		t.Errorf("files read over %d rounds:\n got %v\nwant %v", rounds, reads, want)
	}
	// The main thread ran 20 ms in each 20 ms window and was never queued; its counts are read.
	if vol, invol := s.Switches(pid); invol != rounds {
		t.Errorf("switches %d, %d: want the main thread's %d involuntary ones read", vol, invol, rounds)
	}
}

// TestProcessIntervalsKeptMatchFresh checks that a process's intervals, classified a few new
// samples at a time as a live view asks for them, are those of its whole history classified at
// once: for every prefix of the history, with a change of start in the middle and a last sample
// that says the process is done.
func TestProcessIntervalsKeptMatchFresh(t *testing.T) {
	var samples []ProcSample
	var run int64
	at := int64(1_000 * ms)
	for i := range 120 {
		from := at
		if i%7 == 3 {
			from = at + 20*ms // the two rounds before changed nothing
			at = from
		}
		at += 40 * ms
		d := int64(i%5) * 10 * ms // 0 to 40 ms of CPU: every way a window splits
		run += d
		samples = append(samples, ProcSample{From: from, At: at, Run: run, Queued: int64(i%3) * 10 * ms, CPU: i % 2, TID: 7})
	}
	samples = append(samples, ProcSample{From: at, At: at + 40*ms, Run: run, CPU: model.NoCore, Done: true})
	kept := &history{}
	for n := 1; n <= len(samples); n++ {
		kept.samples = samples[:n]
		kept.seen = samples[n-1].At + 10*ms
		kept.done = samples[n-1].Done
		start := int64(1_200 * ms)
		if n > 60 {
			start = 1_500 * ms // a view whose start moved: nothing kept applies
		}
		last := samples[n-1].At + 5*ms
		fresh := &history{samples: kept.samples, seen: kept.seen, done: kept.done}
		got, want := kept.intervals(start, last), fresh.intervals(start, last)
		if reflect.DeepEqual(got, want) {
			continue
		}
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("after %d samples the kept intervals differ from interval %d on (%d against %d):\n got %+v\nwant %+v",
			n, i, len(got), len(want), got[i:], want[i:])
	}
}

// What the tests read of a sampler.

// threadIDs lists, in increasing order, every thread of the child seen so far.
func (s *ProcSampler) threadIDs() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	tids := make([]int, 0, len(s.threads))
	for tid := range s.threads {
		tids = append(tids, tid)
	}
	sort.Ints(tids)
	return tids
}

// threadHistory returns a copy of the stored samples of one thread of the child.
func (s *ProcSampler) threadHistory(tid int) []ProcSample {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.threads[tid]; h != nil {
		return append([]ProcSample(nil), h.samples...)
	}
	return nil
}

// processHistory returns a copy of the stored samples of a watched process.
func (s *ProcSampler) processHistory(name string) []ProcSample {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.find(name); w != nil {
		return append([]ProcSample(nil), w.hist.samples...)
	}
	return nil
}

// processTotals returns a watched process's on-CPU and run-queue time from its first sample to
// its last, exactly as the kernel counted them; zero for a name not watched.
func (s *ProcSampler) processTotals(name string) (run, wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.find(name)
	if w == nil || len(w.hist.samples) == 0 {
		return 0, 0
	}
	a, b := w.hist.samples[0], w.hist.samples[len(w.hist.samples)-1]
	return time.Duration(b.Run - a.Run), time.Duration(b.Wait - a.Wait)
}

// lastErr says why the latest sampling round could not read /proc, or nil if it could. A process
// that has exited is not an error.
func (s *ProcSampler) lastErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// find is the watched process called name, or nil.
func (s *ProcSampler) find(name string) *watched {
	for _, w := range s.procs {
		if w.name == name {
			return w
		}
	}
	return nil
}

// TestAfterRoundSeesEachRoundDone: the function given to AfterRound runs on the sampling
// goroutine after every round, and sees that round's readings.
func TestAfterRoundSeesEachRoundDone(t *testing.T) {
	s := newProcSampler(os.Getpid(), procConfig{Period: 5 * time.Millisecond})
	rounds := make(chan int64, 100)
	s.AfterRound(func() {
		s.mu.Lock()
		last := s.last
		s.mu.Unlock()
		select {
		case rounds <- last:
		default:
		}
	})
	s.Start()
	defer s.Stop()
	var prev int64
	for i := range 3 {
		select {
		case last := <-rounds:
			if last <= prev {
				t.Fatalf("call %d after a round saw the round at %d, not after the one before (%d)", i, last, prev)
			}
			prev = last
		case <-time.After(10 * time.Second):
			t.Fatalf("AfterRound's function was called %d times in 10 s", i)
		}
	}
}
