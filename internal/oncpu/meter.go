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
)

// FlushEvery is how often a meter hands what it has to its sink while the work goes on, give
// or take one full check (at most 20 ms later): seldom enough that passing the samples on wakes
// nobody often (a worker process's sink writes to a pipe its parent reads), often enough that
// they arrive well before the live view makes that part of a lane final.
const FlushEvery = 150 * time.Millisecond

// Meter checks the thread of one task while it computes and reports the samples that matter:
// those around every time the thread was away from its core, when it moved to another thread
// or core, and where measuring starts, pauses and ends. It is not safe for concurrent use:
// each computing goroutine has its own. A nil *Meter measures nothing (its methods do nothing),
// so work that nobody observes runs the same code.
//
// A check costs next to nothing when nothing happened: it reads only the monotonic clock
// (through the vDSO, no system call) and compares the time the last stretch of work took with
// the time such work takes on a core of its own. Only when it took longer (the thread was
// away), and every fullEvery besides, does the meter read the thread's CPU clock, its id and
// its core: system calls, each of which is also a moment at which the kernel may hand the core
// to another task, so checking with them every half millisecond would itself change how often
// the work is switched out.
type Meter struct {
	task string
	sink Sink

	cur       Sample // the latest full check
	reported  bool   // cur is in buf already
	measuring bool
	// debt is time off the core seen since the last reported sample.
	debt    int64
	flushed int64
	buf     []Sample

	// last is when the previous check was made (monotonic ns); nextFull when the next full
	// check is due whatever happens.
	last, nextFull int64
	// perUnit is the fewest ns a unit of work has taken lately (on its core all along): the
	// fewest of this block of checks (blockBest) and of the one before (lastBest). checks
	// counts this block's.
	perUnit, blockBest, lastBest float64
	checks                       int
}

const (
	// fullEvery is how often a meter checks the thread in full while nothing seems to happen:
	// the CPU clock it reads then counts every absence too short to notice, so the running
	// reported stays exact.
	fullEvery = int64(20 * time.Millisecond)
	// block is how many checks the fastest pace is taken over before it is renewed, so the
	// meter follows a core that slows down or speeds up.
	block = 64
)

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
	m.last, m.nextFull = m.cur.At, m.cur.At+fullEvery
	if m.flushed == 0 {
		m.flushed = m.cur.At
	}
}

// Check checks the thread after units of work (any measure proportional to the computation
// done since the last check: rounds of a loop): call it at least every CheckEvery of
// computation while measuring.
func (m *Meter) Check(units int) {
	if m == nil || !m.measuring {
		return
	}
	now := monoNow()
	took, since := now-m.last, m.last
	m.last = now
	expect := int64(-1) // how long the work should have taken on its core; -1 not known yet
	if units > 0 {
		if m.perUnit > 0 {
			expect = int64(m.perUnit * float64(units))
		}
		if pace := float64(took) / float64(units); m.blockBest == 0 || pace < m.blockBest {
			m.blockBest = pace
		}
		m.perUnit = m.blockBest
		if m.lastBest > 0 {
			m.perUnit = min(m.perUnit, m.lastBest)
		}
		if m.checks++; m.checks >= block {
			m.lastBest, m.blockBest, m.checks = m.blockBest, 0, 0
		}
	}
	away := expect >= 0 && took > expect+gatherBelow
	if !away && now < m.nextFull {
		return
	}
	m.full(since, expect, away)
}

// full checks the thread in full; since is when the check before this one was made, expect
// how long the work since then would have taken on its core, and away says it took longer.
func (m *Meter) full(since, expect int64, away bool) {
	s := read(false)
	m.nextFull = s.At + fullEvery
	switch {
	case s.Tid != m.cur.Tid:
		// The goroutine moved to another thread: when, is the trace's to tell. The last full
		// check on the old thread and the first on the new one are reported.
		m.report()
		s = read(true)
		m.cur, m.reported, m.debt = s, false, 0
		m.report()
	case away:
		// The thread was away during the last stretch of work: the check before it is
		// reported as it was, so the absence lies between two samples a stretch apart. Its CPU
		// clock is the one read now less the work's own time, kept within what both stretches
		// (since the last full check, and the last one) could have run.
		before := min(max(s.CPU-expect, s.CPU-(s.At-since)), m.cur.CPU+(since-m.cur.At))
		if since > m.cur.At && before >= m.cur.CPU && before <= s.CPU {
			m.report()
			m.cur, m.reported = Sample{Tid: s.Tid, Core: m.cur.Core, At: since, CPU: before}, false
			m.report()
		}
		s.Core = currentCore()
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
			m.report()
			m.cur, m.reported, m.debt = s, false, 0
			m.report()
		} else {
			m.cur, m.reported = s, false
		}
	}
	if s.At-m.flushed >= int64(FlushEvery) {
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
	m.full(m.last, -1, false)
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
