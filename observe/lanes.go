package observe

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"timeslice/model"
)

// While a run goes on, a lane's intervals become final sealLag behind what every input covers
// (trace windows, the work's own measurements and /proc samples all arrive well within it),
// sealEvery at a time. Should anything still arrive about a time already final, the lanes are
// worked out again from there (liveLanes.rewind).
const (
	sealLag   = 400 * time.Millisecond
	sealEvery = 100 * time.Millisecond
)

// censusAbove is how many lanes a run has before its Runs carry a census (model.Run.Census):
// with a few lanes, the folded view adds up their tallies as cheaply, and keeping a census
// would cost every Run handed out the sorting of every interval not yet final.
const censusAbove = 64

// coreSettle is how long after a running interval ends its core, from the kernel's samples,
// may still change as later samples arrive.
const coreSettle = 250 * time.Millisecond

// noChange is a time after any run: nothing changed.
const noChange = time.Duration(math.MaxInt64)

// liveLanes works out the lanes of a live run's Runs from what changed since the last one, so
// that handing out a Run costs what is new, not the run so far: each lane's final part (before
// the seal) is kept and handed out as it is, shared (model.Task.WithOpen), and only the part
// after it is worked out again, when what it is read from changed. The facts are kept the same
// way (model.FactsParts). Only the session's goroutine uses it; the tasks it hands out are
// never changed afterwards.
type liveLanes struct {
	seal   time.Duration // every lane is final before it
	lanes  map[string]*liveLane
	order  []*liveLane // in the order of the Run's tasks: by name
	late   []*liveLane // the lanes whose core may still settle
	dirty  []*liveLane // the lanes to hand out afresh
	facts  model.FactsParts
	census model.CensusBuilder
	// counting says the census is kept: the run has more than censusAbove lanes.
	counting bool
	tasks    []model.Task // the tasks last handed out, in order
	// laneFacts are the facts of the tasks last handed out, without the load samples.
	laneFacts *model.Facts
}

// liveLane is one lane of a live run.
type liveLane struct {
	name   string
	kind   model.TaskKind
	key    nameKey
	sealed []model.Interval // the final part, before the seal
	raw    []model.Interval // the part from the seal on, as its inputs give it
	tail   []model.Interval // raw, after model.OnePerCore among all lanes
	pub    model.Task       // as last handed out: sealed, then tail
	dirty  bool             // pub is not sealed and tail any more
	late   bool             // raw runs close enough to the newest time that its core may change
	seen   bool             // the inputs had it this time
	input  int              // where the inputs had it last: laneInputs.goroutines[input]
}

// laneInputs is what the lanes are worked out from.
type laneInputs struct {
	// goroutines are the trace's lanes, procs /proc's lanes of worker processes.
	goroutines, procs []model.Task
	preemptions       map[string]int
	// exact lays the work's own measurements over a part of a lane.
	exact func(model.Task) model.Task
	// changed says the trace was read again or the work's measurements changed: every lane is
	// worked out again from the seal. Otherwise only the lanes whose inputs move on their own
	// (processes, and running whose core is not settled) are.
	changed bool
	// settled is the time before which the kernel's samples say where every thread ran;
	// horizon how far every input reaches.
	settled, horizon time.Duration
}

// nameKey orders "call 2" before "call 10": by the text, then by the trailing number.
type nameKey struct {
	text string
	num  int
}

func keyOf(name string) nameKey {
	text, num := splitNumber(name)
	return nameKey{text, num}
}

func (a nameKey) compare(b nameKey) int {
	return cmp.Or(strings.Compare(a.text, b.text), cmp.Compare(a.num, b.num))
}

// rewind opens every lane again from at on (or earlier: where no lane runs across), when
// something arrived about a time already final; the facts of what stays final are added up
// again.
func (ll *liveLanes) rewind(at time.Duration, in *laneInputs) {
	if at >= ll.seal {
		return
	}
	ll.seal = ll.whole(max(at, 0), in)
	ll.facts, ll.census = model.FactsParts{}, model.CensusBuilder{}
	for _, l := range ll.order {
		l.sealed = before(l.sealed, ll.seal)
		l.raw, l.tail = nil, nil
		ll.facts.Add(l.name, l.sealed)
		if ll.counting {
			ll.census.Seal(l.sealed, ll.seal)
		}
		ll.markDirty(l)
	}
}

// markDirty marks l to be handed out afresh.
func (ll *liveLanes) markDirty(l *liveLane) {
	if !l.dirty {
		l.dirty = true
		ll.dirty = append(ll.dirty, l)
	}
}

// whole is t, or an earlier time, at which no lane's running is cut in a way that could come
// out otherwise: not in what the lanes are worked out from, nor in what they hold. Lanes are
// worked out again from the seal on, and running cut in two there could: its core from the
// kernel's samples over part of it, a mixed window's shares, two tasks' overlap on one core
// measured over part of it (model.OnePerCore cuts it at its middle). Running the work measured
// exactly, on a core no other lane's running is across t on, comes out the same in two pieces:
// t may cut it. Without that, t would go back, across lanes, to where every core changed task
// at the same instant, which while every core is busy may not happen for a second.
func (ll *liveLanes) whole(t time.Duration, in *laneInputs) time.Duration {
	type onCore struct {
		lane  string
		start time.Duration
	}
	for moved := true; moved && t > 0; {
		moved = false
		var exact map[int][]onCore // per core, the exactly measured running across t
		across := func(lane string, ivs []model.Interval) {
			i, _ := slices.BinarySearchFunc(ivs, t, func(iv model.Interval, at time.Duration) int { return cmp.Compare(iv.End, at+1) })
			if i == len(ivs) || ivs[i].Start >= t || runShareOf(ivs[i]) <= 0 {
				return
			}
			if iv := ivs[i]; iv.State == model.StateRunning && iv.Source == model.SourceExact && iv.Core >= 0 {
				if exact == nil {
					exact = map[int][]onCore{}
				}
				exact[iv.Core] = append(exact[iv.Core], onCore{lane, iv.Start})
				return
			}
			t, moved = ivs[i].Start, true
		}
		for _, l := range ll.order {
			across(l.name, l.sealed)
			across(l.name, l.raw)
			across(l.name, l.tail)
		}
		for _, tk := range in.goroutines {
			across(tk.Name, tk.Intervals)
		}
		for _, tk := range in.procs {
			across(tk.Name, tk.Intervals)
		}
		if moved {
			continue
		}
		for _, on := range exact { // two lanes on one core: back to where the first began
			if slices.ContainsFunc(on, func(o onCore) bool { return o.lane != on[0].lane }) {
				t, moved = min(t, slices.MinFunc(on, func(a, b onCore) int { return cmp.Compare(a.start, b.start) }).start), true
			}
		}
	}
	return max(t, 0)
}

// runShareOf is the part of iv its task ran: all of a running interval, a mixed window's share.
func runShareOf(iv model.Interval) float32 {
	switch iv.State {
	case model.StateRunning:
		return 1
	case model.StateMixed:
		return iv.RunShare
	}
	return 0
}

// from is the part of ivs from at on, the interval across at cut there. It shares nothing
// with ivs.
func from(ivs []model.Interval, at time.Duration) []model.Interval {
	i, _ := slices.BinarySearchFunc(ivs, at, func(iv model.Interval, t time.Duration) int { return cmp.Compare(iv.End, t+1) })
	out := slices.Clone(ivs[i:])
	if len(out) > 0 && out[0].Start < at {
		out[0].Start = at
	}
	return out
}

// before is the part of ivs before at, the interval across at cut there. It shares nothing
// with ivs.
func before(ivs []model.Interval, at time.Duration) []model.Interval {
	i, _ := slices.BinarySearchFunc(ivs, at, func(iv model.Interval, t time.Duration) int { return cmp.Compare(iv.Start, t) })
	out := slices.Clone(ivs[:i])
	if n := len(out); n > 0 && out[n-1].End > at {
		out[n-1].End = at
	}
	return out
}

// runsAfter reports whether ivs run on a thread after t: running whose core the kernel's
// samples may not have settled yet.
func runsAfter(ivs []model.Interval, t time.Duration) bool {
	for i := len(ivs) - 1; i >= 0 && ivs[i].End > t; i-- {
		if ivs[i].State == model.StateRunning {
			return true
		}
	}
	return false
}

// build works out the lanes for in and returns them in order, with the facts of r with them,
// and gives r its census index (model.Run.Census).
func (ll *liveLanes) build(r *model.Run, in laneInputs) ([]model.Task, *model.Facts) {
	if ll.lanes == nil {
		ll.lanes = map[string]*liveLane{}
	}
	added, changed := false, false
	lane := func(t model.Task) *liveLane {
		l := ll.lanes[t.Name]
		if l == nil {
			l = &liveLane{name: t.Name, kind: t.Kind, key: keyOf(t.Name)}
			ll.lanes[l.name] = l
			ll.order = append(ll.order, l)
			ll.markDirty(l)
			added = true
		}
		l.seen = true
		return l
	}
	redo := func(l *liveLane, t model.Task) {
		t.Intervals = from(t.Intervals, ll.seal)
		if t.Kind != model.KindProcess && !slices.ContainsFunc(t.Intervals, func(iv model.Interval) bool { return iv.State == model.StateRunning }) {
			l.raw = traceOnly(t.Intervals) // what exact gives a goroutine that did not run there
		} else {
			// What exact gives is its own: it is cut in place.
			l.raw = cutFront(in.exact(t).Intervals, ll.seal)
		}
		if late := runsAfter(l.raw, in.settled); late && !l.late {
			ll.late = append(ll.late, l)
		}
		l.late = runsAfter(l.raw, in.settled)
		changed = true
	}
	if in.changed {
		for _, l := range ll.order {
			l.seen = false
		}
		for i, t := range in.goroutines {
			l := lane(t)
			l.input = i
			if n := in.preemptions[t.Name]; n != l.pub.Preemptions {
				l.pub.Preemptions = n
				ll.markDirty(l)
			}
			redo(l, t)
		}
	} else {
		for _, l := range slices.Clone(ll.late) {
			if l.late && l.input < len(in.goroutines) && in.goroutines[l.input].Name == l.name {
				redo(l, in.goroutines[l.input])
			}
		}
	}
	ll.late = slices.DeleteFunc(ll.late, func(l *liveLane) bool { return !l.late })
	for _, t := range in.procs {
		redo(lane(t), t)
	}
	if in.changed {
		for _, l := range ll.order {
			if !l.seen && len(l.raw) > 0 {
				l.raw, changed = nil, true
			}
		}
	}
	if added {
		slices.SortStableFunc(ll.order, func(a, b *liveLane) int { return a.key.compare(b.key) })
		if !ll.counting && len(ll.order) > censusAbove {
			// From now on the census is kept: what is final so far goes in at once.
			ll.counting = true
			for _, l := range ll.order {
				ll.census.Seal(l.sealed, ll.seal)
			}
		}
	}
	if changed || added {
		ll.onePerCore()
	}

	// Hand out each lane afresh whose final or open part changed: the final part, then the
	// open one. The others, and the list when none changed, are handed out as they were.
	if len(ll.dirty) > 0 || added || ll.laneFacts == nil {
		for _, l := range ll.dirty {
			// The final part is shared with what was handed out before (the seal only ever
			// adds to it, past its end); the open part, which the seal cuts in place, is copied.
			prev := l.pub
			l.pub = model.Task{Name: l.name, Kind: l.kind, Intervals: l.sealed, Preemptions: prev.Preemptions}.
				WithOpen(merged(make([]model.Interval, 0, len(l.tail)), l.tail)).Indexed(&prev, len(l.sealed))
			l.dirty = false
		}
		ll.dirty = ll.dirty[:0]
		tasks := make([]model.Task, len(ll.order))
		for i, l := range ll.order {
			tasks[i] = l.pub
		}
		ll.tasks = tasks
		open := make([][]model.Interval, len(ll.order))
		for i, l := range ll.order {
			open[i] = l.tail
		}
		ll.laneFacts = ll.facts.Facts(&model.Run{Tasks: ll.tasks}, open)
		if ll.counting {
			ll.census.WithCensus(r, open)
		}
	} else if ll.counting {
		ll.census.Again(r)
	}
	facts := withSamples(ll.laneFacts, r.Cores)

	// What lies far enough behind every input is final: the lanes stay as handed out.
	if seal := in.horizon - sealLag; seal-ll.seal >= sealEvery {
		seal = ll.whole(seal, &in)
		for _, l := range ll.order {
			k, _ := slices.BinarySearchFunc(l.tail, seal, func(iv model.Interval, t time.Duration) int { return cmp.Compare(iv.End, t+1) })
			done := l.tail[:k]
			if k < len(l.tail) && l.tail[k].Start < seal { // the part before seal of the one across it
				across := l.tail[k]
				across.End = seal
				done = append(done[:k:k], across)
			}
			ll.facts.Add(l.name, done)
			if ll.counting {
				ll.census.Seal(done, seal)
			}
			l.sealed = appendSealed(l.sealed, done)
			l.tail, l.raw = cutFront(l.tail, seal), cutFront(l.raw, seal)
		}
		ll.seal = seal
	}
	return ll.tasks, facts
}

// appendSealed appends done to a lane's final part, joining those of done that continue one
// another but not the first of them to the part's last interval: that one may have been
// handed out.
func appendSealed(sealed, done []model.Interval) []model.Interval {
	for i, iv := range done {
		if iv.End > iv.Start {
			return merged(append(slices.Grow(sealed, len(done)-i), iv), done[i+1:])
		}
	}
	return sealed
}

// merged is ivs with each of add after them, joined where they continue one another.
func merged(ivs, add []model.Interval) []model.Interval {
	for _, iv := range add {
		ivs = appendMerged(ivs, iv)
	}
	return ivs
}

// traceOnly is ivs as exactGoroutine gives the trace's intervals where the goroutine did not
// run, in place: from the trace, and joined where they continue one another.
func traceOnly(ivs []model.Interval) []model.Interval {
	out := ivs[:0]
	for _, iv := range ivs {
		iv.Source = model.SourceTrace
		out = appendMerged(out, iv)
	}
	return out
}

// cutFront is the part of ivs from at on, the interval across at cut there, in place.
func cutFront(ivs []model.Interval, at time.Duration) []model.Interval {
	k, _ := slices.BinarySearchFunc(ivs, at, func(iv model.Interval, t time.Duration) int { return cmp.Compare(iv.End, t+1) })
	ivs = ivs[k:]
	if len(ivs) > 0 && ivs[0].Start < at {
		ivs[0].Start = at
	}
	return ivs
}

// withSamples is f, the facts of a run's lanes, with what the run's load samples add.
func withSamples(f *model.Facts, samples []model.CoreSample) *model.Facts {
	s := model.FactsOf(&model.Run{Cores: samples})
	out := *f
	out.BusyCores = s.BusyCores
	if s.Cores > out.Cores {
		out.MovesOnto = append(slices.Clone(out.MovesOnto), make([]int, s.Cores-out.Cores)...)
		out.Cores = s.Cores
	}
	return &out
}

// onePerCore lays every lane's open part over the others' with model.OnePerCore: only the
// lanes that run on a known core there can change. A lane whose open part comes out
// different is handed out afresh.
func (ll *liveLanes) onePerCore() {
	var onCores []model.Task
	var which []*liveLane
	for _, l := range ll.order {
		if slices.ContainsFunc(l.raw, func(iv model.Interval) bool { return iv.State == model.StateRunning && iv.Core >= 0 }) {
			// A copy with room for the ready parts OnePerCore cuts from the running.
			ivs := append(make([]model.Interval, 0, len(l.raw)+len(l.raw)/4+4), l.raw...)
			onCores = append(onCores, model.Task{Name: l.name, Intervals: ivs})
			which = append(which, l)
		} else {
			ll.setTail(l, l.raw)
		}
	}
	model.OnePerCore(onCores, maxCoreOverlap)
	for i, l := range which {
		ll.setTail(l, onCores[i].Intervals)
	}
}

// setTail makes tail l's open part, to be handed out afresh if it changed.
func (ll *liveLanes) setTail(l *liveLane, tail []model.Interval) {
	if !slices.Equal(tail, l.tail) {
		l.tail = tail
		ll.markDirty(l)
	}
}

// liveTasks works out the lanes of a Run while the run goes on (liveLanes), and its facts.
func (w *watch) liveTasks(r *model.Run, start int64) ([]model.Task, *model.Facts) {
	ll := &w.live
	var procs []model.Task
	if start > 0 {
		procs = w.sampler.ProcessTasks(start)
	}
	names := make([]string, len(procs))
	for i, t := range procs {
		names[i] = t.Name
	}
	changedAt, spansChanged := w.o.spansChanged()
	spansChanged = spansChanged && start > 0
	in := laneInputs{procs: procs, changed: w.viewChanged != noChange || spansChanged,
		settled: r.Elapsed - coreSettle, horizon: r.Elapsed}
	if w.view != nil {
		in.goroutines, in.preemptions = w.view.Tasks, w.view.Preemptions
		in.horizon = min(in.horizon, w.view.To)
	}
	if spansChanged {
		ll.rewind(time.Duration(changedAt-start), &in)
	}
	ll.rewind(w.viewChanged, &in)
	w.viewChanged = noChange
	oc := w.o.onCoreSoFar(names, start+int64(ll.seal), w.taskSpans)
	w.taskSpans = oc.tasks
	in.exact = func(t model.Task) model.Task {
		if t.Kind == model.KindProcess {
			return exactProcess(t, oc.tasks[t.Name], start, &w.top)
		}
		return exactGoroutine(t, oc.spans, start, false, func(iv model.Interval) int { return w.coreOf(iv, start) })
	}
	return ll.build(r, in)
}
