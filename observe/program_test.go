package observe

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"timeslice/model"
	"timeslice/scenarios"
)

// watchedCommand is the hidden command under which the test binary plays a program to watch,
// for machines without python3: one thread computes, one sleeps on a timer.
const watchedCommand = "__watched"

// watchedMain is the program watchedCommand runs: it prints, computes 150 ms of CPU time on
// one thread while another sleeps 300 ms, prints again and exits with status 3.
func watchedMain() int {
	os.Stdout.WriteString("started\n")
	done := make(chan struct{}, 2)
	go func() {
		runtime.LockOSThread()
		x := 1
		for threadCPU() < 150*time.Millisecond { // CPU time, however busy the machine
			for range 10000 {
				x = x*31 + 7
			}
		}
		done <- struct{}{}
		_ = x
	}()
	go func() {
		runtime.LockOSThread()
		ts := unix.NsecToTimespec(int64(300 * time.Millisecond))
		unix.Nanosleep(&ts, nil)
		done <- struct{}{}
	}()
	<-done
	<-done
	os.Stdout.WriteString("finished\n")
	return 3
}

// threadCPU is the calling thread's CPU time.
func threadCPU() time.Duration {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}

// watchTo runs program argv to its end and returns its final Run.
func watchTo(t *testing.T, argv ...string) *model.Run {
	t.Helper()
	prog, err := scenarios.Program(argv)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := runner(t).Watch(prog)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	var last *model.Run
	timeout := time.After(30 * time.Second)
	for {
		select {
		case r, ok := <-sess.Updates():
			if !ok {
				if last == nil || !last.Finished {
					t.Fatal("the session ended without a finished run")
				}
				return last
			}
			if err := model.Check(r, runtime.NumCPU()); err != nil {
				t.Errorf("at %v: %v", r.Elapsed, err)
			}
			last = r
		case <-timeout:
			t.Fatal("the program did not finish in 30 s")
		}
	}
}

// ownLanes are the lanes of r's first process: the program's own threads, not those of what it
// started (a launcher such as pyenv's starts a few shells first).
func ownLanes(r *model.Run) []model.Task {
	var out []model.Task
	for _, tk := range r.Tasks {
		if tk.PID == r.Tasks[0].PID {
			out = append(out, tk)
		}
	}
	return out
}

// gilProgram is CPython computing on two threads that share the GIL, then printing.
const gilProgram = `
import threading
def spin():
    x = 0
    for _ in range(1_500_000):
        x = (x * 31 + 7) % 1_000_003
ts = [threading.Thread(target=spin) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
print("done")
`

func TestWatchCPythonThreadsTakeTurnsOnTheLock(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3: TestWatchAProgramOfOurOwn watches a program instead")
	}
	r := watchTo(t, py, "-c", gilProgram)
	if r.Err != "" || r.ExitCode != 0 || !slices.Equal(lineTexts(r), []string{"done"}) {
		t.Fatalf("err %q, exit %d, lines %q", r.Err, r.ExitCode, lineTexts(r))
	}
	lanes := ownLanes(r)
	if len(lanes) != 3 || lanes[0].Kind != model.KindProcess || lanes[1].Kind != model.KindThread {
		t.Fatalf("lanes %+v, want the main thread and two workers", lanes)
	}
	var lock time.Duration
	for _, tk := range lanes[1:] {
		tl := tk.Tally(0, r.Wall)
		if tl.Running < 20*time.Millisecond {
			t.Errorf("%s ran %v: each worker computes", tk.Name, tl.Running)
		}
		lock += tl.Lock
	}
	if lock <= 0 {
		t.Errorf("the workers never waited on the lock")
	}
	if r.CPU <= 0 || r.Wall <= 0 || r.Sampling == nil || r.Sampling.Rounds < 10 {
		t.Errorf("wall %v, CPU %v, sampling %+v", r.Wall, r.CPU, r.Sampling)
	}
}

func TestWatchAProgramOfOurOwn(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r := watchTo(t, exe, watchedCommand)
	if r.Err != "" || r.ExitCode != 3 || !slices.Equal(lineTexts(r), []string{"started", "finished"}) {
		t.Fatalf("err %q, exit %d, lines %q", r.Err, r.ExitCode, lineTexts(r))
	}
	var ran, slept bool
	for _, tk := range r.Tasks {
		tl := tk.Tally(0, r.Wall)
		ran = ran || tl.Running > 140*time.Millisecond
		slept = slept || tl.IO > 200*time.Millisecond
	}
	if !ran || !slept {
		t.Errorf("no lane computed (%v) or slept on a timer (%v): %+v", ran, slept, r.Tasks)
	}
}

func TestWatchCommandNotFound(t *testing.T) {
	prog, _ := scenarios.Program([]string{"timeslice-no-such-command"})
	if _, err := runner(t).Watch(prog); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
}

func TestStopKillsTheWholeProgram(t *testing.T) {
	prog, _ := scenarios.Program([]string{"sh", "-c", "sleep 30 & sleep 30"})
	sess, err := runner(t).Watch(prog)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	for r := range sess.Updates() {
		if len(r.Tasks) >= 3 { // the shell and both sleeps are running
			pid = r.Tasks[0].PID
			break
		}
	}
	sess.Stop()
	if pid == 0 {
		t.Fatal("never saw the shell and its two sleeps")
	}
	if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("after Stop, the program's group %d is still there (%v)", pid, err)
	}
}

func lineTexts(r *model.Run) []string {
	var out []string
	for _, l := range r.Lines {
		out = append(out, l.Text)
	}
	return out
}
