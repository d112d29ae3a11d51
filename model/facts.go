package model

import "time"

// Facts are what the comparison says of one run, worked out once from its lanes and load
// samples by FactsOf. The observer attaches them to every Run it hands out (Run.Facts); the
// compare view, the core lanes, `timeslice run --json` and the Chrome export read them there.
type Facts struct {
	// AtOnce is the most tasks running at the same time, as the average over any
	// AtOnceWindow-long stretch of the run (or the whole run, if it is shorter): 2.0 means two
	// tasks ran all through one stretch.
	AtOnce float64
	// BusyCores is the most cores over half busy in one load sample, or -1 without samples.
	BusyCores int
	// Cores is how many cores the run shows: as many as the load samples have, or as the
	// highest core a task was seen running on, whichever is more.
	Cores int
	// CoreMoves counts the moves between cores: a task whose running intervals on known
	// cores, one after the other, are on different cores moved once, onto the second one.
	CoreMoves int
	// MovesOnto counts the moves onto each core, one entry per core of Cores.
	MovesOnto []int
	// UnknownCore is the running time spent on no known core.
	UnknownCore time.Duration
	// Preemptions sums the Go scheduler's preemptions of the goroutine lanes, or is -1 when the
	// run has none.
	Preemptions int
}

// AtOnceWindow is the span over which Facts.AtOnce averages: several /proc sampling periods,
// since a process lane only knows how much of each sampled window it ran, not when in it, and
// draws that share first. Over one or two periods the shares of four processes on two cores
// stack up and read as three running at once; over several they add up to what ran.
const AtOnceWindow = 200 * time.Millisecond

// atOnceStep is how finely the window slides.
const atOnceStep = 10 * time.Millisecond

// FactsOf works out r's facts from its tasks and load samples: all of each lane taken as open
// (FactsParts.Facts).
func FactsOf(r *Run) *Facts {
	open := make([][]Interval, len(r.Tasks))
	for i, tk := range r.Tasks {
		open[i] = tk.All()
	}
	var p FactsParts
	return p.Facts(r, open)
}

// busiestWindow is the most running, in tasks at once, over any AtOnceWindow of consecutive
// cells (over all of them, if there are fewer).
func busiestWindow(sums []time.Duration) float64 {
	k := min(int(AtOnceWindow/atOnceStep), len(sums))
	var cur, best time.Duration
	for i, d := range sums {
		cur += d
		if i >= k {
			cur -= sums[i-k]
		}
		best = max(best, cur)
	}
	return float64(best) / float64(time.Duration(k)*atOnceStep)
}

// runShare is the part of iv the task spent running: all of a running interval, a mixed
// window's running share, none of any other.
func runShare(iv Interval) float64 {
	switch iv.State {
	case StateRunning:
		return 1
	case StateMixed:
		return float64(iv.RunShare)
	}
	return 0
}

// busyCores is Facts.BusyCores.
func busyCores(r *Run) int {
	if len(r.Cores) == 0 {
		return -1
	}
	best := 0
	for _, s := range r.Cores {
		n := 0
		for _, p := range s.Percent {
			if p > 50 {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

// preemptions is Facts.Preemptions.
func preemptions(r *Run) int {
	n, any := 0, false
	for _, tk := range r.Tasks {
		if tk.Kind == KindGoroutine {
			n += tk.Preemptions
			any = true
		}
	}
	if !any {
		return -1
	}
	return n
}
