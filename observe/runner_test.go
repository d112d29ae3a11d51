package observe

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"timeslice/internal/child"
	"timeslice/internal/osproc"
	"timeslice/internal/wire"
	"timeslice/model"
	"timeslice/scenarios"
)

// TestMain lets this test binary act as the child, the calibrator and the workers, as the
// real binary does, so these tests observe real child processes. With fakeChildEnv set, the
// child misbehaves in the way it names instead (see fakeChildMain).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case wire.ChildCommand:
			if fake := os.Getenv(fakeChildEnv); fake != "" {
				os.Exit(fakeChildMain(fake))
			}
			os.Exit(child.Main(os.Args[2:]))
		case wire.CalibrateCommand:
			os.Exit(child.CalibrateMain())
		case scenarios.WorkerCommand:
			os.Exit(scenarios.WorkerMain(os.Args[2:]))
		case watchedCommand:
			os.Exit(watchedMain())
		}
	}
	osproc.BecomeSubreaper() // as the program does: a stopped child's workers are reaped here
	// No test may leave a goroutine behind: every session's goroutines are stopped by Stop or
	// by the end of its run.
	goleak.VerifyTestMain(m)
}

// shortParams keep real runs brief: 150 ms calls, 3 ms of CPU per element.
func shortParams() scenarios.Params {
	p := scenarios.DefaultParams()
	p.Latency = 150 * time.Millisecond
	p.Work = 3 * time.Millisecond
	return p
}

var testRunner *Runner

func runner(t *testing.T) *Runner {
	t.Helper()
	if testRunner == nil {
		r, err := NewRunner()
		if err != nil {
			t.Fatal(err)
		}
		testRunner = r
	}
	return testRunner
}

// finalRun starts id on r, waits for the end, and returns the last Run it published, which
// must say it finished.
func finalRun(tb testing.TB, r *Runner, id string, p scenarios.Params) *model.Run {
	tb.Helper()
	sess, err := r.Start(id, p)
	if err != nil {
		tb.Fatal(err)
	}
	defer sess.Stop()
	var last *model.Run
	for run := range sess.Updates() {
		last = run
	}
	if last == nil || !last.Finished {
		tb.Fatalf("%s: no finished run: %+v", id, last)
	}
	return last
}

// runToEnd runs a scenario for real on the shared runner and returns its final Run, which must
// not have failed.
func runToEnd(t *testing.T, id string, p scenarios.Params) *model.Run {
	t.Helper()
	last := finalRun(t, runner(t), id, p)
	if last.Err != "" {
		t.Fatalf("%s: %s", id, last.Err)
	}
	return last
}

// spans are the intervals of one state, over all tasks or for one task.
func spans(tasks []model.Task, state model.State) [][]model.Interval {
	out := make([][]model.Interval, len(tasks))
	for i, t := range tasks {
		for _, iv := range t.All() {
			if iv.State == state {
				out[i] = append(out[i], iv)
			}
		}
	}
	return out
}

// overlap is how long intervals of different tasks were in the state at the same time, summed
// over pairs of tasks.
func overlap(per [][]model.Interval) time.Duration {
	var sum time.Duration
	for i := range per {
		for j := i + 1; j < len(per); j++ {
			for _, a := range per[i] {
				for _, b := range per[j] {
					if d := min(a.End, b.End) - max(a.Start, b.Start); d > 0 {
						sum += d
					}
				}
			}
		}
	}
	return sum
}

func taskNames(r *model.Run) []string {
	var names []string
	for _, t := range r.Tasks {
		names = append(names, t.Name)
	}
	return names
}

func TestIOWaitsOverlapOnlyWhenConcurrent(t *testing.T) {
	p := shortParams()
	want := []string{"call 1", "call 2", "call 3", "call 4"}
	for _, id := range []string{"io-sequential", "io-threads", "io-asyncio"} {
		r := runToEnd(t, id, p)
		if got := taskNames(r); !slices.Equal(got, want) {
			t.Fatalf("%s: lanes %v, want %v", id, got, want)
		}
		for _, task := range r.Tasks {
			if tot := task.Totals(); tot.Waiting < p.Latency*9/10 {
				t.Errorf("%s: %s waited %v, want about %v", id, task.Name, tot.Waiting, p.Latency)
			}
		}
		o := overlap(spans(r.Tasks, model.StateWaiting))
		if id == "io-sequential" && o > 5*time.Millisecond {
			t.Errorf("io-sequential: waits overlap by %v; one call after another should not", o)
		}
		// Four waits that overlap fully overlap pairwise 6 times.
		if id != "io-sequential" && o < 5*p.Latency {
			t.Errorf("%s: waits overlap only %v; concurrent calls should wait together", id, o)
		}
	}
}

func TestAsyncioCoroutinesShareOneThread(t *testing.T) {
	r := runToEnd(t, "io-asyncio", shortParams())
	threads := map[int]bool{}
	for _, task := range r.Tasks {
		if task.Kind != model.KindCoroutine {
			t.Fatalf("%s is a %s lane, want a coroutine", task.Name, task.Kind)
		}
		if task.Totals().Running == 0 {
			t.Errorf("%s never ran", task.Name)
		}
		for _, tid := range task.Threads() {
			threads[tid] = true
		}
	}
	if len(threads) != 1 {
		t.Fatalf("coroutines ran on threads %v, want exactly one", threads)
	}
}

func TestCPUScenariosSumAndSchedule(t *testing.T) {
	p := shortParams()
	together, others := map[string]float64{}, map[string]float64{}
	for _, id := range []string{"cpu-sequential", "cpu-threads-gil", "cpu-processes", "cpu-goroutines"} {
		r := runToEnd(t, id, p)
		got := slices.Clone(r.Result.Partials)
		slices.Sort(got)
		if !slices.Equal(got, []int64{325, 950, 1575, 2200}) || r.Result.Total != 5050 {
			t.Fatalf("%s: partials %v total %d", id, r.Result.Partials, r.Result.Total)
		}
		if len(r.Tasks) != 4 {
			t.Fatalf("%s: lanes %v, want 4 chunks", id, taskNames(r))
		}
		if r.CPU <= 0 || r.Wall <= 0 {
			t.Fatalf("%s: wall %v CPU %v", id, r.Wall, r.CPU)
		}
		if r.Switches.Voluntary+r.Switches.Involuntary == 0 {
			t.Errorf("%s: no context switches counted", id)
		}
		if err := model.Check(r, p.CoresOrAll()); err != nil {
			t.Errorf("%s: %v", id, err)
			logRunningBySource(t, r)
		}
		together[id] = typicalAtOnce(r, 20*time.Millisecond)
		others[id] = r.OtherLoad()
		if o := overlap(spans(r.Tasks, model.StateRunning)); id == "cpu-sequential" && o > 0 {
			t.Errorf("cpu-sequential: chunks ran together for %v; one goroutine cannot", o)
		}
		if id == "cpu-goroutines" || id == "cpu-sequential" {
			for _, task := range r.Tasks {
				if len(task.Cores()) == 0 {
					t.Errorf("%s: %s ran on no known core: the trace's threads were not joined with /proc", id, task.Name)
				}
			}
		}
		if id == "cpu-processes" {
			for _, task := range r.Tasks {
				if task.Kind != model.KindProcess || len(task.Cores()) == 0 {
					t.Errorf("%s: %s is a %s lane on cores %v", id, task.Name, task.Kind, task.Cores())
				}
			}
		}
	}
	// Under the global lock one chunk computes at a time; without it, on two or more cores, two
	// do. Measured as the median, over 20 ms stretches, of how many chunks were running. The
	// lanes say running only where a core ran the chunk, so a hand-over of the lock blurs
	// nothing; but other programs on the machine can take a core from the goroutines, and then
	// fewer than two run: that part is only asserted on a machine the run had to itself.
	t.Logf("chunks running at once (median over 20 ms): %v; other programs' share: %v", together, others)
	if n := together["cpu-sequential"]; n > 1.01 {
		t.Errorf("cpu-sequential: %.2f chunks running at once, want 1", n)
	}
	if n := together["cpu-threads-gil"]; n > 1.05 {
		t.Errorf("cpu-threads-gil: %.2f chunks running at once; the lock should allow only one", n)
	}
	if n := together["cpu-goroutines"]; runtime.NumCPU() >= 2 && others["cpu-goroutines"] < model.OtherLoadWarning && n < 1.6 {
		t.Errorf("cpu-goroutines: %.2f chunks running at once on %d cores, want about 2", n, runtime.NumCPU())
	}
}

// typicalAtOnce is the median, over the stretches of length w in which anything ran, of how
// many tasks were running on average in the stretch.
func typicalAtOnce(r *model.Run, w time.Duration) float64 {
	sums := map[int]time.Duration{}
	for _, tk := range r.Tasks {
		for _, iv := range tk.All() {
			if iv.State != model.StateRunning {
				continue
			}
			for c := int(iv.Start / w); time.Duration(c)*w < iv.End; c++ {
				cs := time.Duration(c) * w
				sums[c] += min(iv.End, cs+w) - max(iv.Start, cs)
			}
		}
	}
	vals := make([]float64, 0, len(sums))
	for _, d := range sums {
		vals = append(vals, float64(d)/float64(w))
	}
	if len(vals) == 0 {
		return 0
	}
	slices.Sort(vals)
	return vals[len(vals)/2]
}

// groupGone reports whether no process is left in the child's process group.
func groupGone(pid int) bool {
	return errors.Is(syscall.Kill(-pid, 0), syscall.ESRCH)
}

// TestLanesNeverRunMoreThanTheCPUUnderLoad: with two other programs computing on the machine,
// the work's thread is often off its core; the lanes say so (ready, for a core), and the
// running they show adds up to no more than the CPU time the run used.
func TestLanesNeverRunMoreThanTheCPUUnderLoad(t *testing.T) {
	for range 2 {
		hog := exec.Command("sh", "-c", "while :; do :; done")
		if err := hog.Start(); err != nil {
			t.Skip("no shell to load the machine:", err)
		}
		t.Cleanup(func() { hog.Process.Kill(); hog.Wait() })
	}
	p := shortParams()
	r := runToEnd(t, "cpu-sequential", p)
	var running, ready time.Duration
	for _, task := range r.Tasks {
		tot := task.Totals()
		running += tot.Running
		ready += tot.Ready
	}
	t.Logf("wall %v, CPU %v, lanes running %v, ready %v, other programs %.0f %%", r.Wall, r.CPU, running, ready, 100*r.OtherLoad())
	if running > r.CPU+r.CPU*3/100 {
		t.Errorf("the lanes show %v running, but the run used %v of CPU", running, r.CPU)
	}
	if err := model.Check(r, p.CoresOrAll()); err != nil {
		t.Error(err)
	}
	if t.Failed() {
		logRunningBySource(t, r)
	}
}

// logRunningBySource says where a run's running comes from, and which intervals were not
// measured exactly, to tell a failure's cause.
func logRunningBySource(t *testing.T, r *model.Run) {
	t.Helper()
	by := map[model.Source]time.Duration{}
	for _, task := range r.Tasks {
		for _, iv := range task.All() {
			run, _, _ := iv.Shares(iv.Duration())
			by[iv.Source] += run
			if run > time.Millisecond && iv.Source != model.SourceExact {
				t.Logf("%s: %v..%v running %v from %v on thread %d", task.Name, iv.Start, iv.End, run, iv.Source, iv.Thread)
			}
		}
	}
	t.Logf("running by source: %v", by)
}

func TestStopMidRunLeavesNoProcess(t *testing.T) {
	p := shortParams()
	p.Latency = time.Minute
	p.Work = 200 * time.Millisecond
	for _, id := range []string{"io-threads", "cpu-processes"} {
		sess, err := runner(t).Start(id, p)
		if err != nil {
			t.Fatal(err)
		}
		o := sess.(*observed)
		for r := range sess.Updates() {
			if len(r.Tasks) == 4 { // every call or worker process has started
				break
			}
		}
		pid := o.childPid()
		sess.Stop()
		if pid == 0 || !groupGone(pid) {
			t.Fatalf("%s: after Stop the child's group (%d) still has processes", id, pid)
		}
	}
}

func TestKilledChildIsReported(t *testing.T) {
	p := shortParams()
	p.Latency = time.Minute
	sess, err := runner(t).Start("io-threads", p)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	o := sess.(*observed)
	var last *model.Run
	killed := false
	for r := range sess.Updates() {
		if !killed && len(r.Lines) > 0 {
			syscall.Kill(o.childPid(), syscall.SIGKILL)
			killed = true
		}
		last = r
	}
	if last == nil || !last.Finished || last.Err == "" {
		t.Fatalf("a killed child should end the run with an error, got %+v", last)
	}
	if want := "killed by signal 9"; !strings.Contains(last.Err, want) {
		t.Fatalf("error %q does not say %q", last.Err, want)
	}
}

// TestLiveLanesOutliveTheirWindow checks that a live snapshot taken well after the first call,
// windows later, still holds that call: the observer joins each window to what it holds.
func TestLiveLanesOutliveTheirWindow(t *testing.T) {
	p := shortParams()
	p.Latency = 2 * wire.SnapshotEvery // four calls: the run lasts eight windows or more
	sess, err := runner(t).Start("io-sequential", p)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	var lateLive *model.Run
	for r := range sess.Updates() {
		if !r.Finished && r.Elapsed > 6*wire.SnapshotEvery && len(r.Tasks) > 0 {
			lateLive = r
		}
	}
	if lateLive == nil {
		t.Fatal("no live snapshot late in the run")
	}
	first := lateLive.Tasks[0]
	if first.Name != "call 1" || len(first.All()) == 0 || first.All()[0].Start > 50*time.Millisecond {
		t.Fatalf("late live lanes lost the first call: %+v", first)
	}
	if w := first.Totals().Waiting; w < p.Latency*9/10 {
		t.Fatalf("call 1 waited %v in the late live lanes, want about %v", w, p.Latency)
	}
}

func TestCalibrationCanBePinned(t *testing.T) {
	t.Setenv(CalibrationEnv, "1234")
	r, err := NewRunner()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.calibrated(context.Background()); err != nil || n != 1234 {
		t.Fatalf("calibrated() = %d, %v; want the pinned 1234", n, err)
	}
	for _, bad := range []string{"", "0", "-5", "fast"} {
		t.Setenv(CalibrationEnv, bad)
		if _, err := NewRunner(); err == nil || !strings.Contains(err.Error(), CalibrationEnv) {
			t.Errorf("%s=%q: err %v, want one naming the variable", CalibrationEnv, bad, err)
		}
	}
}

// TestCalibrationIsAChildLikeAnyOther: the calibration child measures once, and a cancelled
// context ends it at once, its process group killed and reaped.
func TestCalibrationIsAChildLikeAnyOther(t *testing.T) {
	t.Setenv(CalibrationEnv, "")
	os.Unsetenv(CalibrationEnv)
	r, err := NewRunner()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.calibrated(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("calibration under a cancelled context: %v, want context.Canceled", err)
	}
	n, err := r.calibrated(context.Background())
	if err != nil || n <= 0 {
		t.Fatalf("calibrated() = %d, %v", n, err)
	}
	if again, _ := r.calibrated(context.Background()); again != n {
		t.Fatalf("a second call measured again: %d, then %d", n, again)
	}
}

// childPid is the child's process id, or 0 before it has started.
func (o *observed) childPid() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pid
}

// TestWorkInWorkersIsNotTraced: a child whose work runs in worker processes records no trace
// for the live view (its goroutines are no lane): its stream carries the workers' on-core
// samples and no trace window. Asked for the whole trace, it records one after all; and a
// child whose work runs in its own goroutines sends windows.
func TestWorkInWorkersIsNotTraced(t *testing.T) {
	p := shortParams()
	for _, c := range []struct {
		id            string
		extra         []string
		traces, final bool
	}{
		{"cpu-processes", nil, false, false},
		{"cpu-processes", []string{"--" + wire.WholeTraceFlag}, true, true},
		{"cpu-goroutines", nil, true, false},
	} {
		s, err := scenarios.Lookup(c.id)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cmd, stdout, _, err := runner(t).startChild(ctx, s, p, c.extra...)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		kinds := map[byte]int{}
		fr := wire.NewReader(stdout)
		for {
			kind, _, err := fr.Next()
			if err != nil {
				break
			}
			kinds[kind]++
		}
		cmd.Wait()
		cancel()
		if got := kinds[wire.FrameTrace] > 0; got != c.traces {
			t.Errorf("%s %v: %d trace windows", c.id, c.extra, kinds[wire.FrameTrace])
		}
		if got := kinds[wire.FrameFinalTrace] > 0; got != c.final {
			t.Errorf("%s %v: %d whole traces", c.id, c.extra, kinds[wire.FrameFinalTrace])
		}
		if kinds[wire.FrameOnCPU] == 0 {
			t.Errorf("%s %v: no on-core samples", c.id, c.extra)
		}
	}
}
