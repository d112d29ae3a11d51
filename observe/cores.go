package observe

import (
	"slices"
	"sync"
	"time"

	"timeslice/internal/coreload"
	"timeslice/internal/mono"
	"timeslice/model"
)

// coreLog keeps a run's per-core load samples, each with the run's own share of every core,
// for a scenario's session and a watched program's alike. It is safe for concurrent use: the
// sampler of the run's threads adds to it after its rounds while the session reads it.
type coreLog struct {
	sampler *coreload.CoreSampler

	mu      sync.Mutex
	samples []model.CoreSample
	note    string
	// last is when the cores were last read (mono.Now ns).
	last int64
	// prevOurs and prevUnplaced are the run's own CPU time per core, and on no known core, as
	// of the last sample.
	prevOurs     []int64
	prevUnplaced int64
}

// newCoreLog returns a log that reads the cores' counters with times (nil: the system's).
func newCoreLog(times coreload.CoreTimes) coreLog {
	return coreLog{sampler: coreload.NewCoreSampler(times)}
}

// add records the per-core load since the previous sample, given the run's cumulative CPU time
// per core, and on no known core, read just before (so the two windows match); start is the
// run's time zero (mono.Now ns), or 0 while it is not known: the counters are then only taken
// as the reference for the next sample. A window shorter than coreload.MinCoreWindow is
// skipped: the kernel's counters move in 10 ms ticks, so it would only flicker.
func (c *coreLog) add(start int64, ours func() ([]int64, int64)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := mono.Now()
	if now-c.last < int64(coreload.MinCoreWindow)*9/10 { // a tick may come a little early
		return
	}
	window := now - c.last
	c.last = now
	mine, unplaced := ours()
	prev, prevUnplaced := c.prevOurs, c.prevUnplaced
	c.prevOurs, c.prevUnplaced = mine, unplaced
	pct, err := c.sampler.Sample()
	if err != nil {
		c.note = err.Error()
		return
	}
	if pct == nil || start == 0 {
		return
	}
	c.note = ""
	c.samples = append(c.samples, model.CoreSample{At: time.Duration(now - start), Percent: pct,
		Ours: ownShares(prev, mine, prevUnplaced, unplaced, pct, window)})
}

// read returns the samples so far, which later ones never change, and why there are none, if
// the cores cannot be read.
func (c *coreLog) read() ([]model.CoreSample, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clip(c.samples), c.note
}

// ownShares is a run's share of each core over a window, in percent, from its cumulative CPU
// time per core at the window's start (prev) and end (ours), never more than the core's whole
// load (pct); time whose core is not known (unplaced) is shared evenly. Nil without a start.
func ownShares(prev, ours []int64, prevUnplaced, unplaced int64, pct []float64, window int64) []float64 {
	if prev == nil || window <= 0 || len(pct) == 0 {
		return nil
	}
	spread := float64(unplaced-prevUnplaced) / float64(len(pct))
	out := make([]float64, len(pct))
	for c := range pct {
		var d float64
		if c < len(ours) {
			d = float64(ours[c])
		}
		if c < len(prev) {
			d -= float64(prev[c])
		}
		out[c] = min(max(100*(d+spread)/float64(window), 0), pct[c])
	}
	return out
}
