package oncpu

import "time"

// Off is the Core of a span in which the thread was off its core: it could have run, but the
// kernel ran something else.
const Off = -1

// Span is one stretch of a task's thread, on a core or off it.
type Span struct {
	// Tid is the kernel's id of the thread.
	Tid int
	// Core is the core the thread ran on, or Off.
	Core int
	// Start and End are CLOCK_MONOTONIC nanoseconds.
	Start, End int64
}

// Sink receives a meter's spans in time order, a batch at a time, with the name of the task
// they belong to. The batch is reused once the sink returns: a sink that keeps spans copies
// them.
type Sink func(task string, batch []Span)

// CheckEvery is the most computation a thread may do between two checks: each span boundary
// the meter reports lies within one such stretch of the truth.
const CheckEvery = 200 * time.Microsecond

const (
	// gatherBelow is how much time off the core the meter gathers before it reports a span
	// off: shorter absences (a timer interrupt, a brief system thread) add up first, so a
	// report stays small while the running it reports exceeds the thread's CPU time by less
	// than this.
	gatherBelow = int64(30 * time.Microsecond)
	// awayAbove is the gap in one check's window past which the thread is taken to have left
	// its core for a moment, and the core is read again: a thread moves to another core only
	// while it is off one.
	awayAbove = int64(2 * time.Microsecond)
	// flushEvery is how often a meter hands what it has to its sink while the work goes on.
	flushEvery = int64(50 * time.Millisecond)
)

// Meter measures one task's thread while it computes. It is not safe for concurrent use:
// each computing goroutine has its own. A nil *Meter measures nothing: its methods do nothing,
// so work that nobody observes runs the same code.
type Meter struct {
	task string
	sink Sink

	// tid and core are the thread and core of the latest check.
	tid, core int
	// last and lastCPU are the monotonic clock and the thread's CPU clock at the latest check.
	last, lastCPU int64
	// from is when the open span on core began; 0 while paused.
	from int64
	// debt is time off the core seen but not yet reported.
	debt    int64
	flushed int64
	buf     []Span
}

// New returns a paused meter for the task called task (its lane's name) that reports to sink.
func New(task string, sink Sink) *Meter {
	return &Meter{task: task, sink: sink, buf: make([]Span, 0, 64)}
}

// Resume starts measuring the calling thread from now: call it when the task begins to
// compute, and again after it has blocked (see Pause).
func (m *Meter) Resume() {
	if m == nil {
		return
	}
	m.tid, m.core = currentThread(), currentCore()
	m.last = monoNow()
	m.lastCPU = threadCPU()
	m.from, m.debt = m.last, 0
	if m.flushed == 0 {
		m.flushed = m.last
	}
}

// Check compares the clocks since the previous check: call it at least every CheckEvery of
// computation while measuring.
func (m *Meter) Check() {
	if m == nil {
		return
	}
	if m.from == 0 {
		return
	}
	now := monoNow()
	cpu := threadCPU()
	if tid := currentThread(); tid != m.tid {
		// The goroutine moved to another thread: what happened in between is the trace's to
		// tell. The span on the old thread ends at its last check; a new one starts now.
		m.emit(m.from, m.last, m.core)
		m.tid, m.core = tid, currentCore()
		m.last, m.lastCPU, m.from, m.debt = now, cpu, now, 0
		m.maybeFlush(now)
		return
	}
	ran := cpu - m.lastCPU
	gap := now - m.last - ran
	m.debt = max(m.debt+gap, 0)
	if gap > awayAbove {
		if core := currentCore(); m.debt >= gatherBelow || core != m.core {
			m.away(now, ran, core)
		}
	}
	m.last, m.lastCPU = now, cpu
	m.maybeFlush(now)
}

// away reports the time off the core gathered so far, placed in the middle of the latest
// window's running (the order inside a window is not known, so the middle errs least), and
// goes on on core.
func (m *Meter) away(now, ran int64, core int) {
	off := m.debt
	m.debt = 0
	at := min(max(m.last+ran/2, m.from), now-off)
	at = max(at, m.from)
	m.emit(m.from, at, m.core)
	m.emit(at, at+off, Off)
	m.core, m.from = core, at+off
}

// Pause stops measuring before the task blocks (waits for a lock, sleeps): the span on its
// core ends now, exactly. Resume starts it again.
func (m *Meter) Pause() {
	if m == nil {
		return
	}
	if m.from == 0 {
		return
	}
	m.Check()
	if m.from == 0 {
		return
	}
	now := m.last
	if m.debt > 0 {
		m.away(now, 0, m.core)
	}
	m.emit(m.from, now, m.core)
	m.from = 0
}

// Stop ends the measurement and hands every span left to the sink.
func (m *Meter) Stop() {
	if m == nil {
		return
	}
	m.Pause()
	m.flush()
}

func (m *Meter) emit(from, to int64, core int) {
	if to <= from {
		return
	}
	m.buf = append(m.buf, Span{Tid: m.tid, Core: core, Start: from, End: to})
}

// maybeFlush hands the spans so far to the sink every flushEvery, cutting the open span there
// so the observer sees the running up to now.
func (m *Meter) maybeFlush(now int64) {
	if now-m.flushed < flushEvery {
		return
	}
	m.emit(m.from, now, m.core)
	m.from = now
	m.flush()
}

func (m *Meter) flush() {
	m.flushed = monoNow()
	if len(m.buf) == 0 || m.sink == nil {
		m.buf = m.buf[:0]
		return
	}
	m.sink(m.task, m.buf)
	m.buf = m.buf[:0]
}
