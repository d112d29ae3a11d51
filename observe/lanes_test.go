package observe

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"timeslice/internal/oncpu"
	"timeslice/internal/osproc"
	"timeslice/internal/procfs"
	"timeslice/internal/wire"
	"timeslice/model"
	"timeslice/scenarios"
)

// watchBoth runs scenario id with p as a session does, and at each Run it hands out while the
// run goes on, calls check with it and with the lanes worked out afresh from everything
// observed a moment later; once everything has been read, it hands out one more live Run from
// it and calls check once more, with last set.
func watchBoth(t *testing.T, id string, p scenarios.Params, check func(live *model.Run, whole []model.Task, last bool)) {
	t.Helper()
	r := runner(t)
	s, err := scenarios.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	o := &observed{runner: r, s: s, p: p, updates: make(chan *model.Run, 1), done: make(chan struct{})}
	o.ctx, o.cancel = context.WithCancel(context.Background())
	defer o.cancel()
	cmd, stdout, _, err := r.startChild(o.ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	o.pid = pid
	sampler := procfs.NewProcSampler(pid)
	sampler.Start()
	defer sampler.Stop()
	w := &watch{o: o, procs: procsFor(s, p), sampler: sampler, cores: newCoreLog(nil)}

	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		o.read(osproc.QuietReader(stdout), sampler)
	}()
	tick := time.NewTicker(publishEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			w.sampleCores()
			live := w.build(false, nil)
			check(live, w.allTasks(w.startMono(), false), false)
		case <-readDone:
			cmd.Wait()
			osproc.ReapGroup(pid)
			sampler.Stop()
			live := w.build(false, nil)
			check(live, w.allTasks(w.startMono(), false), true)
			return
		}
	}
}

// TestLiveLanesAreTheWholeLanes: the lanes handed out while a run goes on, worked out from
// what changed since the last Run, are the lanes worked out afresh from everything observed.
// While the run goes on, the second look comes a moment later, and what arrives in between
// may change even what was measured long before (a goroutine's meter reports what it measured
// when it next runs): the same lanes in the same order, starting at the same time, with much
// the same time in each state. Once everything has been read, the very same intervals. The
// runs are long enough for the lanes' first seconds to become final. Lanes worked out afresh
// that fail model.Check are no reference, and are left out.
func TestLiveLanesAreTheWholeLanes(t *testing.T) {
	long := shortParams()
	long.Latency = 2*sealLag + sealEvery
	long.Calls = 2 * censusAbove // enough lanes for the Runs to carry a census
	busy := shortParams()
	busy.Upto = 1000
	busy.Work = 5 * time.Millisecond
	for _, c := range []struct {
		id string
		p  scenarios.Params
	}{{"cpu-goroutines", busy}, {"io-threads", long}, {"cpu-processes", busy}} {
		t.Run(c.id, func(t *testing.T) {
			n, sealed := 0, 0
			watchBoth(t, c.id, c.p, func(live *model.Run, whole []model.Task, last bool) {
				n++
				wr := *live
				wr.Tasks = whole
				if err := model.Check(&wr, c.p.CoresOrAll()); err != nil {
					// Lanes worked out afresh that could not have happened are no reference.
					t.Logf("Run %d: the lanes worked out afresh fail the checks: %v", n, err)
					return
				}
				if err := model.Check(live, c.p.CoresOrAll()); err != nil {
					t.Errorf("Run %d: %v", n, err)
				}
				checkCensus(t, n, live)
				if len(live.Tasks) != len(whole) {
					t.Fatalf("Run %d: %d lanes live, %d worked out afresh", n, len(live.Tasks), len(whole))
				}
				for i, lt := range live.Tasks {
					wt := whole[i]
					if lt.Name != wt.Name || lt.Kind != wt.Kind || lt.Preemptions != wt.Preemptions {
						t.Fatalf("Run %d, lane %d: %s %s (%d preempted) live, %s %s (%d) afresh", n, i, lt.Name, lt.Kind, lt.Preemptions, wt.Name, wt.Kind, wt.Preemptions)
					}
					// The live lanes' final part is not joined to what follows it: compared joined.
					lt, wt = lt.Flat(), wt.Flat()
					lt.Intervals, wt.Intervals = merged(nil, lt.Intervals), merged(nil, wt.Intervals)
					if slices.Equal(lt.Intervals, wt.Intervals) {
						continue
					}
					if last {
						t.Errorf("%s, once everything was read: %d intervals live, %d afresh%s", lt.Name, len(lt.Intervals), len(wt.Intervals), firstDifference(lt.Intervals, wt.Intervals))

						continue
					}
					if len(lt.Intervals) == 0 || len(wt.Intervals) == 0 {
						t.Fatalf("Run %d, %s: %d intervals live, %d afresh", n, lt.Name, len(lt.Intervals), len(wt.Intervals))
					}
					// What arrives in between changes mostly the part not yet final (the work's
					// own samples come up to TestSealLagCoversTheWorksLateSamples' bound late):
					// that part is left out.
					le := lt.Intervals[len(lt.Intervals)-1].End - sealLag
					lt.Intervals, wt.Intervals = before(lt.Intervals, le), before(wt.Intervals, le)
					if len(lt.Intervals) == 0 || len(wt.Intervals) == 0 {
						continue
					}
					ltot, wtot := lt.Totals(), wt.Totals()
					near := func(a, b time.Duration) bool { return (a - b).Abs() <= 5*time.Millisecond+max(a, b)/20 }
					if lt.Intervals[0].Start != wt.Intervals[0].Start || !near(ltot.Running, wtot.Running) || !near(ltot.Ready, wtot.Ready) || !near(ltot.Waiting, wtot.Waiting) {
						t.Errorf("Run %d, %s: live from %v %+v, afresh from %v %+v", n, lt.Name, lt.Intervals[0].Start, ltot, wt.Intervals[0].Start, wtot)
					}
				}
				if live.Elapsed > sealLag+sealEvery {
					sealed++
				}
			})
			if sealed == 0 {
				t.Errorf("%d Runs, none long enough for any lane to become final", n)
			}
		})
	}
}

// firstDifference says where a and b first differ.
func firstDifference(a, b []model.Interval) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("; interval %d: %+v live, %+v afresh", i, a[i], b[i])
		}
	}
	return ""
}

// checkCensus holds a live Run's census index to the sum of its tasks' tallies, over the
// whole run and over a few stretches of it, to within two nanoseconds an interval; a Run of
// censusAbove lanes or fewer carries none.
func checkCensus(t *testing.T, n int, r *model.Run) {
	t.Helper()
	if few := len(r.Tasks) <= censusAbove; few || !r.QuickCensus() {
		if few == r.QuickCensus() {
			t.Fatalf("Run %d: %d lanes, census index %v", n, len(r.Tasks), r.QuickCensus())
		}
		return
	}
	plain := &model.Run{Tasks: r.Tasks}
	var slack time.Duration
	for _, tk := range r.Tasks {
		slack += 2 * time.Duration(len(tk.All()))
	}
	near := func(a, b time.Duration) bool { return (a - b).Abs() <= slack }
	for k := range 5 {
		from, to := r.Elapsed*time.Duration(k)/5, r.Elapsed*time.Duration(k+2)/5
		got, want := r.Census(from, to), plain.Census(from, to)
		if !near(got.Running, want.Running) || !near(got.Ready, want.Ready) || !near(got.Waiting, want.Waiting) || !near(got.Done, want.Done) {
			t.Fatalf("Run %d, census over [%v, %v): %+v; the tasks' tallies add up to %+v", n, from, to, got, want)
		}
	}
}

// TestSealLagCoversTheWorksLateSamples: the work hands its own measurements on every
// oncpu.FlushEvery (and up to one full check later), and the child sends them with its next
// frame, wire.LazyWait at most; they must arrive before the live lanes they change are final,
// or every lane is worked out again from there.
func TestSealLagCoversTheWorksLateSamples(t *testing.T) {
	const fullCheck = 20 * time.Millisecond
	if late := oncpu.FlushEvery + fullCheck + wire.LazyWait; late+sealEvery > sealLag {
		t.Fatalf("the work's samples can arrive %v late (and the seal moves %v at a time), past sealLag %v", late, sealEvery, sealLag)
	}
}

// TestWholeCutsOnlyWhatComesOutTheSame: the seal may cut running the work measured exactly
// while no other lane runs across it on the same core; it goes back to the start of running
// whose core came from the kernel's samples, of a mixed window, and of two lanes' running that
// overlap on one core there (OnePerCore would cut them otherwise).
func TestWholeCutsOnlyWhatComesOutTheSame(t *testing.T) {
	ms := time.Millisecond
	run := func(a, b time.Duration, core int, src model.Source) model.Interval {
		return model.Interval{Start: a * ms, End: b * ms, State: model.StateRunning, Core: core, Source: src}
	}
	lanes := func(raw ...[]model.Interval) *liveLanes {
		ll := &liveLanes{}
		for i, r := range raw {
			ll.order = append(ll.order, &liveLane{name: fmt.Sprintf("chunk %d", i+1), raw: r})
		}
		return ll
	}
	exact, kernel := model.SourceExact, model.SourceTrace
	for _, c := range []struct {
		what     string
		ll       *liveLanes
		at, want time.Duration
	}{
		{"exact running on two cores", lanes([]model.Interval{run(10, 200, 0, exact)}, []model.Interval{run(50, 300, 1, exact)}), 100 * ms, 100 * ms},
		{"running whose core is the kernel's", lanes([]model.Interval{run(10, 200, 0, kernel)}), 100 * ms, 10 * ms},
		{"two lanes overlapping on one core", lanes([]model.Interval{run(10, 100, 0, exact)}, []model.Interval{run(99, 300, 0, exact)}, []model.Interval{run(20, 300, 1, exact)}), 99*ms + ms/2, 10 * ms},
		{"a mixed window", lanes([]model.Interval{{Start: 30 * ms, End: 150 * ms, State: model.StateMixed, RunShare: 0.5, Core: model.NoCore}}), 100 * ms, 30 * ms},
	} {
		if got := c.ll.whole(c.at, &laneInputs{}); got != c.want {
			t.Errorf("%s: the seal at %v goes to %v, want %v", c.what, c.at, got, c.want)
		}
	}
}
