package procfs

import (
	"cmp"
	"slices"
	"time"

	"timeslice/model"
)

// Switches returns the context switches of a process summed over its threads. For the child and
// watched processes it is the latest sampled count, which keeps threads and processes that have
// exited (as last seen); for any other pid it reads /proc now. Zero when nothing is known.
func (s *ProcSampler) Switches(pid int) (voluntary, involuntary int) {
	s.mu.Lock()
	if s.child != nil && s.child.pid == pid {
		for _, h := range s.threads {
			voluntary += h.vol
			involuntary += h.invol
		}
		s.mu.Unlock()
		return voluntary, involuntary
	}
	for _, w := range s.procs {
		if w.pid == pid {
			defer s.mu.Unlock()
			return w.hist.vol, w.hist.invol
		}
	}
	s.mu.Unlock()
	voluntary, involuntary, err := s.fs.Switches(pid)
	if err != nil {
		return 0, 0
	}
	return voluntary, involuntary
}

// ThreadCore returns the core a thread of the child was on while running in [from, to] (CLOCK_MONOTONIC
// ns), and false when that is not known; it never guesses.
//
// Samples taken inside [from, to] in which the thread's on-CPU time grew read the core of a
// thread that was running at that moment: if there are any, they must all name the same core.
// If there are none (an interval shorter than the period), the first sample after to is used,
// if it comes no later than to+period, its on-CPU time grew and its core was read; it names the
// core the thread last ran on, which is the interval's core unless the thread ran again on
// another core before that sample.
func (s *ProcSampler) ThreadCore(tid int, from, to int64) (core int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.threads[tid]
	if h == nil || to < from {
		return model.NoCore, false
	}
	core = model.NoCore
	// Samples are stored in time order: skip those before from without reading them, so a
	// long run's history costs each lookup a binary search rather than a scan.
	first, _ := slices.BinarySearchFunc(h.samples, from, func(smp ProcSample, at int64) int { return cmp.Compare(smp.At, at) })
	for _, smp := range h.samples[first:] {
		if smp.At > to {
			if core != model.NoCore {
				return core, true
			}
			if smp.At <= to+int64(s.period) && smp.CPU != model.NoCore {
				return smp.CPU, true
			}
			return model.NoCore, false
		}
		if smp.CPU == model.NoCore {
			continue
		}
		if core != model.NoCore && core != smp.CPU {
			return model.NoCore, false
		}
		core = smp.CPU
	}
	return core, core != model.NoCore
}

// ProcessTasks returns one Task per watched process, in the order they were watched, with
// intervals in time since startMono (CLOCK_MONOTONIC ns); time before startMono is cut off.
//
// Each stored sample covers the window (From, At] and the window before it, from the previous
// sample's At to From, changed nothing, so it is Waiting. A window of length w in which the
// process's threads added run ns of CPU time and spent wait ns in the run queue (Queued: the
// kernel's wait counter, moved back to the windows where the waiting happened) reads as
// windowInterval says: one state when it held the whole window, else one mixed interval with
// the shares of running (Core and Thread of the thread that ran most), ready and waiting.
//
// The window in which the process was seen to have exited has
// no counters and is left unknown (no interval); Done runs from the sample that saw the exit to
// the latest sampling round. Time after the latest observation of a live process is unknown.
// Adjacent intervals with the same state, core and thread are merged.
func (s *ProcSampler) ProcessTasks(startMono int64) []model.Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	tasks := make([]model.Task, 0, len(s.procs))
	for _, w := range s.procs {
		tasks = append(tasks, model.Task{Name: w.name, Kind: model.KindProcess, Intervals: w.hist.intervals(startMono, s.last)})
	}
	return tasks
}

// intervals classifies a process's samples as ProcessTasks documents. The intervals of samples
// already classified for the same startMono are kept (see intervalCache): each call classifies
// only the samples that are new since the last, so a live view's refresh costs the same late in
// a long run as early on.
func (h *history) intervals(startMono, last int64) []model.Interval {
	c := &h.cache
	if c.start != startMono || c.n > len(h.samples) {
		*c = intervalCache{start: startMono}
	}
	// A process's last sample (Done) draws up to the latest round, which moves on: it is
	// classified afresh each time, after the kept ones.
	for ; c.n < len(h.samples) && !h.samples[c.n].Done; c.n++ {
		h.classify(&c.out, c.n, startMono, last)
	}
	out := slices.Clone(c.out)
	for i := c.n; i < len(h.samples); i++ {
		h.classify(&out, i, startMono, last)
	}
	if n := len(h.samples); n > 0 && !h.done {
		addInterval(&out, startMono, h.samples[n-1].At, h.seen, model.Interval{State: model.StateWaiting, Core: model.NoCore, Source: model.SourceSampled})
	}
	return out
}

// intervalCache is what history.intervals has classified so far: the intervals of the first n
// samples, with times since start.
type intervalCache struct {
	start int64
	n     int
	out   []model.Interval
}

// classify appends to out the intervals of sample i: the unchanged stretch since sample i-1, then
// the window sample i covers, or Done from it to last.
func (h *history) classify(out *[]model.Interval, i int, startMono, last int64) {
	smp := h.samples[i]
	if i == 0 {
		if smp.Done {
			addInterval(out, startMono, smp.At, last, model.Interval{State: model.StateDone, Core: model.NoCore, Source: model.SourceSampled})
		}
		return
	}
	prev := h.samples[i-1]
	addInterval(out, startMono, prev.At, smp.From, model.Interval{State: model.StateWaiting, Core: model.NoCore, Source: model.SourceSampled})
	if smp.Done {
		addInterval(out, startMono, smp.At, max(last, smp.At), model.Interval{State: model.StateDone, Core: model.NoCore, Source: model.SourceSampled})
		return
	}
	addInterval(out, startMono, smp.From, smp.At, windowInterval(smp.At-smp.From, smp.Run-prev.Run, smp.Queued, smp.CPU, smp.TID))
}

// addInterval appends iv over (from, to] (CLOCK_MONOTONIC ns), in time since startMono and cut
// off before it, merging it into the last interval of out when it continues it unchanged.
func addInterval(out *[]model.Interval, startMono, from, to int64, iv model.Interval) {
	from, to = max(from-startMono, 0), to-startMono
	if to <= from {
		return
	}
	iv.Start, iv.End = time.Duration(from), time.Duration(to)
	if n := len(*out); n > 0 {
		p := &(*out)[n-1]
		if p.End == iv.Start && p.State == iv.State && p.Core == iv.Core && p.Thread == iv.Thread &&
			p.Reason == iv.Reason && p.RunShare == iv.RunShare && p.ReadyShare == iv.ReadyShare {
			p.End = iv.End
			return
		}
	}
	*out = append(*out, iv)
}

// windowInterval is how one window of length w reads by the kernel's counts: run ns on a CPU,
// wait ns queued for one, the rest asleep. A window spent in one state reads as that state;
// any other is one mixed interval with the shares of each over its whole span, since the
// kernel gives the amounts and not their order. Totals over a run equal the kernel's counters.
func windowInterval(w, run, wait int64, core, tid int) model.Interval {
	run = min(max(run, 0), w)
	wait = min(max(wait, 0), w-run)
	iv := model.Interval{Core: model.NoCore, Source: model.SourceSampled}
	switch {
	case run == w:
		iv.State, iv.Core, iv.Thread = model.StateRunning, core, tid
	case wait == w:
		iv.State, iv.Reason = model.StateReady, model.ReasonCore
	case run == 0 && wait == 0:
		iv.State = model.StateWaiting
	default:
		iv.State = model.StateMixed
		iv.RunShare, iv.ReadyShare = float32(float64(run)/float64(w)), float32(float64(wait)/float64(w))
		if run > 0 {
			iv.Core, iv.Thread = core, tid
		}
	}
	return iv
}
