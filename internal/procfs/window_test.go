package procfs

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"timeslice/internal/mono"
	"timeslice/model"
)

var (
	runnable = Call{Runnable: true, Number: -1}
	inFutex  = Call{Number: 202, Reason: model.ReasonLock}
	inEpoll  = Call{Number: 232, Reason: model.ReasonIO}
)

// windows reads a thread window by window: each reading's run and wait growth and the call it
// ended in, one millisecond apart, starting runnable.
func windows(steps ...reading) []window {
	var ws []window
	at, prev := int64(0), runnable
	for _, r := range steps {
		r.from, r.at, r.startCall = at, at+ms, prev
		ws = addWindow(ws, r)
		at, prev = r.at, r.endCall
	}
	return ws
}

// states draws ws as their intervals' states and reasons: "running", "ready lock", "mixed".
func states(ws []window) []string {
	var out []string
	for _, w := range ws {
		iv := w.interval(0)
		s := iv.State.String()
		if iv.Reason != model.ReasonNone {
			s += " " + iv.Reason.String()
		}
		out = append(out, s)
	}
	return out
}

func TestLateRunFillsTheWindowsBeforeIt(t *testing.T) {
	// The kernel counted nothing for two windows of a runnable thread, then three at once.
	ws := windows(
		reading{endCall: runnable},
		reading{endCall: runnable},
		reading{run: 3 * ms, endCall: runnable, core: 1},
	)
	got := states(ws)
	if want := []string{"running", "running", "running"}; !slices.Equal(got, want) {
		t.Fatalf("states %v, want %v", got, want)
	}
}

func TestLateQueueFillsTheEarliestWindows(t *testing.T) {
	// Runnable and counted nothing for two windows, then a window run whole with two windows'
	// wait for a core: it queued, then ran.
	ws := windows(
		reading{endCall: runnable},
		reading{endCall: runnable},
		reading{run: ms, wait: 2 * ms, endCall: runnable},
	)
	got := states(ws)
	if want := []string{"ready core", "ready core", "running"}; !slices.Equal(got, want) {
		t.Fatalf("states %v, want %v", got, want)
	}
}

func TestBlockedWindowsSayWhy(t *testing.T) {
	ws := windows(
		reading{endCall: inFutex},  // blocked by its end: waits on the lock
		reading{endCall: inFutex},  // asleep all through
		reading{endCall: inEpoll},  // (a different call: still blocked all through)
		reading{endCall: runnable}, // woke: not counted yet, taken as still blocked
	)
	got := states(ws)
	if want := []string{"ready lock", "ready lock", "waiting io", "waiting io"}; !slices.Equal(got, want) {
		t.Fatalf("states %v, want %v", got, want)
	}
}

func TestAWindowOfTwoStatesIsMixed(t *testing.T) {
	ws := windows(reading{run: ms / 2, endCall: inFutex, core: 1})
	iv := ws[0].interval(0)
	if iv.State != model.StateMixed || iv.RunShare != 0.5 || iv.ReadyShare != 0.5 || iv.Reason != model.ReasonLock || iv.Core != 1 {
		t.Fatalf("half run, then blocked on the lock: %+v", iv)
	}
	ws = windows(reading{run: ms / 4, wait: ms / 4, endCall: inEpoll})
	iv = ws[0].interval(0)
	if iv.State != model.StateMixed || iv.RunShare != 0.25 || iv.ReadyShare != 0.25 || iv.Reason != model.ReasonIO {
		t.Fatalf("a quarter run, a quarter queued, then blocked on I/O: %+v", iv)
	}
	if run, ready, wait := iv.Shares(iv.Duration()); run+ready+wait != iv.Duration() || wait != time.Duration(ms/2) {
		t.Errorf("shares %v %v %v of %v", run, ready, wait, iv.Duration())
	}
}

func TestLateAmountsStopAtABlockedWindow(t *testing.T) {
	ws := windows(
		reading{endCall: runnable},
		reading{run: ms / 2, endCall: inFutex}, // blocked: counters up to date
		reading{endCall: runnable},
		reading{run: 5 * ms, wait: 5 * ms, endCall: runnable}, // far more than the open time
	)
	got := states(ws)
	if want := []string{"ready core", "mixed lock", "running", "running"}; !slices.Equal(got, want) {
		t.Fatalf("states %v, want %v", got, want)
	}
	if n := settle(ws); n != 2 {
		t.Errorf("settled %d windows, want the two up to the blocked one", n)
	}
	var run int64
	for _, w := range ws {
		run += w.run
		if w.run+w.queue+w.block+w.open != w.at-w.from {
			t.Errorf("window %+v does not add up", w)
		}
	}
	if run > 5*ms+ms/2 {
		t.Errorf("placed %v of run, more than the kernel counted", time.Duration(run))
	}
}

func TestOpenWindowsSettleAfterAWhile(t *testing.T) {
	var steps []reading
	for range maxOpenWindows + 10 {
		steps = append(steps, reading{run: ms, endCall: runnable})
	}
	ws := windows(steps...)
	if n := settle(ws); n != 10 {
		t.Fatalf("settled %d of %d windows that nothing closed, want the 10 beyond %d", n, len(ws), maxOpenWindows)
	}
}

func TestTreeSamplerFollowsChildProcesses(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	cmd := exec.Command(sh, "-c", "sleep 0.4 & sleep 0.4; wait")
	start := mono.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := NewTreeSampler(cmd.Process.Pid, start, TreeConfig{})
	s.Start()
	cmd.Wait()
	s.Stop()
	s.Round()
	s.SettleAll()
	tasks := s.Tasks()
	var names []string
	sleeping := 0
	for _, tk := range tasks {
		names = append(names, tk.Name)
		tl := tk.Tally(0, time.Second)
		if strings.HasPrefix(tk.Name, "sleep ") && tl.IO > 200*time.Millisecond {
			sleeping++
		}
		if tk.Kind != model.KindProcess || tk.PID != tk.TID {
			t.Errorf("lane %q: kind %s, pid %d tid %d; every process here has one thread", tk.Name, tk.Kind, tk.PID, tk.TID)
		}
		if last := tk.Intervals[len(tk.Intervals)-1]; last.End > time.Duration(mono.Now()-start) {
			t.Errorf("lane %q ends at %v, after now", tk.Name, last.End)
		}
	}
	if len(tasks) != 3 || sleeping != 2 {
		t.Errorf("lanes %v with %d sleeping on a timer, want the shell and its two sleeps", names, sleeping)
	}
	if err := model.Check(&model.Run{Tasks: tasks}, 64); err != nil {
		t.Error(err)
	}
	if st := s.Stats(); st.Rounds < 20 || st.Busy <= 0 {
		t.Errorf("stats %+v: fewer rounds than a 0.4 s run at most 25 ms apart has", st)
	}
}

func TestTreeSamplerWithoutSyscallOrWchan(t *testing.T) {
	fp := newFakeProc(t)
	const pid = 300
	dir := fmt.Sprintf("%d/task/%d/", pid, pid)
	fp.write(dir+"schedstat", "0 0 1\n")
	fp.write(dir+"stat", statLine(pid, 'S', 0))
	fp.write(dir+"children", "")
	for _, f := range []string{"syscall", "wchan"} { // unreadable: a directory reads as an error
		if err := os.MkdirAll(filepath.Join(fp.root, dir, f), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var clk fakeClock
	clk.set(1000 * ms)
	s := NewTreeSampler(pid, 1000*ms, TreeConfig{Root: fp.root, Now: clk.now})
	s.Round()
	clk.add(10 * ms)
	s.Round()
	s.SettleAll()
	tasks := s.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("lanes %+v", tasks)
	}
	last := tasks[0].Intervals[len(tasks[0].Intervals)-1]
	if last.State != model.StateWaiting || last.Reason != model.ReasonNone {
		t.Errorf("a sleeping thread whose call cannot be read: %s (%s), want waiting for no known reason", last.State, last.Reason)
	}
	if err := s.Err(); err == nil || !strings.Contains(err.Error(), "why a blocked thread waits cannot be read") {
		t.Errorf("Err() = %v", err)
	}
}

func TestLanesHandedOutNeverChange(t *testing.T) {
	fp := newFakeProc(t)
	const pid = 300
	dir := fmt.Sprintf("%d/task/%d/", pid, pid)
	fp.write(dir+"stat", statLine(pid, 'S', 0))
	fp.write(dir+"children", "")
	fp.write(dir+"syscall", fmt.Sprintf("%d 0x0 0x0\n", lockNumber()))
	fp.write(dir+"wchan", "futex_do_wait\n")
	var clk fakeClock
	clk.set(1000 * ms)
	s := NewTreeSampler(pid, 1000*ms, TreeConfig{Root: fp.root, Now: clk.now})
	var run int64
	round := func() {
		fp.write(dir+"schedstat", fmt.Sprintf("%d 0 1\n", run))
		clk.add(ms)
		s.Round()
	}
	for range 3 {
		round()
	}
	first := s.Tasks()[0].Intervals
	kept := slices.Clone(first)
	run += ms / 2 // it ran a little: a mixed window, then blocked ones again
	for range 5 {
		round()
	}
	later := s.Tasks()[0].Intervals
	if !slices.Equal(first, kept) {
		t.Fatalf("intervals handed out changed: %v, were %v", first, kept)
	}
	if len(later) <= len(first) || !slices.Equal(later[:len(first)], first) {
		t.Fatalf("later lanes %v do not go on from the earlier %v", later, first)
	}
	if err := model.Check(&model.Run{Tasks: s.Tasks()}, 1); err != nil {
		t.Error(err)
	}
}

// BenchmarkTreeRound is one round of a TreeSampler over CPython computing on four threads under
// the GIL (five threads in all): what reading a watched program costs the observer each time.
//
//	go test ./internal/procfs -run '^$' -bench TreeRound
func BenchmarkTreeRound(b *testing.B) {
	py, err := exec.LookPath("python3")
	if err != nil {
		b.Skip("no python3")
	}
	cmd := exec.Command(py, "-c", `
import threading
def spin():
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003
for _ in range(4):
    threading.Thread(target=spin, daemon=True).start()
threading.Event().wait()
`)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	s := NewTreeSampler(cmd.Process.Pid, mono.Now(), TreeConfig{})
	defer s.Stop()
	for len(s.Tasks()) < 5 { // until the four threads have started
		s.Round()
		time.Sleep(10 * time.Millisecond)
	}
	b.ResetTimer()
	for range b.N {
		s.Round()
	}
	b.StopTimer()
	st := s.Stats()
	b.ReportMetric(float64(st.Busy)/float64(st.Rounds)/1e3, "cpu-µs/round")
}
