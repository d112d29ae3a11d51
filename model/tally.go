package model

import (
	"cmp"
	"slices"
	"time"
)

// Tally is what one task did over a stretch of time: how long it spent in each state there,
// a mixed window counting its shares, and where it ran.
type Tally struct {
	// Running is the time on a core.
	Running time.Duration
	// Ready is the time the task could run but waited; Lock and Loop are the parts of it
	// spent waiting for the global lock and for the event loop, the rest for a core.
	Ready, Lock, Loop time.Duration
	// Waiting is the time waiting for I/O or a timer; IO is the part of it the observation
	// says waited for input or output or a timer (a sleep, an await, a blocking read or poll).
	Waiting, IO time.Duration
	// Unknown is time an interval says nothing is known of; Done is time after the task ended.
	Unknown, Done time.Duration
	// Covered is the time any interval covers: the rest of the stretch has none.
	Covered time.Duration
	// Core and Thread are the core and thread of the task's longest running in the stretch,
	// or NoCore and 0 when it did not run there on a known one.
	Core, Thread int
}

// trackedCores is how many cores Tally tells apart when it picks the core a task ran on most;
// running on higher cores still counts, but cannot be that core.
const trackedCores = 64

// Tally adds up what t did in [from, to). Intervals are sorted and do not overlap, so it finds
// the first and last by binary search and reads only those that overlap the stretch; over a
// long stretch of an indexed task (Indexed), only those at its two ends: the cost of a cell is
// the same whatever the zoom.
func (t *Task) Tally(from, to time.Duration) Tally {
	tl := Tally{Core: NoCore}
	if to <= from {
		return tl
	}
	ivs, s := t.Intervals, t.seq()
	i := s.search(from)
	if t.index.valid(ivs) && t.index.n-i > 2*tallyBlock {
		if j := startingBefore(ivs, i, to); j-i > 2*tallyBlock+1 {
			if tl, ok := t.tallyIndexed(from, to, i, j); ok {
				return tl
			}
		}
	}
	var r runSums
	core := NoCore
	for ; i < s.len(); i++ {
		iv := s.at(i)
		if iv.Start >= to {
			break
		}
		r.add(iv, min(iv.End, to)-max(iv.Start, from), i)
		// The core run on most so far, the first to get there on a tie.
		if c := iv.Core; c >= 0 && c < trackedCores && r.byCore[c] > 0 && (core == NoCore || r.byCore[c] > r.byCore[core]) {
			core = c
		}
	}
	tl = r.states.tally()
	tl.Core = core
	if r.best.run > 0 {
		tl.Thread = r.best.thread
	}
	return tl
}

// startingBefore is the index of the first interval from i on that starts at or after to: by
// steps that double from i, then a binary search, so a short stretch reads only intervals
// near i.
func startingBefore(ivs []Interval, i int, to time.Duration) int {
	lo, step := i, 1
	for lo+step < len(ivs) && ivs[lo+step].Start < to {
		lo += step
		step *= 2
	}
	hi := min(lo+step, len(ivs))
	j, _ := slices.BinarySearchFunc(ivs[lo:hi], to, func(iv Interval, at time.Duration) int { return cmp.Compare(iv.Start, at) })
	return lo + j
}
