package oncpu

import (
	"runtime"
	"time"
)

// Off is the Core of a span in which the thread was off its core.
const Off = -1

// Sample is one check of a thread: the monotonic clock and the thread's own CPU clock, read
// together, and the core the thread was on. Between two samples of one thread, whatever the
// monotonic clock ran on beyond the CPU clock was time the thread spent off its core.
type Sample struct {
	// Tid is the kernel's id of the thread.
	Tid int
	// Core is the core the thread was on at the check.
	Core int
	// At is CLOCK_MONOTONIC, CPU the thread's CPU clock, both in nanoseconds.
	At, CPU int64
}

// Sink receives a meter's samples in time order, a batch at a time, with the name of the task
// they were taken for. The batch is reused once the sink returns: a sink that keeps samples
// copies them.
type Sink func(task string, batch []Sample)

// CheckEvery is the most computation a thread may do between two checks: each time the meter
// reports a thread leaving or reaching its core lies within one such stretch of the truth.
const CheckEvery = 500 * time.Microsecond

const (
	// gatherBelow is how much time off the core the meter lets add up before it reports the
	// samples around it: shorter absences (a timer interrupt, a brief system thread) are
	// reported together, so reports stay small while every absence still counts.
	gatherBelow = int64(30 * time.Microsecond)
	// awayAbove is the gap in one check's window past which the thread is taken to have left
	// its core for a moment, and the core is read again: a thread moves to another core only
	// while it is off one.
	awayAbove = int64(2 * time.Microsecond)
	// flushEvery is how often a meter hands what it has to its sink while the work goes on.
	flushEvery = int64(50 * time.Millisecond)
)

// Meter checks the thread of one task while it computes and reports the samples that matter:
// those around every time the thread was away from its core, when it moved to another thread
// or core, and where measuring starts, pauses and ends. It is not safe for concurrent use:
// each computing goroutine has its own. A nil *Meter measures nothing (its methods do nothing),
// so work that nobody observes runs the same code.
type Meter struct {
	task string
	sink Sink

	cur       Sample // the latest check
	reported  bool   // cur is in buf already
	measuring bool
	// debt is time off the core seen since the last reported sample.
	debt    int64
	flushed int64
	buf     []Sample
}

// New returns a paused meter for the task called task (its lane's name) that reports to sink.
func New(task string, sink Sink) *Meter {
	return &Meter{task: task, sink: sink, buf: make([]Sample, 0, 64)}
}

// read checks the calling thread now; the core is read only when asked for. The goroutine is
// held on its thread while it reads, so the CPU clock and the thread id are of one thread:
// the Go scheduler may otherwise move it between the two.
func read(core bool) Sample {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s := Sample{At: monoNow(), CPU: threadCPU(), Tid: currentThread(), Core: Off}
	if core {
		s.Core = currentCore()
	}
	return s
}

// Resume starts measuring the calling thread from now: call it when the task begins to
// compute, and again after Pause.
func (m *Meter) Resume() {
	if m == nil {
		return
	}
	m.cur, m.reported, m.measuring, m.debt = read(true), false, true, 0
	m.report()
	if m.flushed == 0 {
		m.flushed = m.cur.At
	}
}

// Check checks the thread: call it at least every CheckEvery of computation while measuring.
func (m *Meter) Check() {
	if m == nil || !m.measuring {
		return
	}
	s := read(false)
	switch {
	case s.Tid != m.cur.Tid:
		// The goroutine moved to another thread: the last check on the old one and the first
		// on the new one both matter.
		m.report()
		s = read(true)
		m.cur, m.reported, m.debt = s, false, 0
		m.report()
	default:
		gap := (s.At - m.cur.At) - (s.CPU - m.cur.CPU)
		m.debt = max(m.debt+gap, 0)
		s.Core = m.cur.Core
		if gap > awayAbove {
			if c := read(true); c.Tid == s.Tid {
				s.Core = c.Core
			}
		}
		if m.debt >= gatherBelow || s.Core != m.cur.Core {
			m.report() // the check before the absence
			m.cur, m.reported, m.debt = s, false, 0
			m.report() // and the one after it
		} else {
			m.cur, m.reported = s, false
		}
	}
	if s.At-m.flushed >= flushEvery {
		m.report()
		m.flush()
	}
}

// Pause checks the thread and stops measuring, before the task blocks (waits for a lock,
// sleeps): the samples on either side of the block are then exact. Resume goes on.
func (m *Meter) Pause() {
	if m == nil || !m.measuring {
		return
	}
	m.Check()
	m.report()
	m.measuring = false
}

// Stop ends the measurement and hands every sample left to the sink.
func (m *Meter) Stop() {
	if m == nil {
		return
	}
	m.Pause()
	m.flush()
}

// report adds the latest check to what the sink will get, once.
func (m *Meter) report() {
	if !m.reported {
		m.buf = append(m.buf, m.cur)
		m.reported = true
	}
}

func (m *Meter) flush() {
	m.flushed = monoNow()
	if len(m.buf) > 0 && m.sink != nil {
		m.sink(m.task, m.buf)
	}
	m.buf = m.buf[:0]
}
