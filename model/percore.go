package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// OnePerCore makes every core run one task at a time. Where two tasks' running intervals on
// the same core overlap by no more than maxOverlap, which is what measuring their boundaries
// cannot tell apart, the overlap is cut at its middle and each task spends its cut part ready,
// waiting for the core. A longer overlap is a fault of the observation: it is left as it is,
// for the checks (OverCores) to find. Each task's intervals stay sorted and contiguous. The
// tasks hold all their intervals in Intervals: none held open (Task.WithOpen). Intervals are
// changed in place and may grow into their spare capacity: pass lists owned to their capacity.
func OnePerCore(tasks []Task, maxOverlap time.Duration) {
	// ref is one running interval on a known core: which, and its core and start to sort by.
	type ref struct {
		core     int
		start    time.Duration
		task, iv int
	}
	n := 0
	for _, t := range tasks {
		n += len(t.Intervals)
	}
	refs := make([]ref, 0, n)
	for ti, t := range tasks {
		for ii, iv := range t.Intervals {
			if iv.State == StateRunning && iv.Core >= 0 && iv.End > iv.Start {
				refs = append(refs, ref{iv.Core, iv.Start, ti, ii})
			}
		}
	}
	at := func(r ref) *Interval { return &tasks[r.task].Intervals[r.iv] }
	// Two intervals that start together on one core are taken in the order of their tasks'
	// names, so the outcome does not depend on the order of the tasks nor on the sort's.
	slices.SortFunc(refs, func(a, b ref) int {
		if c := cmp.Compare(a.core, b.core); c != 0 {
			return c
		}
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(tasks[a.task].Name, tasks[b.task].Name), cmp.Compare(a.task, b.task), cmp.Compare(a.iv, b.iv))
	})
	patches := make([][]Interval, len(tasks)) // per task, the ready parts cut from its running
	changed := make([]bool, len(tasks))
	ready := func(task int, iv *Interval, from, to time.Duration) {
		if to > from {
			patches[task] = append(patches[task], Interval{Start: from, End: to, State: StateReady,
				Reason: ReasonCore, Core: NoCore, Source: iv.Source})
		}
	}
	for k := 1; k < len(refs); k++ {
		prev, next := refs[k-1], refs[k]
		a, b := at(prev), at(next)
		if a.Core != b.Core || prev.task == next.task || b.Start >= a.End {
			continue
		}
		switch overlap := min(a.End, b.End) - b.Start; {
		case overlap > maxOverlap:
			continue
		case b.End <= a.End: // b lies within a: a keeps the core, b waited for it
			b.State, b.Reason, b.Core, b.Thread = StateReady, ReasonCore, NoCore, 0
			refs[k] = prev            // a is still the one to compare the next with
			changed[next.task] = true // to be joined to the ready around it
		default:
			mid := b.Start + overlap/2
			ready(prev.task, a, mid, a.End)
			ready(next.task, b, b.Start, mid)
			a.End, b.Start = mid, mid
			changed[prev.task], changed[next.task] = true, true
		}
	}
	for ti := range tasks {
		if changed[ti] {
			t := &tasks[ti]
			ivs := slices.DeleteFunc(t.Intervals, func(iv Interval) bool { return iv.End <= iv.Start })
			t.Intervals = mergeAdjacent(mergeByStart(ivs, patches[ti]))
		}
	}
}

// mergeByStart is ivs, sorted by start, and ps, in any order, in one list sorted by start: of
// two that start together, the one from ivs first. It merges into ivs's spare capacity when
// there is room.
func mergeByStart(ivs, ps []Interval) []Interval {
	if len(ps) == 0 {
		return ivs
	}
	slices.SortStableFunc(ps, func(x, y Interval) int { return cmp.Compare(x.Start, y.Start) })
	if n := len(ivs) + len(ps); n <= cap(ivs) {
		// From the back: the next place to fill is never before the next of ivs to place.
		out := ivs[:n]
		i, j := len(ivs)-1, len(ps)-1
		for k := n - 1; j >= 0; k-- {
			if i >= 0 && ivs[i].Start > ps[j].Start {
				out[k], i = ivs[i], i-1
			} else {
				out[k], j = ps[j], j-1
			}
		}
		return out
	}
	out := make([]Interval, 0, len(ivs)+len(ps))
	i, j := 0, 0
	for i < len(ivs) && j < len(ps) {
		if ivs[i].Start <= ps[j].Start {
			out = append(out, ivs[i])
			i++
		} else {
			out = append(out, ps[j])
			j++
		}
	}
	out = append(out, ivs[i:]...)
	return append(out, ps[j:]...)
}

// mergeAdjacent joins intervals that meet and say the same thing.
func mergeAdjacent(ivs []Interval) []Interval {
	out := ivs[:0]
	for _, iv := range ivs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.End == iv.Start && p.State == iv.State && p.Reason == iv.Reason && p.Core == iv.Core &&
				p.Thread == iv.Thread && p.Source == iv.Source && p.RunShare == iv.RunShare && p.ReadyShare == iv.ReadyShare {
				p.End = iv.End
				continue
			}
		}
		out = append(out, iv)
	}
	return out
}
