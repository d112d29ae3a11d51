package procfs

import (
	"time"

	"timeslice/model"
)

// A watched thread's time is read as windows: from one reading of its files to the next. The
// kernel's counters say how long the thread ran and waited for a core, but late: it adds a
// thread's run time when the scheduler looks at it (at a tick, a switch or a wake-up on its
// core, up to a tick after the fact), and its time queued for a core only once it gets one.
// What the syscall file says, running or blocked in a call, is exact at the moment it is read.
//
// So a window is first split by what is known, and the rest is left open: time in which the
// thread was runnable (it read "running" at one end) but the counters do not yet say whether it
// ran or waited for a core. When the counters catch up, the late run time fills the open time
// of the latest windows before it (it happened just before it was counted) and the late queue
// time fills the earliest (a thread queues before it runs). A thread that read blocked had its
// counters brought up to date as it blocked, so no late amount reaches back past that window.
// Open time never filled is taken as what the window's ends suggest: waiting for a core when
// both ends read runnable, blocked in the call otherwise.

// window is one window of a watched thread, in CLOCK_MONOTONIC ns. run+queue+block+open is
// always at-from.
type window struct {
	from, at int64
	// run is time on a core; queue time waiting for one; block time blocked in a call, for
	// reason; open time not yet known to be any of them.
	run, queue, block, open int64
	reason                  model.Reason
	// openQueue says what open time is taken for if nothing fills it: queued for a core (both
	// ends read runnable), else blocked.
	openQueue bool
	// core is the core the thread was last on when the window ended, if it ran in the window or
	// has run since; model.NoCore if not known.
	core int
	// closed marks a window that ended with the thread blocked: no late amount reaches it or
	// any window before it.
	closed bool
}

// maxOpenWindows is how many windows back late amounts may be placed; older open time is
// taken as its ends suggest. A thread that runs on a busy core has its run time brought up to
// date at least every tick (4 ms at 250 Hz), so late run time reaches back a few windows; queue
// time placed nowhere is what open time is taken for anyway.
const maxOpenWindows = 16

// reading is what one reading of a thread says about the window it ends.
type reading struct {
	from, at int64
	// run and wait are how much the kernel's run and queue counters grew since the last
	// reading.
	run, wait int64
	// startCall and endCall are where the thread was at the previous reading and at this one.
	startCall, endCall Call
	core               int
}

// addWindow appends the window r ends to ws, the thread's windows not yet settled, and places
// the late amounts r carries in it and in the open windows before it.
func addWindow(ws []window, r reading) []window {
	w := r.at - r.from
	if w <= 0 { // two readings at one instant: the amounts wait for the next window
		if n := len(ws); n > 0 {
			fillLate(ws, r.run, r.wait)
		}
		return ws
	}
	win := window{from: r.from, at: r.at, core: r.core}
	win.run = min(max(r.run, 0), w)
	late, wait := max(r.run-win.run, 0), max(r.wait, 0)
	rest := w - win.run
	switch {
	case r.startCall.Runnable && r.endCall.Runnable:
		win.open, win.openQueue = rest, true
	case r.endCall.Runnable: // it woke in the window: blocked first, then runnable
		win.open, win.reason = rest, r.startCall.Reason
	default: // blocked at the end: its counters are up to date, the window's queue time is in wait
		win.queue = min(wait, rest)
		wait -= win.queue
		win.block, win.reason, win.closed = rest-win.queue, r.endCall.Reason, true
		if win.reason == model.ReasonNone && !r.startCall.Runnable {
			win.reason = r.startCall.Reason // a call that says nothing: the one before may
		}
	}
	ws = append(ws, win)
	fillLate(ws, late, wait)
	return ws
}

// fillLate places late run time in the open time of the latest windows of ws, then late queue
// time in the open time of the earliest, never reaching past a closed window (other than the
// last, whose own counters they are) nor further back than maxOpenWindows. What finds no open
// time is dropped: the windows it belonged to are settled.
func fillLate(ws []window, run, queue int64) {
	first := len(ws) - 1
	for first > 0 && len(ws)-first < maxOpenWindows && !ws[first-1].closed {
		first--
	}
	for i := len(ws) - 1; i >= first && run > 0; i-- {
		d := min(run, ws[i].open)
		ws[i].run += d
		ws[i].open -= d
		run -= d
	}
	for i := first; i < len(ws) && queue > 0; i++ {
		d := min(queue, ws[i].open)
		ws[i].queue += d
		ws[i].open -= d
		queue -= d
	}
}

// settle is how many windows at the start of ws no late amount can reach any more: those up to
// the last closed one, and those more than maxOpenWindows back.
func settle(ws []window) int {
	n := max(len(ws)-maxOpenWindows, 0)
	for i := len(ws) - 1; i >= n; i-- {
		if ws[i].closed {
			return i + 1
		}
	}
	return n
}

// interval is how window w is drawn, in time since startMono: in one state when it held only
// one, else as one mixed interval with its shares. A lock is the model's ready with ReasonLock
// (the thread could run but for the lock), so a window's time blocked on a lock counts in its
// ready share.
func (w window) interval(startMono int64) model.Interval {
	queue, block := w.queue, w.block
	if w.openQueue {
		queue += w.open
	} else {
		block += w.open
	}
	length := w.at - w.from
	iv := model.Interval{Start: time.Duration(w.from - startMono), End: time.Duration(w.at - startMono),
		Core: model.NoCore, Source: model.SourceSampled}
	lock := w.reason == model.ReasonLock
	switch {
	case w.run == length:
		iv.State, iv.Core = model.StateRunning, w.core
	case queue == length:
		iv.State, iv.Reason = model.StateReady, model.ReasonCore
	case block == length && lock:
		iv.State, iv.Reason = model.StateReady, model.ReasonLock
	case block == length:
		iv.State, iv.Reason = model.StateWaiting, w.reason
	default:
		iv.State = model.StateMixed
		if w.run > 0 {
			iv.Core = w.core
		}
		ready := queue
		if lock {
			ready += block
		}
		iv.RunShare = float32(float64(w.run) / float64(length))
		iv.ReadyShare = float32(float64(ready) / float64(length))
		switch {
		case block > 0 && (lock || block >= queue):
			iv.Reason = w.reason
		case queue > 0:
			iv.Reason = model.ReasonCore
		}
	}
	return iv
}
