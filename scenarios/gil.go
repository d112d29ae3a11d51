package scenarios

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"timeslice/internal/oncpu"
)

// switchInterval is how long a thread waits for the global lock before it asks the holder to
// give it up, as CPython's sys.getswitchinterval() does by default.
const switchInterval = 5 * time.Millisecond

// dropEvery is how much computation the holder does between two looks at whether it has been
// asked to drop the lock: CPython's holder looks between bytecodes, within microseconds.
const dropEvery = 25 * time.Microsecond

// globalLock is CPython's global interpreter lock (the "new GIL" of CPython 3.2 on, with forced
// switching), built as Python/ceval_gil.c builds it, from a mutex and two condition variables:
//
//   - a thread that wants the lock while another holds it waits switchInterval; if no other
//     thread took the lock in the meantime, it asks the holder to drop it (the drop request),
//     and goes on waiting;
//   - the holder looks for the request between steps of its work; asked, it drops the lock,
//     signals one waiter, and waits until another thread has taken it (so it cannot take it
//     straight back), then waits for the lock like any other thread;
//   - a thread that takes the lock after another held it last counts a switch, wakes the
//     thread that dropped it, and clears the request.
//
// Each chunk's goroutine keeps an OS thread of its own, as each of CPython's threads is one, so
// a hand-over costs what CPython's does: the kernel wakes the waiter's thread and schedules it
// while the old holder waits for it, and nobody computes (between goroutines sharing a thread,
// the Go scheduler would hand over without the kernel, far faster). The waits are a condition
// variable's, which the trace draws as waiting for the lock.
type globalLock struct {
	drop atomic.Bool // the drop request

	mu         sync.Mutex // guards what follows
	dropped    sync.Cond  // signalled when the lock is dropped
	switched   sync.Cond  // signalled when a thread takes the lock after another held it
	locked     bool
	waiters    int // threads waiting for the lock
	lastHolder *gilThread
	switches   uint64
}

// gilThread is one thread's side of the lock.
type gilThread struct {
	g *globalLock
	m *oncpu.Meter
	// waiting is set while the thread waits for the lock; its timer asks for a drop.
	waiting bool
	timer   *time.Timer
	since   uint64 // the switch count when the current interval of waiting began
}

func newGlobalLock() *globalLock {
	g := &globalLock{}
	g.dropped.L, g.switched.L = &g.mu, &g.mu
	return g
}

// take waits for the lock, asking for a drop each switchInterval in which no switch happened.
// The meter is paused while the thread waits, outside the lock's own mutex.
func (t *gilThread) take() {
	g := t.g
	g.mu.Lock()
	waited := g.locked
	if waited {
		t.waiting, t.since = true, g.switches
		if t.timer == nil {
			t.timer = time.AfterFunc(switchInterval, t.timedOut)
		} else {
			t.timer.Reset(switchInterval)
		}
		g.mu.Unlock()
		t.m.Pause()
		g.mu.Lock()
		g.waiters++
		for g.locked {
			g.dropped.Wait()
		}
		g.waiters--
		t.waiting = false
		t.timer.Stop()
	}
	g.locked = true
	if g.lastHolder != t {
		g.lastHolder = t
		g.switches++
		g.switched.Broadcast() // the holder that dropped for us may go on
	}
	g.drop.Store(false)
	g.mu.Unlock()
	if waited {
		t.m.Resume()
	}
}

// timedOut runs when the thread has waited switchInterval: if no switch happened meanwhile, it
// asks the holder to drop the lock; either way it waits another interval.
func (t *gilThread) timedOut() {
	g := t.g
	g.mu.Lock()
	defer g.mu.Unlock()
	if !t.waiting {
		return
	}
	if g.locked && g.switches == t.since {
		g.drop.Store(true)
	}
	t.since = g.switches
	t.timer.Reset(switchInterval)
}

// release gives the lock up. Asked to drop it (forced), the thread then waits until another
// thread has taken it, if one waits for it (else nothing could take it).
func (t *gilThread) release(forced bool) {
	g := t.g
	g.mu.Lock()
	g.locked = false
	g.dropped.Signal()
	wait := forced && g.waiters > 0
	g.mu.Unlock()
	if !wait {
		return
	}
	t.m.Pause()
	g.mu.Lock()
	for g.lastHolder == t {
		g.switched.Wait()
	}
	g.mu.Unlock()
	t.m.Resume()
}

// burner returns the burn and done functions of one thread measured by m, and keeps the
// calling goroutine on its OS thread until done is called. Burn computes only
// while holding the lock, taking it at the first call and keeping it from one call to the next
// (CPython's thread holds it from one number to the next), in steps of step with a meter check
// after each, looking for a drop request dropChecks times a step; asked, it drops the lock and
// takes it again after its turn. Done gives the lock up once the chunk's work is over.
func (g *globalLock) burner(m *oncpu.Meter, step int) (burn func(int), done func()) {
	runtime.LockOSThread()
	t := &gilThread{g: g, m: m}
	sub := max(int(int64(step)*int64(dropEvery)/int64(oncpu.CheckEvery)), 1)
	held, worked := false, 0
	burn = func(iters int) {
		if !held {
			t.take()
			held = true
		}
		for iters > 0 {
			n := min(sub, iters)
			Burn(n)
			iters -= n
			if worked += n; worked >= step {
				m.Check(worked)
				worked = 0
			}
			if g.drop.Load() {
				t.release(true)
				t.take()
			}
		}
	}
	done = func() {
		if held {
			t.release(false)
			held = false
		}
		runtime.UnlockOSThread()
	}
	return burn, done
}
