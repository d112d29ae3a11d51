package ui

import (
	"fmt"
	"time"

	"timeslice/model"
	"timeslice/observe"
	"timeslice/scenarios"
)

// Recorded runs for the tests: realistic snapshots of four scenarios, built in code.

const ms = time.Millisecond

func iv(state model.State, from, to time.Duration, core int) model.Interval {
	return model.Interval{Start: from, End: to, State: state, Core: core}
}

func run(from, to time.Duration, core int) model.Interval {
	return iv(model.StateRunning, from, to, core)
}

func ready(from, to time.Duration) model.Interval {
	return iv(model.StateReady, from, to, model.NoCore)
}

func wait(from, to time.Duration) model.Interval {
	i := iv(model.StateWaiting, from, to, model.NoCore)
	i.Reason = model.ReasonSleep
	return i
}

// onThreads gives every running interval of r's task i the OS thread tids[i].
func onThreads(r *model.Run, tids ...int) {
	for i, tid := range tids {
		for j := range r.Tasks[i].Intervals {
			if iv := &r.Tasks[i].Intervals[j]; iv.State == model.StateRunning {
				iv.Thread = tid
			}
		}
	}
}

// observed gives r what the observer attaches to every Run it hands out: the facts worked out
// from the rest.
func observed(r *model.Run) *model.Run {
	r.Facts = model.FactsOf(r)
	return r
}

// coreSamples samples every 200 ms up to end, with load from load(t), all of it the run's own.
func coreSamples(end time.Duration, load func(t time.Duration) []float64) []model.CoreSample {
	var out []model.CoreSample
	for t := 200 * ms; t <= end; t += 200 * ms {
		p := load(t)
		out = append(out, model.CoreSample{At: t, Percent: p, Ours: p})
	}
	return out
}

// snapshots cuts the final run into live snapshots at each time in at, then the final one.
func snapshots(final *model.Run, at ...time.Duration) []*model.Run {
	var out []*model.Run
	for _, t := range at {
		r := *final.Until(t) // the run as it was at t, as a replay shows it
		r.Elapsed, r.Wall, r.CPU, r.Finished, r.Result = t, 0, 0, false, nil
		if final.Result != nil {
			res := &model.Result{}
			for i, p := range final.Result.Partials {
				if partialAt[final.Scenario][i] <= t {
					res.Partials = append(res.Partials, p)
				}
			}
			r.Result = res
		}
		out = append(out, &r)
	}
	return append(out, final)
}

// partialAt says when each partial of a CPU-bound recording completed.
var partialAt = map[string][]time.Duration{
	"cpu-sequential":  {500 * ms, 1000 * ms, 1500 * ms, 2000 * ms},
	"cpu-goroutines":  {510 * ms, 520 * ms, 1010 * ms, 1020 * ms},
	"cpu-threads-gil": {2025 * ms, 2030 * ms, 2035 * ms, 2040 * ms},
}

var partials = []int64{325, 950, 1575, 2200}

func ioSequentialRun() *model.Run {
	r := &model.Run{Scenario: "io-sequential", Procs: 1, Params: scenarios.DefaultParams().Args()}
	for i := 0; i < 4; i++ {
		s := time.Duration(i) * 1003 * ms
		r.Tasks = append(r.Tasks, model.Task{Name: fmt.Sprintf("call %d", i+1), Kind: model.KindGoroutine,
			Intervals: []model.Interval{run(s, s+1*ms, 0), wait(s+1*ms, s+1001*ms), run(s+1001*ms, s+1003*ms, 0),
				iv(model.StateDone, s+1003*ms, 4012*ms, model.NoCore)}})
		r.Lines = append(r.Lines,
			model.Line{At: s + 1*ms, Text: fmt.Sprintf("call %d: request sent", i+1)},
			model.Line{At: s + 1002*ms, Text: fmt.Sprintf("call %d: response received", i+1)})
	}
	onThreads(r, 7001, 7001, 7001, 7001)
	r.Cores = coreSamples(4012*ms, func(time.Duration) []float64 { return []float64{3, 1} })
	r.Elapsed, r.Wall, r.CPU, r.Finished = 4012*ms, 4012*ms, 12*ms, true
	return observed(r)
}

func ioThreadsRun() *model.Run {
	r := &model.Run{Scenario: "io-threads", Procs: 1, Params: scenarios.DefaultParams().Args()}
	for i := 0; i < 4; i++ {
		s := time.Duration(i) * ms / 2
		var ivs []model.Interval
		if i > 0 {
			ivs = append(ivs, ready(0, s))
		}
		e := 1000*ms + s
		ivs = append(ivs, run(s, s+ms/2, 0), wait(s+ms/2, e), run(e, e+ms, 0), iv(model.StateDone, e+ms, 1004*ms, model.NoCore))
		r.Tasks = append(r.Tasks, model.Task{Name: fmt.Sprintf("call %d", i+1), Kind: model.KindGoroutine, Intervals: ivs})
		r.Lines = append(r.Lines, model.Line{At: s + ms/2, Text: fmt.Sprintf("call %d: request sent", i+1)})
	}
	for i := 0; i < 4; i++ {
		r.Lines = append(r.Lines, model.Line{At: 1000*ms + time.Duration(i)*ms, Text: fmt.Sprintf("call %d: response received", i+1)})
	}
	onThreads(r, 7001, 7003, 7002, 7004)
	r.Cores = coreSamples(1004*ms, func(time.Duration) []float64 { return []float64{2, 1} })
	r.Elapsed, r.Wall, r.CPU, r.Finished = 1004*ms, 1004*ms, 6*ms, true
	return observed(r)
}

func cpuSequentialRun() *model.Run {
	r := &model.Run{Scenario: "cpu-sequential", Procs: 1, Params: scenarios.DefaultParams().Args()}
	for i := 0; i < 4; i++ {
		s := time.Duration(i) * 500 * ms
		r.Tasks = append(r.Tasks, model.Task{Name: fmt.Sprintf("chunk %d", i+1), Kind: model.KindGoroutine,
			Intervals: []model.Interval{run(s, s+500*ms, 0), iv(model.StateDone, s+500*ms, 2000*ms, model.NoCore)}})
		r.Lines = append(r.Lines, model.Line{At: s + 500*ms, Text: fmt.Sprintf("chunk %d: partial sum %d", i+1, partials[i])})
	}
	onThreads(r, 7001, 7001, 7001, 7001)
	r.Cores = coreSamples(2000*ms, func(time.Duration) []float64 { return []float64{100, 4} })
	r.Result = &model.Result{Partials: partials, Total: 5050}
	r.Elapsed, r.Wall, r.CPU, r.Finished = 2000*ms, 2000*ms, 2000*ms, true
	return observed(r)
}

func cpuGoroutinesRun() *model.Run {
	r := &model.Run{Scenario: "cpu-goroutines", Procs: 2, Params: scenarios.DefaultParams().Args()}
	done := func(from time.Duration) model.Interval { return iv(model.StateDone, from, 1020*ms, model.NoCore) }
	r.Tasks = []model.Task{
		{Name: "chunk 1", Kind: model.KindGoroutine, Intervals: []model.Interval{
			run(0, 250*ms, 0), ready(250*ms, 260*ms), run(260*ms, 510*ms, 1), done(510 * ms)}},
		{Name: "chunk 2", Kind: model.KindGoroutine, Intervals: []model.Interval{
			run(0, 260*ms, 1), ready(260*ms, 280*ms), run(280*ms, 520*ms, 0), done(520 * ms)}},
		{Name: "chunk 3", Kind: model.KindGoroutine, Intervals: []model.Interval{
			ready(0, 250*ms), run(250*ms, 280*ms, 0), ready(280*ms, 520*ms), run(520*ms, 1010*ms, 0), done(1010 * ms)}},
		{Name: "chunk 4", Kind: model.KindGoroutine, Intervals: []model.Interval{
			ready(0, 510*ms), run(510*ms, 1020*ms, 1)}},
	}
	onThreads(r, 7001, 7002, 7001, 7002)
	r.Lines = []model.Line{{At: 0, Text: "4 chunks on 2 cores"}}
	for i, at := range partialAt["cpu-goroutines"] {
		r.Lines = append(r.Lines, model.Line{At: at, Text: fmt.Sprintf("chunk %d: partial sum %d", i+1, partials[i])})
	}
	r.Cores = coreSamples(1020*ms, func(t time.Duration) []float64 {
		if t >= 1000*ms {
			return []float64{58, 61}
		}
		return []float64{99, 100}
	})
	r.Result = &model.Result{Partials: partials, Total: 5050}
	r.Elapsed, r.Wall, r.CPU, r.Finished = 1020*ms, 1020*ms, 2030*ms, true
	return observed(r)
}

// recorded maps a scenario id to its snapshots.
func recorded() map[string][]*model.Run {
	return map[string][]*model.Run{
		"io-sequential":   snapshots(ioSequentialRun(), 500*ms, 1500*ms, 3000*ms),
		"io-threads":      snapshots(ioThreadsRun(), 300*ms, 700*ms),
		"cpu-sequential":  snapshots(cpuSequentialRun(), 700*ms, 1400*ms),
		"cpu-goroutines":  snapshots(cpuGoroutinesRun(), 300*ms, 600*ms, 900*ms),
		"cpu-threads-gil": snapshots(cpuGILRun(), 1000*ms),
	}
}

// playbackStarter plays the recordings back; scenarios without one fail to start.
func playbackStarter() observe.Starter {
	rec := recorded()
	return func(id string, _ scenarios.Params) (observe.Session, error) {
		runs, ok := rec[id]
		if !ok {
			return nil, fmt.Errorf("no recording for %s", id)
		}
		return observe.Playback(runs...), nil
	}
}
