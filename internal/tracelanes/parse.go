// Package tracelanes turns the Go scheduler's own record of a run (a runtime/trace stream, or
// a flight-recorder window of it) into lanes: one Task per named goroutine or event-loop
// coroutine, with each state it was in, why, and on which OS thread it ran. It joins windows
// taken one after another (MergeViews). It never reads /proc, knows nothing of cores and starts
// nothing.
package tracelanes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	xtrace "golang.org/x/exp/trace"

	"timeslice/model"
	"timeslice/scenarios"
)

// TraceView is what one trace snapshot says about the run's named tasks.
type TraceView struct {
	// Tasks are the goroutine lanes (KindGoroutine) and coroutine lanes (KindCoroutine), in
	// order of first appearance. Intervals are sorted and do not overlap.
	Tasks []model.Task
	// StartMono is the CLOCK_MONOTONIC time, in ns, of the start mark; 0 if unknown.
	StartMono int64
	// Found is true when times are relative to the start mark; when false they are relative
	// to the snapshot's first event.
	Found bool
	// From and To are the span the snapshot covers. A flight recorder window that no longer
	// reaches back to the start has From > 0.
	From, To time.Duration
	// Preemptions counts, per task name, how often the task was taken off its core against
	// its will: a Running interval followed by a Ready one with reason "preempted".
	Preemptions map[string]int
	// events is the number of trace events read for the latest snapshot.
	events int

	// marks are the naming and coroutine marks seen so far, kept so that the next snapshot,
	// whose window may begin after them, still knows which goroutine works on which task.
	marks []mark
}

// mark is one LogTask or LogState log, at a time relative to the start mark.
type mark struct {
	at     time.Duration
	g      xtrace.GoID
	thread int
	state  bool // a LogState mark (else LogTask)
	msg    string
}

// traceReasons are the reasons the runtime gives, in its own words, for a goroutine that
// stops or blocks, as far as a lane tells them apart; any other is model.ReasonOther.
var traceReasons = map[string]model.Reason{
	"":                model.ReasonNone,
	"sleep":           model.ReasonSleep,
	"chan send":       model.ReasonChanSend,
	"chan receive":    model.ReasonChanReceive,
	"select":          model.ReasonSelect,
	"network":         model.ReasonNetwork,
	"runtime.Gosched": model.ReasonYield,
}

// reasonOf maps the runtime's words for why a goroutine stopped or blocked to a model.Reason.
func reasonOf(words string) model.Reason {
	if strings.Contains(words, "preempt") {
		return model.ReasonPreempted
	}
	if r, ok := traceReasons[words]; ok {
		return r
	}
	return model.ReasonOther
}

// ParseTrace reads one runtime/trace snapshot and returns the lanes of the run's named tasks.
func ParseTrace(data []byte) (*TraceView, error) { return ParseTraceAfter(data, nil) }

// ParseTraceAfter is ParseTrace for a flight recorder snapshot taken after prev (which may be
// nil): when the window no longer holds the start mark or a goroutine's naming log, it takes
// them from prev, so times stay relative to the start and goroutines keep their tasks.
func ParseTraceAfter(data []byte, prev *TraceView) (v *TraceView, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("trace: unreadable data: %v", r)
		}
	}()
	rd, err := xtrace.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	p := newParser(prev)
	for {
		ev, err := rd.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("trace: %w", err)
		}
		p.event(&ev)
	}
	if p.events == p.syncs {
		return nil, errors.New("trace: no events")
	}
	return p.view(), nil
}

// lane is a task being built; while open its last interval has no end yet.
type lane struct {
	task *model.Task
	open bool
}

// set makes the lane enter iv at time t, closing the open interval. A state that only
// repeats the open one (same state and thread, no new reason) continues it.
func (l *lane) set(t time.Duration, iv model.Interval) {
	ivs := l.task.Intervals
	if l.open {
		last := &ivs[len(ivs)-1]
		if last.State == iv.State && last.Thread == iv.Thread &&
			(iv.Reason == last.Reason || iv.Reason == model.ReasonNone && iv.State != model.StateRunning) {
			return
		}
		l.close(t)
	}
	iv.Start, iv.End = t, t
	l.task.Intervals = append(l.task.Intervals, iv)
	l.open = true
}

// close ends the open interval at t; an empty interval is dropped.
func (l *lane) close(t time.Duration) {
	if !l.open {
		return
	}
	l.open = false
	n := len(l.task.Intervals) - 1
	if t <= l.task.Intervals[n].Start {
		l.task.Intervals = l.task.Intervals[:n]
		return
	}
	l.task.Intervals[n].End = t
}

// goroutine is what the parser knows of one goroutine.
type goroutine struct {
	cur    model.Interval // the state it is in, as a lane shows it
	known  bool           // cur is known
	task   *lane          // the task it works on, or nil
	marked []*coroutine   // coroutines marked running by it, found without a scan of them all
	// switched is true while it has handed its thread to a coroutine (iter.Pull).
	switched bool
}

// coroutine is one coroutine lane of an event loop.
type coroutine struct {
	lane    *lane
	running bool        // marked running: the lane follows its loop goroutine
	loop    xtrace.GoID // the goroutine that marked it running
	thread  int         // the thread it was marked running on
}

// parser turns events into lanes. Times are raw trace times until view converts them.
type parser struct {
	lanes  []*lane
	byName map[string]*lane
	gs     map[xtrace.GoID]*goroutine
	coros  map[string]*coroutine
	marks  []rawMark
	carry  []mark // marks from the previous snapshot, applied at the first event
	prev   *TraceView

	// Spare goroutines, lanes, tasks and intervals, handed out by take and lane.
	spareGs    []goroutine
	spareLanes []lane
	spareTasks []model.Task
	spareIvs   []model.Interval

	first, last xtrace.Time
	events      int
	syncs       int // events that only mark generations
	start       xtrace.Time
	found       bool // start is known
	ownStart    bool // start is this snapshot's own start mark
	clock       *xtrace.ClockSnapshot
}

// rawMark is a mark at a raw trace time.
type rawMark struct {
	at xtrace.Time
	mark
}

// newParser starts a parser for the snapshot taken after prev (nil for none).
func newParser(prev *TraceView) *parser {
	n := 0 // as many lanes and goroutines as prev, most likely
	if prev != nil {
		n = len(prev.Tasks)
	}
	return &parser{
		byName: make(map[string]*lane, n),
		gs:     make(map[xtrace.GoID]*goroutine, n),
		coros:  map[string]*coroutine{},
		prev:   prev,
	}
}

// event takes in one event.
func (p *parser) event(ev *xtrace.Event) {
	t := ev.Time()
	if p.events == 0 {
		p.first = t
	}
	p.events++
	p.last = t
	switch ev.Kind() {
	case xtrace.EventSync:
		p.syncs++
		if s := ev.Sync(); s.ClockSnapshot != nil && p.clock == nil {
			p.clock = s.ClockSnapshot
			p.useCarried(t)
		}
	case xtrace.EventLog:
		p.log(ev)
	case xtrace.EventStateTransition:
		st := ev.StateTransition()
		if st.Resource.Kind != xtrace.ResourceGoroutine {
			return
		}
		from, to := st.Goroutine()
		p.transition(dur(t), st.Resource.Goroutine(), from, to, st.Reason, threadOf(ev))
	}
}

// useCarried takes the start time and the marks in effect at t from the previous snapshot,
// when this one lacks them.
func (p *parser) useCarried(t xtrace.Time) {
	prev := p.prev
	if prev == nil || !prev.Found || prev.StartMono == 0 || p.found {
		return
	}
	p.start = xtrace.Time(prev.StartMono-int64(p.clock.Mono)) + p.clock.Trace
	p.found = true
	from := t.Sub(p.start)
	// The latest naming per goroutine and the latest state per coroutine before the window.
	type markKey struct {
		g    xtrace.GoID // the goroutine a naming is of
		coro string      // the coroutine a state is of
	}
	seen := make(map[markKey]bool, len(prev.marks))
	p.carry = make([]mark, 0, len(prev.marks))
	for i := len(prev.marks) - 1; i >= 0; i-- {
		m := prev.marks[i]
		key := markKey{g: m.g}
		if m.state {
			name, _, _ := strings.Cut(m.msg, "\t")
			key = markKey{coro: name}
		}
		if m.at >= from || seen[key] {
			continue
		}
		seen[key] = true
		p.carry = append(p.carry, m)
	}
	slices.Reverse(p.carry)
	for _, m := range p.carry {
		p.apply(dur(t), m)
	}
}

// log takes in a start, naming or coroutine mark.
func (p *parser) log(ev *xtrace.Event) {
	l := ev.Log()
	t := ev.Time()
	if l.Category == scenarios.LogStart {
		if !p.ownStart {
			p.start, p.found, p.ownStart = t, true, true
		}
		return
	}
	if l.Category != scenarios.LogTask && l.Category != scenarios.LogState {
		return
	}
	// The logging goroutine is running, whatever the window said of it so far.
	if g := p.g(ev.Goroutine()); !g.known {
		g.cur, g.known = laneState(xtrace.GoRunning, xtrace.GoRunning, "", threadOf(ev)), true
	}
	m := mark{g: ev.Goroutine(), thread: threadOf(ev), state: l.Category == scenarios.LogState, msg: l.Message}
	p.marks = append(p.marks, rawMark{t, m})
	p.apply(dur(t), m)
}

// apply carries out one mark at time t.
func (p *parser) apply(t time.Duration, m mark) {
	g := p.g(m.g)
	if !m.state {
		if g.task != nil && g.task.task.Name == m.msg {
			return
		}
		if g.task != nil {
			g.task.set(t, model.Interval{State: model.StateDone, Core: model.NoCore})
		}
		g.task = nil
		if m.msg == "" {
			return
		}
		g.task = p.lane(m.msg, model.KindGoroutine)
		if g.known {
			g.task.set(t, g.cur)
		}
		return
	}
	name, state, ok := strings.Cut(m.msg, "\t")
	if !ok {
		return
	}
	c := p.coros[name]
	if c == nil {
		c = &coroutine{lane: p.lane(name, model.KindCoroutine)}
		p.coros[name] = c
	}
	if c.running {
		lg := p.g(c.loop)
		lg.marked = slices.DeleteFunc(lg.marked, func(x *coroutine) bool { return x == c })
		c.running = false
	}
	switch state {
	case scenarios.CoroutineRunning:
		c.running, c.loop, c.thread = true, m.g, m.thread
		g.marked = append(g.marked, c)
		c.lane.set(t, c.view(g))
	case scenarios.CoroutineReady:
		c.lane.set(t, model.Interval{State: model.StateReady, Core: model.NoCore, Reason: model.ReasonEventLoop})
	case scenarios.CoroutineWaiting:
		c.lane.set(t, model.Interval{State: model.StateWaiting, Core: model.NoCore, Reason: model.ReasonAwait})
	case scenarios.CoroutineDone:
		c.lane.set(t, model.Interval{State: model.StateDone, Core: model.NoCore})
	}
}

// view is what a coroutine marked running does while its loop goroutine is in g's state:
// it runs while the loop's thread runs the loop or a coroutine, and otherwise shares the
// loop's fate (preempted, blocked).
func (c *coroutine) view(g *goroutine) model.Interval {
	run := model.Interval{State: model.StateRunning, Core: model.NoCore, Thread: c.thread}
	if !g.known {
		return run
	}
	switch {
	case g.cur.State == model.StateRunning:
		run.Thread, run.Reason = g.cur.Thread, g.cur.Reason
		return run
	case g.switched:
		return run
	}
	return g.cur
}

// g returns what is known of goroutine id.
func (p *parser) g(id xtrace.GoID) *goroutine {
	g := p.gs[id]
	if g == nil {
		g = take(&p.spareGs)
		p.gs[id] = g
	}
	return g
}

// take hands out a zero T from spare, refilled with twice as many as the time before (up to
// a few hundred): a window of thousands of goroutines needs thousands of them, and each on its
// own would cost an allocation.
func take[T any](spare *[]T) *T {
	if len(*spare) == 0 {
		*spare = make([]T, min(max(2*cap(*spare), 8), 256))
	}
	t := &(*spare)[0]
	*spare = (*spare)[1:]
	return t
}

// laneRoom is how many intervals a new lane has room for before its own array is allocated.
const laneRoom = 4

// lane returns the task lane called name, adding it if new.
func (p *parser) lane(name string, kind model.TaskKind) *lane {
	l := p.byName[name]
	if l == nil {
		l = take(&p.spareLanes)
		l.task = take(&p.spareTasks)
		l.task.Name, l.task.Kind = name, kind
		// Room for the few intervals a lane gets in one window, cut from one shared array.
		if len(p.spareIvs) < laneRoom {
			p.spareIvs = make([]model.Interval, min(max(2*cap(p.spareIvs), 8*laneRoom), 256*laneRoom))
		}
		l.task.Intervals, p.spareIvs = p.spareIvs[:0:laneRoom], p.spareIvs[laneRoom:]
		p.byName[name] = l
		p.lanes = append(p.lanes, l)
	}
	return l
}

// transition applies one goroutine state change at time t.
func (p *parser) transition(t time.Duration, id xtrace.GoID, from, to xtrace.GoState, reason string, thread int) {
	g := p.g(id)
	if to == xtrace.GoNotExist {
		if g.task != nil {
			g.task.set(t, model.Interval{State: model.StateDone, Core: model.NoCore})
		}
		for _, c := range g.marked {
			c.running = false
			c.lane.set(t, model.Interval{State: model.StateDone, Core: model.NoCore})
		}
		delete(p.gs, id)
		return
	}
	iv := laneState(from, to, reason, thread)
	// Generation boundaries re-announce every goroutine's state, without its reason.
	again := from == to || from == xtrace.GoUndetermined
	if again && g.known && g.cur.State == iv.State {
		return
	}
	if from == xtrace.GoUndetermined && !g.known {
		// First news of it in this window: it has been in this state since the window began.
		t = dur(p.first)
	}
	// A loop goroutine woken by a coroutine handing the thread back is ready for a moment only.
	g.switched = iv.Reason == model.ReasonCoroutineSwitch || g.switched && iv.State == model.StateReady && iv.Reason == model.ReasonNone
	g.cur, g.known = iv, true
	if g.task != nil {
		g.task.set(t, iv)
	}
	for _, c := range g.marked {
		c.lane.set(t, c.view(g))
	}
}

// laneState maps a goroutine state, entered for the reason the runtime gives in words, to how
// a lane shows it.
func laneState(from, to xtrace.GoState, words string, thread int) model.Interval {
	iv := model.Interval{Core: model.NoCore}
	switch to {
	case xtrace.GoRunning:
		iv.State, iv.Thread = model.StateRunning, thread
	case xtrace.GoSyscall:
		iv.State, iv.Thread, iv.Reason = model.StateRunning, thread, model.ReasonSyscall
	case xtrace.GoRunnable:
		iv.State, iv.Reason = model.StateReady, reasonOf(words)
	case xtrace.GoWaiting:
		switch r := reasonOf(words); {
		case words == "sync" || words == "sync.(*Cond).Wait": // sync.Mutex, Cond, WaitGroup: here, the global lock
			iv.State, iv.Reason = model.StateReady, model.ReasonLock
		case r == model.ReasonPreempted: // stopped for the garbage collector
			iv.State, iv.Reason = model.StateReady, r
		case words == "" && from == xtrace.GoRunning:
			// A goroutine handing its thread to a coroutine (iter.Pull): the trace records it
			// as a wait without a reason.
			iv.State, iv.Reason = model.StateWaiting, model.ReasonCoroutineSwitch
		default:
			iv.State, iv.Reason = model.StateWaiting, r
		}
	}
	return iv
}

// view converts the lanes to times relative to the start mark.
func (p *parser) view() *TraceView {
	end := dur(p.last)
	for _, l := range p.lanes {
		l.close(end)
	}
	zero := p.first
	if p.found {
		zero = p.start
	}
	v := &TraceView{
		Found:  p.found,
		From:   p.first.Sub(zero),
		To:     p.last.Sub(zero),
		events: p.events,
	}
	if p.found && p.clock != nil {
		v.StartMono = int64(p.clock.Mono) + int64(zero-p.clock.Trace)
	}
	shift := dur(zero)
	v.Tasks = make([]model.Task, 0, len(p.lanes))
	for _, l := range p.lanes {
		if len(l.task.Intervals) == 0 {
			continue
		}
		for i := range l.task.Intervals {
			l.task.Intervals[i].Start -= shift
			l.task.Intervals[i].End -= shift
		}
		v.Tasks = append(v.Tasks, *l.task)
	}
	v.marks = append(v.marks, p.carry...)
	for _, m := range p.marks {
		m.mark.at = m.at.Sub(zero)
		v.marks = append(v.marks, m.mark)
	}
	v.Preemptions = countPreemptions(v.Tasks)
	return v
}

// countPreemptions counts, per task, Running intervals followed by a preempted Ready one.
func countPreemptions(tasks []model.Task) map[string]int {
	out := map[string]int{}
	for _, t := range tasks {
		if n := preempted(t.Intervals); n > 0 {
			out[t.Name] = n
		}
	}
	return out
}

// preempted counts the Running intervals of ivs followed by a preempted Ready one.
func preempted(ivs []model.Interval) int {
	n := 0
	for i := 1; i < len(ivs); i++ {
		a, b := ivs[i-1], ivs[i]
		if a.State == model.StateRunning && b.State == model.StateReady && b.Reason == model.ReasonPreempted {
			n++
		}
	}
	return n
}

// dur is a raw trace time as a Duration, for arithmetic before the start is known.
func dur(t xtrace.Time) time.Duration { return time.Duration(t) }

// threadOf is the kernel thread id of the event's thread, or 0 when the event has none.
func threadOf(ev *xtrace.Event) int {
	if th := ev.Thread(); th >= 0 {
		return int(th)
	}
	return 0
}
