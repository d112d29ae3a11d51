package ui

import (
	"fmt"
	"time"

	"timeslice/model"
)

// Runs built to be hard to draw truthfully, beside the recordings: every view is held to them.

// procsRun is cpu-processes as /proc sees it: four worker processes on two cores, every 40 ms
// window a mixed one whose running shares add up to the two cores, in no known order.
func procsRun() *model.Run {
	r := &model.Run{Scenario: "cpu-processes", Procs: 1, Params: []string{"--cores=0"}}
	const win = 40 * ms
	const end = 1200 * ms
	for p := range 4 {
		tk := model.Task{Name: fmt.Sprintf("chunk %d", p+1), Kind: model.KindProcess}
		for s, k := time.Duration(0), 0; s < end; s, k = s+win, k+1 {
			share := float32(0.5)
			if (p+k)%2 == 0 {
				share = 0.75
			} else {
				share = 0.25
			}
			iv := model.Interval{Start: s, End: s + win, State: model.StateMixed, Core: p % 2, Thread: 9100 + p,
				Source: model.SourceSampled, RunShare: share, ReadyShare: 1 - share}
			tk.Intervals = append(tk.Intervals, iv)
		}
		tk.Intervals = append(tk.Intervals, model.Interval{Start: end, End: end + 10*ms, State: model.StateDone, Core: model.NoCore})
		r.Tasks = append(r.Tasks, tk)
	}
	r.Cores = coreSamples(end, func(time.Duration) []float64 { return []float64{100, 100} })
	r.Elapsed, r.Wall, r.CPU, r.Finished = end+10*ms, end+10*ms, 2*end, true
	return observed(r)
}

// coroutinesRun is io-asyncio with 200 calls: one event loop thread runs every coroutine's
// 0.2 ms of work one after another, each then awaits its 500 ms response and runs 0.2 ms more.
func coroutinesRun() *model.Run {
	r := &model.Run{Scenario: "io-asyncio", Procs: 1, Params: []string{"--cores=0", "--calls=200"}}
	const n, burst, latency = 200, 200 * time.Microsecond, 500 * ms
	loop := func(from, to time.Duration) model.Interval {
		l := ready(from, to)
		l.Reason = model.ReasonEventLoop
		return l
	}
	var end time.Duration
	for i := range n {
		s := time.Duration(i) * burst
		back := n*burst + latency + time.Duration(i)*burst // responses are handled in the same order
		var ivs []model.Interval
		if s > 0 {
			ivs = append(ivs, loop(0, s))
		}
		first, second := run(s, s+burst, 0), run(back, back+burst, 1)
		first.Thread, second.Thread = 4242, 4242
		ivs = append(ivs, first, wait(s+burst, s+burst+latency), loop(s+burst+latency, back), second)
		end = back + burst
		r.Tasks = append(r.Tasks, model.Task{Name: fmt.Sprintf("call %d", i+1), Kind: model.KindCoroutine, Intervals: ivs})
	}
	for i := range r.Tasks {
		tk := &r.Tasks[i]
		tk.Intervals = append(tk.Intervals, iv(model.StateDone, tk.Intervals[len(tk.Intervals)-1].End, end, model.NoCore))
	}
	r.Cores = coreSamples(end, func(time.Duration) []float64 { return []float64{20, 5} })
	r.Elapsed, r.Wall, r.CPU, r.Finished = end, end, 2*n*burst, true
	return observed(r)
}

// invariantRuns are the runs every view is held to: the recordings and the adversarial ones.
func invariantRuns() map[string]*model.Run {
	return map[string]*model.Run{
		"io-sequential": ioSequentialRun(), "io-threads": ioThreadsRun(), "cpu-sequential": cpuSequentialRun(),
		"cpu-goroutines": cpuGoroutinesRun(), "cpu-threads-gil": cpuGILRun(), "cpu-processes": procsRun(),
		"io-asyncio": coroutinesRun(),
	}
}
