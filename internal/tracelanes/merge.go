package tracelanes

import (
	"cmp"
	"slices"
	"time"

	"timeslice/model"
)

// seamSlack is the widest gap between two views that still counts as one moment: a window that
// starts at a generation cut opens a few microseconds after the previous window's last event,
// and nothing can happen in between. Windows the observer skipped leave a gap of a snapshot period or more.
const seamSlack = time.Millisecond

// MergeViews joins two views of one run, next taken after prev: it keeps prev's intervals
// before next.From (cutting any that straddle it) and takes next's from there. When next starts
// within seamSlack after prev ends, the states prev ended in last until next begins.
//
// Next may start before prev ends: the processors do not all start a new generation at the same
// instant, and under load they can be milliseconds apart. A goroutine's events in the earlier
// generation all come before its events in the later one, and a window opens each goroutine with
// its state as announced, no event of its own; so over that overlap a task keeps prev's
// intervals, which saw what it did there (and why it waits), until its first event in next or
// the end of prev, whichever comes first.
//
// Tasks are matched by name. A nil prev returns next. MergeViews takes prev and next over: it
// extends prev's lanes in place, so that joining a window costs what the window adds, however
// long the run; neither may be used afterwards.
func MergeViews(prev, next *TraceView) *TraceView {
	if prev == nil {
		return next
	}
	if next == nil {
		return prev
	}
	out := *next
	out.Tasks = make([]model.Task, 0, len(prev.Tasks)+len(next.Tasks))
	out.Preemptions = make(map[string]int, len(prev.Tasks)+len(next.Tasks))
	out.From = min(prev.From, next.From)
	if out.StartMono == 0 {
		out.StartMono = prev.StartMono
	}
	cut := next.From
	bridge := next.From > prev.To && next.From-prev.To <= seamSlack
	nextByName := make(map[string]int, len(next.Tasks))
	for i := range next.Tasks {
		nextByName[next.Tasks[i].Name] = i
	}
	seen := make([]bool, len(next.Tasks))
	prevCounts := prev.Preemptions
	if prevCounts == nil { // a view not made by ParseTrace or MergeViews
		prevCounts = countPreemptions(prev.Tasks)
	}
	for _, pt := range prev.Tasks {
		t := model.Task{Name: pt.Name, Kind: pt.Kind}
		var after []model.Interval
		taskCut := cut
		ni, inNext := nextByName[pt.Name]
		if inNext {
			seen[ni] = true
			after = next.Tasks[ni].Intervals
			if len(after) > 0 && prev.To > cut && after[0].Start == cut {
				taskCut = min(prev.To, after[0].End)
				if after[0].Start = taskCut; after[0].Start == after[0].End {
					after = after[1:]
				}
			}
		}
		// Prev's intervals before the cut, the last one cut there; the one after a seam one
		// moment long runs on to the next window.
		k, _ := slices.BinarySearchFunc(pt.Intervals, taskCut, func(iv model.Interval, at time.Duration) int { return cmp.Compare(iv.Start, at) })
		from := max(k-1, 0)
		dropped := preempted(pt.Intervals[from:]) // counted in prev, and cut off or changed here
		t.Intervals = pt.Intervals[:k]
		n := len(t.Intervals)
		if n > 0 {
			t.Intervals[n-1].End = min(t.Intervals[n-1].End, taskCut)
		}
		if bridge && n > 0 && t.Intervals[n-1].End == prev.To {
			t.Intervals[n-1].End = cut
		}
		switch {
		case inNext:
			t.Intervals = joinIntervals(t.Intervals, after)
		case n > 0 && t.Intervals[n-1].State == model.StateDone && t.Intervals[n-1].End == cut:
			t.Intervals[n-1].End = max(cut, next.To) // finished before the window: still done
		}
		if len(t.Intervals) > 0 {
			// The preemptions among what stays of prev are prev's less those from the cut on.
			out.Preemptions[t.Name] = prevCounts[t.Name] - dropped + preempted(t.Intervals[from:])
			out.Tasks = append(out.Tasks, t)
		}
	}
	for i, nt := range next.Tasks {
		if !seen[i] {
			out.Tasks = append(out.Tasks, model.Task{Name: nt.Name, Kind: nt.Kind, Intervals: nt.Intervals})
			out.Preemptions[nt.Name] = preempted(nt.Intervals)
		}
	}
	for name, n := range out.Preemptions {
		if n == 0 {
			delete(out.Preemptions, name)
		}
	}
	return &out
}

// joinIntervals appends b to a, merging the two intervals that meet at the seam when they
// show the same state. A window opens by announcing each goroutine's state without the reason
// it got there, so a goroutine blocked on the lock reads there as plainly waiting: when the
// interval before the seam says what it waited for, the one after it keeps saying so.
func joinIntervals(a, b []model.Interval) []model.Interval {
	if len(a) > 0 && len(b) > 0 {
		l := a[len(a)-1]
		if statusOnly(b[0], l.End) && blocked(l) {
			b = slices.Clone(b)
			b[0].State, b[0].Reason = l.State, l.Reason
		}
		f := b[0]
		if l.End == f.Start && l.State == f.State && l.Thread == f.Thread {
			a[len(a)-1].End = f.End
			b = b[1:]
		}
	}
	return append(a, b...)
}

// statusOnly reports whether iv is how a view that begins at from opens a goroutine it found
// waiting: the state without the reason, which the trace gave in an earlier generation.
func statusOnly(iv model.Interval, from time.Duration) bool {
	return iv.Start == from && iv.State == model.StateWaiting && iv.Reason == model.ReasonNone
}

// blocked reports whether iv is a goroutine parked for a reason the trace gave: waiting for
// something, or for the lock (shown as ready).
func blocked(iv model.Interval) bool {
	return (iv.State == model.StateWaiting && iv.Reason != model.ReasonNone) || (iv.State == model.StateReady && iv.Reason == model.ReasonLock)
}
