package observe

import (
	"cmp"
	"slices"
	"time"

	"timeslice/internal/oncpu"
	"timeslice/model"
)

// maxCoreOverlap is the most two tasks' measured running on one core may overlap and still be
// taken for the uncertainty of the measurement (each boundary the work's meter reports lies
// within one check's stretch of computation, oncpu.CheckEvery): model.OnePerCore cuts such
// overlaps in their middle.
const maxCoreOverlap = 2 * oncpu.CheckEvery

// exactGoroutine lays the work's on-core spans over the goroutine lane the trace gave: where
// the trace says the goroutine was running on a thread, that thread's spans (byThread) say
// whether the kernel had it on a core (running, on which core) or not (ready: it waited for a
// core). Times of spans are CLOCK_MONOTONIC; start is the run's time zero; final says the run
// has ended, so nothing more will be measured.
//
// Where no span covers a running stretch, the goroutine computed without a check there: it
// reached a thread before that thread's first check, or stayed on it after its last. A check
// comes every oncpu.CheckEvery of computation, so it ran at most that long there (half of it
// on the average, which errs least) and was off its core the rest. A stretch no check is near
// keeps the trace's word, with the core from the kernel's samples (coreOf); a system call no
// check covers may have blocked all along, so it is drawn waiting, not running.
func exactGoroutine(t model.Task, byThread map[int][]oncpu.Span, start int64, final bool, coreOf func(iv model.Interval) int) model.Task {
	out := t
	out.Intervals = make([]model.Interval, 0, len(t.Intervals))
	add := func(iv model.Interval) { out.Intervals = appendMerged(out.Intervals, iv) }
	const step = int64(oncpu.CheckEvery / 2)
	for n, iv := range t.Intervals {
		iv.Source = model.SourceTrace
		if iv.State != model.StateRunning {
			add(iv)
			continue
		}
		spans := byThread[iv.Thread]
		if iv.Thread == 0 || len(spans) == 0 {
			iv.Core = coreOf(iv)
			add(iv)
			continue
		}
		ended := final || n+1 < len(t.Intervals)
		at := func(from, to int64) model.Interval {
			part := iv
			part.Start, part.End = time.Duration(from-start), time.Duration(to-start)
			return part
		}
		ran := func(from, to int64, core int) {
			part := at(from, to)
			part.Core, part.Source = core, model.SourceExact
			if core < 0 {
				part.Core = coreOf(part)
			}
			add(part)
		}
		oncpu.Split(spans, start+int64(iv.Start), start+int64(iv.End), func(from, to int64, core int) {
			switch {
			case core >= 0:
				ran(from, to, core)
			case core == oncpu.Off && iv.Reason == model.ReasonSyscall:
				// Off its core inside a system call: blocked in it, most likely (a write
				// to a full pipe), not waiting for a core.
				part := at(from, to)
				part.State, part.Core, part.Thread, part.Source = model.StateWaiting, model.NoCore, 0, model.SourceExact
				add(part)
			case core == oncpu.Off:
				add(offCore(at(from, to)))
			case iv.Reason == model.ReasonSyscall:
				part := at(from, to)
				part.State, part.Core, part.Thread = model.StateWaiting, model.NoCore, 0
				add(part)
			case spanStartsAt(spans, to):
				cut := max(from, to-step) // before the thread's first check
				add(offCore(at(from, cut)))
				ran(cut, to, model.NoCore)
			case ended && spanEndsAt(spans, from):
				cut := min(to, from+step) // after the thread's last check
				ran(from, cut, model.NoCore)
				add(offCore(at(cut, to)))
			default:
				part := at(from, to)
				part.Core = coreOf(part)
				add(part)
			}
		})
	}
	return out
}

// spanStartsAt reports whether one of spans (in time order) starts at t.
func spanStartsAt(spans []oncpu.Span, t int64) bool {
	i, ok := slices.BinarySearchFunc(spans, t, func(s oncpu.Span, at int64) int { return cmp.Compare(s.Start, at) })
	return ok && i < len(spans)
}

// spanEndsAt reports whether one of spans (in time order) ends at t.
func spanEndsAt(spans []oncpu.Span, t int64) bool {
	i, ok := slices.BinarySearchFunc(spans, t, func(s oncpu.Span, at int64) int { return cmp.Compare(s.End, at) })
	return ok && i < len(spans)
}

// offCore is iv spent ready, waiting for a core: the kernel had its thread off one.
func offCore(iv model.Interval) model.Interval {
	iv.State, iv.Reason, iv.Core, iv.Thread, iv.Source = model.StateReady, model.ReasonCore, model.NoCore, 0, model.SourceExact
	return iv
}

// exactProcess lays a worker process's on-core spans (of its threads, in time order) over the
// lane its /proc windows gave: wherever a span says, it is the truth (running on a core, or
// ready for one); the sampled windows stay where no span covers (the process starting and
// ending). The spans' intervals are worked out in *top, whose memory is reused (nil: fresh).
func exactProcess(t model.Task, spans []oncpu.Span, start int64, top *[]model.Interval) model.Task {
	out := t
	if len(spans) > 0 {
		if top == nil {
			top = new([]model.Interval)
		}
		*top = (*top)[:0]
		exactSpans(top, spans, start)
		out.Intervals = overlay(t.Intervals, *top)
	}
	out.Intervals = doneOnceGone(out.Intervals)
	return out
}

// doneOnceGone is a worker's lane with the window in which the kernel saw it go drawn done,
// not unobserved: no interval covers it, since /proc cannot tell when in it the process went,
// but its meter stopped before it (once its partial sum was on its way) and all it did after
// that was exit. Only that window: what came before may already be final in a live lane, and
// the lane is the same whether or not spans were laid over it. ivs is changed only in a copy.
func doneOnceGone(ivs []model.Interval) []model.Interval {
	n := len(ivs)
	if n < 2 || ivs[n-1].State != model.StateDone || ivs[n-2].End >= ivs[n-1].Start {
		return ivs
	}
	ivs = slices.Clone(ivs)
	ivs[n-1].Start = ivs[n-2].End
	return ivs
}

// exactSpans appends a worker's on-core spans to *top as intervals from start: running on a
// core, or ready for one.
func exactSpans(top *[]model.Interval, spans []oncpu.Span, start int64) {
	for _, s := range spans {
		iv := model.Interval{Start: time.Duration(s.Start - start), End: time.Duration(s.End - start),
			State: model.StateRunning, Core: s.Core, Thread: s.Tid, Source: model.SourceExact}
		if s.Core == oncpu.Off {
			iv.State, iv.Reason, iv.Core, iv.Thread = model.StateReady, model.ReasonCore, model.NoCore, 0
		}
		if iv.End > max(iv.Start, 0) {
			iv.Start = max(iv.Start, 0)
			*top = appendMerged(*top, iv)
		}
	}
}

// overlay is base with top laid over it: top's intervals wherever they are, base's in the time
// top leaves. Both are sorted and without overlaps; so is the result.
func overlay(base, top []model.Interval) []model.Interval {
	out := make([]model.Interval, 0, len(base)+len(top))
	j := 0
	// gapFill adds the parts of base's intervals that lie in [from, to).
	gapFill := func(from, to time.Duration) {
		for ; j < len(base) && base[j].End <= from; j++ {
		}
		for k := j; k < len(base) && base[k].Start < to; k++ {
			iv := base[k]
			iv.Start, iv.End = max(iv.Start, from), min(iv.End, to)
			if iv.End > iv.Start {
				out = appendMerged(out, iv)
			}
		}
	}
	at := time.Duration(-1 << 62)
	for _, iv := range top {
		gapFill(at, iv.Start)
		out = appendMerged(out, iv)
		at = iv.End
	}
	gapFill(at, 1<<62)
	return out
}

// appendMerged appends iv to ivs, joining it to the last interval when it continues it unchanged.
func appendMerged(ivs []model.Interval, iv model.Interval) []model.Interval {
	if iv.End <= iv.Start {
		return ivs
	}
	if n := len(ivs); n > 0 {
		p := &ivs[n-1]
		if p.End == iv.Start && p.State == iv.State && p.Core == iv.Core && p.Thread == iv.Thread &&
			p.Reason == iv.Reason && p.Source == iv.Source && p.RunShare == iv.RunShare && p.ReadyShare == iv.ReadyShare {
			p.End = iv.End
			return ivs
		}
	}
	return append(ivs, iv)
}
