package observe

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"timeslice/internal/mono"
	"timeslice/internal/oncpu"
	"timeslice/internal/procfs"
	"timeslice/internal/tracegen"
	"timeslice/internal/tracelanes"
	"timeslice/model"
	"timeslice/scenarios"
)

// watch is what a session's goroutine accumulates between publications: the parsed trace,
// core load samples, and the samplers it reads. Only that goroutine touches it, but for the
// core load, which the /proc sampler's goroutine adds to after each of its rounds.
type watch struct {
	o       *observed
	procs   int
	sampler *procfs.ProcSampler

	view      *tracelanes.TraceView
	goTrace   []byte // the final trace snapshot, once it has arrived
	traceNote string
	// cores is the per-core load, with the run's own share of it (sampleCores).
	cores coreLog
	// parseAfter is the earliest moment (mono.Now ns) the next snapshot is parsed while the
	// run goes on; see parseLatest.
	parseAfter int64
	// lastGen is the newest trace generation parsed so far: only newer ones are read from the
	// next window, should it repeat any.
	lastGen uint64
	// skipped counts the windows that did not start where the last one ended.
	skipped int
	// live works out the lanes of the Runs handed out while the run goes on; viewChanged is
	// the earliest time the trace's lanes changed since it last did (noChange for none).
	live        liveLanes
	viewChanged time.Duration
	// taskSpans and top are memory the live lanes reuse from one Run to the next for what
	// they work out and throw away: the worker processes' spans, and the intervals of one
	// worker's spans before they are laid over its lane.
	taskSpans map[string][]oncpu.Span
	top       []model.Interval
}

// parseShare bounds the observer's parsing while a run goes on: after a parse that took d, the
// next waits parseShare·d, so parsing takes at most a fifth of a core. A busy run is parsed less
// often, the windows that wait meanwhile joined into one by the snapshot queue: none is skipped.
const parseShare = 4

// startMono is the child's time zero, or 0 before its hello has arrived.
func (w *watch) startMono() int64 {
	w.o.mu.Lock()
	defer w.o.mu.Unlock()
	if w.o.hello == nil {
		return 0
	}
	return w.o.hello.StartMono
}

// parseLatest reads the trace windows that have arrived, joined into one by the queue. While
// the run goes on (last false) it reads none if the previous parse was recent compared with
// its cost; at the end it reads everything left.
func (w *watch) parseLatest(last bool) {
	for {
		now := mono.Now()
		w.o.mu.Lock()
		if !last && now < w.parseAfter {
			w.o.mu.Unlock()
			return
		}
		snap, ok := w.o.snaps.next()
		cut := w.o.traceCut
		w.o.mu.Unlock()
		if !ok {
			return
		}
		w.parse(snap, cut)
		w.parseAfter = mono.Now() + parseShare*(mono.Now()-now)
		if !last {
			return
		}
	}
}

// parse reads one snapshot into the view: a whole trace afresh, a window merged into what the
// view already holds.
func (w *watch) parse(snap snapshot, cut string) {
	if snap.whole {
		w.goTrace = snap.data
		v, err := tracelanes.ParseTrace(snap.data)
		if err != nil {
			w.traceNote = "the scheduler's trace could not be read: " + err.Error()
			return
		}
		w.view, w.traceNote, w.viewChanged = v, "", 0
		return
	}
	data, oldest, newest := tracegen.Since(snap.data, w.lastGen)
	v, err := tracelanes.ParseTraceAfter(data, w.view)
	if err != nil {
		w.traceNote = "the scheduler's trace could not be read: " + err.Error()
		return
	}
	if w.lastGen > 0 && oldest > w.lastGen+1 {
		w.skipped++ // generations that never arrived or were dropped: the lanes have a gap there
	}
	w.lastGen = max(w.lastGen, newest)
	changed := time.Duration(0) // MergeViews changes prev from where next begins or prev ends
	if w.view != nil {
		changed = min(v.From, w.view.To)
	}
	w.viewChanged = min(w.viewChanged, changed)
	w.view = tracelanes.MergeViews(w.view, v)
	switch {
	case cut != "":
		w.traceNote = cut
	case w.skipped > 0:
		w.traceNote = fmt.Sprintf("the trace windows did not join up %d times (a very busy run): the lanes may have gaps", w.skipped)
	default:
		w.traceNote = ""
	}
}

// build makes a fresh Run from everything observed so far, with its facts. final marks the
// last one; err is why the run failed, if it did.
func (w *watch) build(final bool, err error) *model.Run {
	w.parseLatest(final)
	o := w.o
	start := w.startMono()
	r := &model.Run{Scenario: o.s.ID, Params: o.p.UserArgs(), Procs: w.procs, Finished: final,
		TraceNote: w.traceNote, GoTrace: w.goTrace}
	r.Cores, r.CoresNote = w.cores.read()
	if err != nil {
		r.Err = err.Error()
	}
	o.mu.Lock()
	// Samples and lines are only ever appended to: each Run shares what came before it.
	r.Lines = slices.Clip(o.lines)
	partials, chunks := slices.Clone(o.partials), slices.Clone(o.chunks)
	pids := append([]int{o.pid}, o.workers...)
	if o.finished != nil {
		r.Wall = time.Duration(o.finished.WallNs)
		r.CPU = time.Duration(o.finished.CPUNs)
		r.Switches = model.Switches{Voluntary: int(o.finished.Vol), Involuntary: int(o.finished.Invol)}
	}
	o.mu.Unlock()
	switch {
	case r.Wall > 0:
		r.Elapsed = r.Wall
	case start > 0:
		r.Elapsed = time.Duration(mono.Now() - start)
	}
	if o.s.Bound == scenarios.CPUBound && (len(partials) > 0 || final) {
		r.Result = &model.Result{Partials: partials}
		for _, s := range partials {
			r.Result.Total += s
		}
		if final {
			r.Result.Missing = missingChunks(o.p.Chunks, chunks)
		}
	}
	if final {
		r.Tasks = w.allTasks(start, true)
		r.Facts = model.FactsOf(r)
	} else {
		r.Tasks, r.Facts = w.liveTasks(r, start)
	}
	if r.Wall == 0 { // until the child's own count arrives, the sampled ones
		for _, pid := range pids {
			v, i := w.sampler.Switches(pid)
			r.Switches.Voluntary += v
			r.Switches.Involuntary += i
		}
	}
	return r
}

// allTasks works out every lane from everything observed so far, in order: the trace's and
// /proc's, with the work's own measurements laid over them, one task per core.
func (w *watch) allTasks(start int64, final bool) []model.Task {
	var procs []model.Task
	if start > 0 {
		procs = w.sampler.ProcessTasks(start)
	}
	names := make([]string, len(procs))
	for i, t := range procs {
		names[i] = t.Name
	}
	oc := w.o.onCoreSoFar(names, 0, nil)
	var tasks []model.Task
	if w.view != nil {
		for _, t := range w.view.Tasks {
			t.Preemptions = w.view.Preemptions[t.Name]
			tasks = append(tasks, exactGoroutine(t, oc.spans, start, final, func(iv model.Interval) int { return w.coreOf(iv, start) }))
		}
	}
	for _, t := range procs {
		tasks = append(tasks, exactProcess(t, oc.tasks[t.Name], start, nil))
	}
	model.OnePerCore(tasks, maxCoreOverlap)
	slices.SortStableFunc(tasks, func(a, b model.Task) int { return compareNames(a.Name, b.Name) })
	return tasks
}

// missingChunks lists the chunks, numbered from 1, of the n that gave no partial sum.
func missingChunks(n int, gave []int) []int {
	var out []int
	for c := range n {
		if !slices.Contains(gave, c) {
			out = append(out, c+1)
		}
	}
	return out
}

// coreOf is the core the thread of a running interval was on, where the kernel's samples say,
// or NoCore.
func (w *watch) coreOf(iv model.Interval, start int64) int {
	if iv.Thread == 0 || start == 0 {
		return model.NoCore
	}
	if core, ok := w.sampler.ThreadCore(iv.Thread, start+int64(iv.Start), start+int64(iv.End)); ok {
		return core
	}
	return model.NoCore
}

// compareNames orders "call 2" before "call 10": by the text, then by the trailing number.
func compareNames(a, b string) int {
	pa, na := splitNumber(a)
	pb, nb := splitNumber(b)
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	return na - nb
}

func splitNumber(s string) (string, int) {
	i := strings.LastIndexByte(s, ' ')
	if n, err := strconv.Atoi(s[i+1:]); err == nil {
		return s[:i+1], n
	}
	return s, 0
}

// sampleCores records the per-core load with the run's own share of it, as of the /proc
// sampler's latest round: the sampler calls it after each of its rounds (procfs.ProcSampler.
// AfterRound), so the cores are read at the moment the run's threads were, without a round of
// their own.
func (w *watch) sampleCores() {
	w.cores.add(w.startMono(), w.sampler.CPUByCore)
}
