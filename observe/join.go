package observe

import (
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
// core). Where no span covers, the trace's interval stays, its core from the kernel's samples
// (coreOf). Times of spans are CLOCK_MONOTONIC; start is the run's time zero.
func exactGoroutine(t model.Task, byThread map[int][]oncpu.Span, start int64, coreOf func(iv model.Interval) int) model.Task {
	out := t
	out.Intervals = make([]model.Interval, 0, len(t.Intervals))
	add := func(iv model.Interval) { out.Intervals = appendMerged(out.Intervals, iv) }
	for _, iv := range t.Intervals {
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
		type piece struct {
			from, to int64
			core     int
		}
		var pieces []piece
		oncpu.Split(spans, start+int64(iv.Start), start+int64(iv.End), func(from, to int64, core int) {
			pieces = append(pieces, piece{from, to, core})
		})
		for i, pc := range pieces {
			at := func(from, to int64) model.Interval {
				part := iv
				part.Start, part.End = time.Duration(from-start), time.Duration(to-start)
				return part
			}
			switch {
			case pc.core >= 0:
				part := at(pc.from, pc.to)
				part.Core, part.Source = pc.core, model.SourceExact
				add(part)
			case pc.core == oncpu.Off:
				add(offCore(at(pc.from, pc.to)))
			case i+1 < len(pieces) && pieces[i+1].core != oncpu.Uncovered:
				// The goroutine reached a thread no check had seen yet: before the first check
				// there it finished the step it was in (at most CheckEvery of computation,
				// half of it on the average, which errs least) and was off the core the rest.
				cut := max(pc.from, pc.to-int64(oncpu.CheckEvery/2))
				add(offCore(at(pc.from, cut)))
				ran := at(cut, pc.to)
				ran.Core, ran.Source = coreOf(ran), model.SourceExact
				add(ran)
			default:
				// Before or after what the checks cover (after: checks not yet arrived, or
				// the task's last code after its meter stopped): the trace's word stands.
				part := at(pc.from, pc.to)
				part.Core = coreOf(part)
				add(part)
			}
		}
	}
	return out
}

// offCore is iv spent ready, waiting for a core: the kernel had its thread off one.
func offCore(iv model.Interval) model.Interval {
	iv.State, iv.Reason, iv.Core, iv.Thread, iv.Source = model.StateReady, model.ReasonCore, model.NoCore, 0, model.SourceExact
	return iv
}

// exactProcess lays a worker process's on-core spans (of its threads, in time order) over the
// lane its /proc windows gave:
// wherever a span says, it is the truth (running on a core, or ready for one); the sampled
// windows stay where no span covers (the process starting and ending).
func exactProcess(t model.Task, spans []oncpu.Span, start int64) model.Task {
	if len(spans) == 0 {
		return t
	}
	top := make([]model.Interval, 0, len(spans))
	for _, s := range spans {
		iv := model.Interval{Start: time.Duration(s.Start - start), End: time.Duration(s.End - start),
			State: model.StateRunning, Core: s.Core, Thread: s.Tid, Source: model.SourceExact}
		if s.Core == oncpu.Off {
			iv.State, iv.Reason, iv.Core, iv.Thread = model.StateReady, model.ReasonCore, model.NoCore, 0
		}
		if iv.End > max(iv.Start, 0) {
			iv.Start = max(iv.Start, 0)
			top = appendMerged(top, iv)
		}
	}
	out := t
	out.Intervals = overlay(t.Intervals, top)
	return out
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
