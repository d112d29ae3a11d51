package scenarios

import (
	"container/heap"
	"context"
	"iter"
	"runtime"
	"time"
)

// await is what a coroutine hands the event loop when it suspends: how long until it can go on.
type await struct{ d time.Duration }

// coroutine is one suspended computation on the loop, resumed through iter.Pull, which switches
// between goroutines on the same OS thread without the scheduler: a real coroutine switch.
type coroutine struct {
	name   string
	resume func() (await, bool)
	stop   func()
}

// wakeup is a timer entry: the coroutine to make ready when the time comes.
type wakeup struct {
	at time.Time
	co *coroutine
}

// timerQueue is a min-heap of wakeups by time, as an event loop keeps its scheduled callbacks.
type timerQueue []wakeup

func (q timerQueue) Len() int           { return len(q) }
func (q timerQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q timerQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *timerQueue) Push(x any)        { *q = append(*q, x.(wakeup)) }
func (q *timerQueue) Pop() any {
	old := *q
	w := old[len(old)-1]
	*q = old[:len(old)-1]
	return w
}

// eventLoop runs coroutines one at a time on a single OS thread. A coroutine runs until it
// awaits; the loop then runs the next ready one, and sleeps only when none is ready.
type eventLoop struct {
	ready  []*coroutine
	timers timerQueue
}

// spawn schedules a coroutine, ready to run, as asyncio.gather does.
func (l *eventLoop) spawn(ctx context.Context, name string, body iter.Seq[await]) {
	next, stop := iter.Pull(body)
	l.ready = append(l.ready, &coroutine{name: name, resume: next, stop: stop})
	MarkCoroutine(ctx, name, CoroutineReady)
}

// run drives the loop until every coroutine is done or ctx ends. It must be called on the
// goroutine that spawned the coroutines, locked to its thread as it was then.
func (l *eventLoop) run(ctx context.Context) error {
	defer l.stopAll()
	for len(l.ready) > 0 || len(l.timers) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		l.wakeDue(ctx, time.Now())
		if len(l.ready) == 0 {
			// Nothing can run: block the thread until the earliest wait ends, like a selector.
			if err := sleepCtx(ctx, time.Until(l.timers[0].at)); err != nil {
				return err
			}
			continue
		}
		co := l.ready[0]
		l.ready = l.ready[1:]
		MarkCoroutine(ctx, co.name, CoroutineRunning)
		a, ok := co.resume()
		if !ok {
			MarkCoroutine(ctx, co.name, CoroutineDone)
			continue
		}
		MarkCoroutine(ctx, co.name, CoroutineWaiting)
		heap.Push(&l.timers, wakeup{at: time.Now().Add(a.d), co: co})
	}
	return nil
}

// wakeDue moves every coroutine whose wait has ended to the ready queue.
func (l *eventLoop) wakeDue(ctx context.Context, now time.Time) {
	for len(l.timers) > 0 && !l.timers[0].at.After(now) {
		w := heap.Pop(&l.timers).(wakeup)
		MarkCoroutine(ctx, w.co.name, CoroutineReady)
		l.ready = append(l.ready, w.co)
	}
}

// stopAll ends every coroutine still suspended, so none of their goroutines outlives the loop.
func (l *eventLoop) stopAll() {
	for _, co := range l.ready {
		co.stop()
	}
	for _, w := range l.timers {
		w.co.stop()
	}
	l.ready, l.timers = nil, nil
}

// callCoroutine is one API call written as a coroutine: it awaits the response instead of blocking.
func callCoroutine(env Env, i int, latency time.Duration) iter.Seq[await] {
	return func(yield func(await) bool) {
		env.Printf("%s: request sent, waiting for response", callName(i))
		if !yield(await{latency}) {
			return
		}
		env.Printf("%s: response received", callName(i))
	}
}

// runIOAsyncio runs every call as a coroutine on one event loop thread.
func runIOAsyncio(ctx context.Context, env Env, p Params) error {
	// The loop and every coroutine live on this one OS thread; iter.Pull requires the lock
	// to be taken before the coroutines are made.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var l eventLoop
	for i := 0; i < p.Calls; i++ {
		l.spawn(ctx, callName(i), callCoroutine(env, i, p.Latency))
	}
	return l.run(ctx)
}
