package oncpu

import (
	"cmp"
	"slices"
)

// Book keeps the spans of every task of a run as they arrive, merged and in time order. It is
// not safe for concurrent use.
type Book struct {
	tasks map[string][]Span
}

// Add files a batch of task's spans.
func (b *Book) Add(task string, batch []Span) {
	if b.tasks == nil {
		b.tasks = map[string][]Span{}
	}
	spans := b.tasks[task]
	for _, s := range batch {
		if s.End <= s.Start {
			continue
		}
		n := len(spans)
		switch {
		case n > 0 && spans[n-1].End == s.Start && spans[n-1].Core == s.Core && spans[n-1].Tid == s.Tid:
			spans[n-1].End = s.End
		case n > 0 && s.Start < spans[n-1].End:
			// Out of order (a batch from before): put it in its place.
			spans = append(spans, s)
			slices.SortStableFunc(spans, func(x, y Span) int { return cmp.Compare(x.Start, y.Start) })
		default:
			spans = append(spans, s)
		}
	}
	b.tasks[task] = spans
}

// Spans returns task's spans in time order; the slice is the book's own.
func (b *Book) Spans(task string) []Span { return b.tasks[task] }

// Tasks lists the tasks the book has spans for, in order of name.
func (b *Book) Tasks() []string {
	out := make([]string, 0, len(b.tasks))
	for t := range b.tasks {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Uncovered is the core Split reports for time no span covers.
const Uncovered = -2

// Split walks [from, to) through spans (sorted, as Book keeps them), calling fn for each
// stretch: on a core (core ≥ 0), Off, or Uncovered where no span of thread tid says (tid 0
// takes any thread).
func Split(spans []Span, tid int, from, to int64, fn func(from, to int64, core int)) {
	if to <= from {
		return
	}
	i, _ := slices.BinarySearchFunc(spans, from, func(s Span, t int64) int { return cmp.Compare(s.End, t+1) })
	at := from
	for ; i < len(spans) && at < to; i++ {
		s := spans[i]
		if tid != 0 && s.Tid != tid {
			continue
		}
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
