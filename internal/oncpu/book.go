package oncpu

import (
	"cmp"
	"slices"
)

// Span is one stretch of a thread, on a core or off it, in CLOCK_MONOTONIC nanoseconds.
type Span struct {
	Tid        int
	Core       int // the core, or Off
	Start, End int64
}

// Book keeps the samples of every thread of a run as they arrive, from every meter that
// checked that thread, in time order, and turns them into the thread's spans on and off its
// cores. Samples of one thread taken for different tasks (goroutines the Go scheduler ran on it
// in turn) all tell about that thread, so they are read together. It is not safe for
// concurrent use.
type Book struct {
	threads map[int]*thread
	tasks   map[string][]int    // the threads each task's samples came from
	own     map[string][]Sample // each task's own samples, in time order
	// changed is the earliest time (CLOCK_MONOTONIC ns) from which a thread's spans may have
	// changed since Changed was last called, or 0 for none.
	changed int64
}

// thread is one thread's samples, and its spans derived from the first done of them.
type thread struct {
	samples []Sample
	spans   []Span
	done    int // samples whose pair with the next is in spans
}

// Add files a batch of samples taken for task.
func (b *Book) Add(task string, batch []Sample) {
	if b.threads == nil {
		b.threads, b.tasks, b.own = map[int]*thread{}, map[string][]int{}, map[string][]Sample{}
	}
	own := b.own[task]
	for _, smp := range batch {
		// The task's spans change from its sample before this one.
		var at int
		own, at = insertSample(own, smp)
		b.changedFrom(own[max(at-1, 0)].At)
	}
	b.own[task] = own
	for _, s := range batch {
		th := b.threads[s.Tid]
		if th == nil {
			th = &thread{}
			b.threads[s.Tid] = th
		}
		n := len(th.samples)
		late := n > 0 && s.At < th.samples[n-1].At
		var at int
		th.samples, at = insertSample(th.samples, s)
		if late {
			// From another meter, earlier than what came before: the spans are derived
			// again from the sample before the first one at its time.
			i, _ := slices.BinarySearchFunc(th.samples, s.At, func(x Sample, t int64) int { return cmp.Compare(x.At, t) })
			th.rewind(i)
			at = i
		}
		b.changedFrom(th.samples[max(at-1, 0)].At) // the spans change from the sample before it
		if !slices.Contains(b.tasks[task], s.Tid) {
			b.tasks[task] = append(b.tasks[task], s.Tid)
		}
	}
}

// insertSample puts s in its place in samples, kept in time order (after any of the same
// time), and returns where: at the end, unless it comes from another meter late.
func insertSample(samples []Sample, s Sample) ([]Sample, int) {
	if n := len(samples); n == 0 || samples[n-1].At <= s.At {
		return append(samples, s), n
	}
	i, _ := slices.BinarySearchFunc(samples, s.At+1, func(x Sample, t int64) int { return cmp.Compare(x.At, t) })
	return slices.Insert(samples, i, s), i
}

// rewind forgets the spans derived from sample i on.
func (th *thread) rewind(i int) {
	i = max(i-1, 0)
	if i >= th.done {
		return
	}
	start := th.samples[i].At
	k, _ := slices.BinarySearchFunc(th.spans, start, func(s Span, at int64) int { return cmp.Compare(s.Start, at) })
	th.spans, th.done = th.spans[:k], i
	if k > 0 && th.spans[k-1].End > start {
		// A span joined across start: the part after it is derived again.
		th.spans[k-1].End = start
	}
}

// changedFrom notes that spans may have changed from at on.
func (b *Book) changedFrom(at int64) {
	if b.changed == 0 || at < b.changed {
		b.changed = at
	}
}

// Changed returns the earliest time (CLOCK_MONOTONIC ns) from which any thread's spans may
// have changed since the last call, and false when none has.
func (b *Book) Changed() (from int64, ok bool) {
	from, b.changed = b.changed, 0
	return from, from != 0
}

// AllThreads lists every thread the book has samples of, in increasing order.
func (b *Book) AllThreads() []int {
	out := make([]int, 0, len(b.threads))
	for tid := range b.threads {
		out = append(out, tid)
	}
	slices.Sort(out)
	return out
}

// Threads lists the threads task's samples came from, in the order they first did.
func (b *Book) Threads(task string) []int { return b.tasks[task] }

// Spans returns thread tid's spans on and off its cores, in time order, from its first sample
// to its last; the slice is the book's own. Between two samples the thread ran for as long as
// its CPU clock advanced, and was off its core for the rest; where in between it left is not
// known, so the absence is placed in the middle of its running there, which errs by at most
// half of it (CheckEvery while the work computes).
func (b *Book) Spans(tid int) []Span {
	th := b.threads[tid]
	if th == nil {
		return nil
	}
	for ; th.done+1 < len(th.samples); th.done++ {
		a, z := th.samples[th.done], th.samples[th.done+1]
		th.spans = appendPair(th.spans, a, z)
	}
	return th.spans
}

// appendPair appends the spans between two samples of one thread.
func appendPair(spans []Span, a, z Sample) []Span {
	wall := z.At - a.At
	if wall <= 0 {
		return spans
	}
	ran := min(max(z.CPU-a.CPU, 0), wall)
	off := wall - ran
	if off == 0 {
		mid := a.At + wall/2
		spans = appendSpan(spans, Span{a.Tid, a.Core, a.At, mid})
		return appendSpan(spans, Span{a.Tid, z.Core, mid, z.At})
	}
	left := a.At + ran/2
	spans = appendSpan(spans, Span{a.Tid, a.Core, a.At, left})
	spans = appendSpan(spans, Span{a.Tid, Off, left, left + off})
	return appendSpan(spans, Span{a.Tid, z.Core, left + off, z.At})
}

// appendSpan appends s, joining it to the last span when it continues it on the same core.
func appendSpan(spans []Span, s Span) []Span {
	if s.End <= s.Start {
		return spans
	}
	if n := len(spans); n > 0 && spans[n-1].End == s.Start && spans[n-1].Core == s.Core {
		spans[n-1].End = s.End
		return spans
	}
	return append(spans, s)
}

// TaskSpans returns the spans of the threads task's own samples were taken on, one after the
// other as the task went from thread to thread: a task that computes in a process of its own
// (a worker) is its samples' story alone. The time between a task's last sample on one thread
// and its first on another is left out. Only the spans that end at or after since
// (CLOCK_MONOTONIC ns; 0 for all of them) are worked out.
func (b *Book) TaskSpans(task string, since int64) []Span {
	return b.AppendTaskSpans(nil, task, since)
}

// AppendTaskSpans is TaskSpans appended to spans: a caller that asks again and again may hand
// back what it got last time.
func (b *Book) AppendTaskSpans(spans []Span, task string, since int64) []Span {
	own := b.own[task]
	first, _ := slices.BinarySearchFunc(own, since, func(s Sample, at int64) int { return cmp.Compare(s.At, at) })
	// Two samples make at most three spans; most pairs, on one core all along, make one.
	spans = slices.Grow(spans, 2*max(len(own)-first, 1))
	for i := max(first, 1); i < len(own); i++ {
		if own[i].Tid == own[i-1].Tid {
			spans = appendPair(spans, own[i-1], own[i])
		}
	}
	return spans
}

// Uncovered is the core Split reports for time no span covers.
const Uncovered = -2

// Split walks [from, to) through spans (sorted, as Book gives them), calling fn for each
// stretch: on a core (core ≥ 0), Off, or Uncovered where no span says.
func Split(spans []Span, from, to int64, fn func(from, to int64, core int)) {
	if to <= from {
		return
	}
	i, _ := slices.BinarySearchFunc(spans, from, func(s Span, t int64) int { return cmp.Compare(s.End, t+1) })
	at := from
	for ; i < len(spans) && at < to; i++ {
		s := spans[i]
		if s.End <= at {
			continue
		}
		if s.Start >= to {
			break
		}
		if s.Start > at {
			fn(at, s.Start, Uncovered)
			at = s.Start
		}
		end := min(s.End, to)
		fn(at, end, s.Core)
		at = end
	}
	if at < to {
		fn(at, to, Uncovered)
	}
}
