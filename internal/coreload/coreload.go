// Package coreload measures how busy each CPU core is, from the kernel's cumulative per-core
// counters (read through gopsutil), between one sample and the next. It never looks at
// processes or threads: which task ran on a core comes from procfs.
package coreload

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v3/cpu"
)

// MinCoreWindow is the shortest window between two CoreSampler.Sample calls worth drawing. The
// kernel's per-core counters move in 10 ms ticks, so a window of w ms can only show load in
// steps of about 1000/w %: 100 ms gives 10 % steps, 250 ms 4 %. Shorter windows flicker.
const MinCoreWindow = 100 * time.Millisecond

// CoreTimes reads the cumulative per-core CPU times, one entry per core.
type CoreTimes func() ([]cpu.TimesStat, error)

// CoreSampler measures the busy share of every core between one call to Sample and the next.
// It keeps its own previous reading, so several samplers do not disturb each other (unlike
// gopsutil's cpu.Percent). It is safe for concurrent use.
type CoreSampler struct {
	times CoreTimes

	mu   sync.Mutex
	prev map[string]cpu.TimesStat
}

// NewCoreSampler returns a sampler that reads times, or gopsutil's cpu.Times(true) when times is nil.
func NewCoreSampler(times CoreTimes) *CoreSampler {
	if times == nil {
		times = func() ([]cpu.TimesStat, error) { return cpu.Times(true) }
	}
	return &CoreSampler{times: times}
}

// Sample returns each core's busy percentage (0–100) since the previous call, in the order the
// system lists its cores. Busy is total − idle − iowait, where total is user + nice + system +
// idle + iowait + irq + softirq + steal (guest time is already inside user and nice). The first
// call only takes the reference reading and returns nil. A core without a previous reading (the
// core count changed) shows 0 this time; a counter that went backwards counts as no time.
// Call it no more often than every MinCoreWindow (see there).
func (c *CoreSampler) Sample() ([]float64, error) {
	now, err := c.times()
	if err == nil && len(now) == 0 {
		err = errors.New("no per-core counters")
	}
	if err != nil {
		return nil, fmt.Errorf("per-core load unavailable: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	first := c.prev == nil
	next := make(map[string]cpu.TimesStat, len(now))
	out := make([]float64, len(now))
	for i, t := range now {
		next[t.CPU] = t
		if p, ok := c.prev[t.CPU]; ok {
			out[i] = busyPercent(p, t)
		}
	}
	c.prev = next
	if first {
		return nil, nil
	}
	return out, nil
}

// busyPercent is the busy share of one core between two readings, clamped to 0–100.
func busyPercent(a, b cpu.TimesStat) float64 {
	d := func(x, y float64) float64 { return max(y-x, 0) }
	idle := d(a.Idle, b.Idle) + d(a.Iowait, b.Iowait)
	busy := d(a.User, b.User) + d(a.Nice, b.Nice) + d(a.System, b.System) +
		d(a.Irq, b.Irq) + d(a.Softirq, b.Softirq) + d(a.Steal, b.Steal)
	total := busy + idle
	if total <= 0 {
		return 0
	}
	return min(100*busy/total, 100)
}
