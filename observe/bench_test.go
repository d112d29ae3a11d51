package observe

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"timeslice/model"
	"timeslice/scenarios"
)

// benchParams are the params of the observer-effect benchmark: short ones by default, so the
// whole benchmark takes well under a minute, or the defaults (1 s calls, 20 ms of work per
// element) with TIMESLICE_BENCH_DEFAULTS=1, as docs/performance.md's figures are measured.
func benchParams() scenarios.Params {
	if os.Getenv("TIMESLICE_BENCH_DEFAULTS") != "" {
		return scenarios.DefaultParams()
	}
	p := scenarios.DefaultParams()
	p.Latency = 200 * time.Millisecond
	p.Work = 4 * time.Millisecond
	return p
}

// observedWall runs id under full observation (flight recorder, snapshots, /proc and core
// sampling, a fresh Run built every 100 ms) and returns the wall time the child measured.
func observedWall(tb testing.TB, r *Runner, id string, p scenarios.Params) time.Duration {
	tb.Helper()
	last := finalRun(tb, r, id, p)
	if last.Err != "" || last.Wall <= 0 {
		tb.Fatalf("%s: observed run failed: %+v", id, last)
	}
	return last.Wall
}

// BenchmarkObserverEffect compares, for each scenario, the wall time of bare runs (no tracing,
// no sampling) with fully observed ones, alternated in one process (bare, observed, bare, ...)
// so both see the same machine. It reports observed/bare and each side's mean in ms.
func BenchmarkObserverEffect(b *testing.B) {
	r, err := NewRunner()
	if err != nil {
		b.Fatal(err)
	}
	p := benchParams()
	for _, id := range []string{"cpu-goroutines", "cpu-processes", "io-threads"} {
		b.Run(id, func(b *testing.B) {
			if _, err := r.RunBare(context.Background(), id, p); err != nil { // warm up: calibration, page cache
				b.Fatal(err)
			}
			var bare, observed time.Duration
			n := 0
			for b.Loop() {
				w, err := r.RunBare(context.Background(), id, p)
				if err != nil {
					b.Fatal(err)
				}
				bare += w
				observed += observedWall(b, r, id, p)
				n++
			}
			ms := func(d time.Duration) float64 { return float64(d) / float64(n) / float64(time.Millisecond) }
			b.ReportMetric(float64(observed)/float64(bare), "observed/bare")
			b.ReportMetric(ms(bare), "bare-ms")
			b.ReportMetric(ms(observed), "observed-ms")
			b.ReportMetric(ms(observed-bare), "delta-ms")
		})
	}
}

// sleepersView is the trace's lanes of n goroutines that have slept since 1 ms into the run,
// seen until at.
func sleepersView(n int, at time.Duration) []model.Task {
	tasks := make([]model.Task, n)
	for i := range tasks {
		tasks[i] = model.Task{Name: fmt.Sprintf("call %d", i+1), Kind: model.KindGoroutine, Intervals: []model.Interval{
			{Start: 0, End: time.Millisecond, State: model.StateRunning, Core: model.NoCore, Thread: 7},
			{Start: time.Millisecond, End: at, State: model.StateWaiting, Core: model.NoCore, Reason: model.ReasonSleep},
		}}
	}
	return tasks
}

// BenchmarkLiveLanes measures handing out the lanes of a live Run of 10,000 sleeping
// goroutines: after a window was read (every lane goes on a little), and when nothing arrived
// since the last Run.
func BenchmarkLiveLanes(b *testing.B) {
	exact := func(t model.Task) model.Task {
		return exactGoroutine(t, nil, 0, false, func(model.Interval) int { return model.NoCore })
	}
	for _, c := range []struct {
		name    string
		changed bool
	}{{"window", true}, {"nothing-new", false}} {
		b.Run(c.name, func(b *testing.B) {
			var ll liveLanes
			at := 5 * time.Second
			in := laneInputs{goroutines: sleepersView(10000, at), exact: exact, changed: true, settled: at, horizon: at}
			ll.build(&model.Run{}, in)
			for b.Loop() {
				at += 100 * time.Millisecond
				in.changed = c.changed
				if c.changed {
					b.StopTimer()
					in.goroutines = sleepersView(10000, at)
					b.StartTimer()
				}
				in.settled, in.horizon = at, at
				ll.build(&model.Run{}, in)
			}
		})
	}
}

// BenchmarkLiveMemory measures the memory the observer keeps per task: observing 10,000
// goroutines that each sleep 25 s (io-threads), the heap in use after a collection 24 s in,
// less the same before the run, over the tasks; then again with the trace parsed and the
// lanes worked out, at the end. Run it with -benchtime=1x: it takes about 30 s.
func BenchmarkLiveMemory(b *testing.B) {
	const calls = 10000
	p := scenarios.DefaultParams()
	p.Calls, p.Latency = calls, 25*time.Second
	r, err := NewRunner()
	if err != nil {
		b.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	for b.Loop() {
		base := heap()
		sess, err := r.Start("io-threads", p)
		if err != nil {
			b.Fatal(err)
		}
		var at24 uint64
		var last *model.Run
		for run := range sess.Updates() {
			if at24 == 0 && run.Elapsed >= 24*time.Second {
				at24 = heap()
			}
			last = run
		}
		sess.Stop()
		if last == nil || len(last.Tasks) != calls || at24 == 0 {
			b.Fatalf("the run did not go as planned: %d lanes", len(last.Tasks))
		}
		b.ReportMetric(float64(at24-base)/calls, "B/task-at-24s")
	}
}

// workersView is what four worker processes sharing two cores look like to the lanes up to
// d: each runs about 1.2 ms at a time, then waits about as long for a core, as the work's own
// measurements show cpu-processes on a 2-core machine; and as measured, most running seems to
// go on 30 µs into the next one's on the same core, which OnePerCore cuts.
func workersView(d time.Duration) []model.Task {
	const slice, jitter = 1200 * time.Microsecond, 30 * time.Microsecond
	tasks := make([]model.Task, 4)
	for i := range tasks {
		tasks[i] = model.Task{Name: fmt.Sprintf("chunk %d", i+1), Kind: model.KindProcess}
		for k := time.Duration(0); k*slice < d; k += 2 {
			on := k + time.Duration(i/2) // chunks 1 and 2 run first, then 3 and 4
			run := model.Interval{Start: on * slice, End: (on + 1) * slice, State: model.StateRunning, Core: i % 2, Thread: 100 + i, Source: model.SourceExact}
			if k%8 != 0 { // now and then both cores change tasks at once, and the seal moves on
				run.End += jitter
			}
			wait := model.Interval{Start: run.End, End: (on + 2) * slice, State: model.StateReady, Reason: model.ReasonCore, Core: model.NoCore, Source: model.SourceExact}
			if on == 1 {
				tasks[i].Intervals = append(tasks[i].Intervals, model.Interval{Start: 0, End: slice, State: model.StateReady, Reason: model.ReasonCore, Core: model.NoCore, Source: model.SourceExact})
			}
			tasks[i].Intervals = append(tasks[i].Intervals, run, wait)
		}
	}
	return tasks
}

// BenchmarkLiveProcessLanes measures handing out the lanes of four worker processes on two
// cores, 100 ms more of each at a time, as the live view does observing cpu-processes: every
// process lane is worked out again from the seal, and laid over the others (OnePerCore).
func BenchmarkLiveProcessLanes(b *testing.B) {
	full := workersView(time.Minute)
	upto := func(at time.Duration) []model.Task {
		out := slices.Clone(full)
		for i := range out {
			out[i].Intervals = before(full[i].Intervals, at)
		}
		return out
	}
	var ll liveLanes
	at := 2 * time.Second
	in := laneInputs{procs: upto(at), exact: func(t model.Task) model.Task { return t }, settled: at, horizon: at}
	ll.build(&model.Run{}, in)
	for b.Loop() {
		at += 100 * time.Millisecond
		b.StopTimer()
		in.procs = upto(at)
		b.StartTimer()
		in.settled, in.horizon = at-coreSettle, at
		ll.build(&model.Run{}, in)
	}
}
