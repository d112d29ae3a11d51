package main

import (
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

// stopSignals end timeslice in every mode: what has finished is kept, the children are
// stopped and reaped, the terminal is restored, and the exit status is 128 plus the signal's
// number, as a shell reports a program the signal killed. This process is their one handler:
// the live view runs bubbletea without its own (two handlers raced for one signal and could
// leave the screen frozen in raw mode).
var stopSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// caught catches stopSignals from the moment it is made, so one that comes while timeslice is
// still setting up is not lost: it is acted on once there is something to stop.
type caught struct {
	ch   chan os.Signal
	sig  atomic.Int32 // the first signal's number, once acted on
	quit chan struct{}
	once sync.Once
	wg   sync.WaitGroup
}

// catchSignals starts catching stopSignals.
func catchSignals() *caught {
	c := &caught{ch: make(chan os.Signal, 1), quit: make(chan struct{})}
	signal.Notify(c.ch, stopSignals...)
	return c
}

// onFirst calls stop, on a goroutine of its own, when the first signal comes (at once if one
// came already). stop must return even when what it stops has already ended.
func (c *caught) onFirst(stop func()) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		select {
		case s := <-c.ch:
			c.record(s)
			stop()
		case <-c.quit:
		}
	}()
}

// record keeps the first signal.
func (c *caught) record(s os.Signal) {
	if n, ok := s.(syscall.Signal); ok {
		c.sig.CompareAndSwap(0, int32(n))
	}
}

// release stops catching and returns the exit status a signal asks for: 128 plus its number,
// or 0 with ok false when none came. It may be called more than once.
func (c *caught) release() (code int, ok bool) {
	c.once.Do(func() {
		close(c.quit)
		c.wg.Wait()
		signal.Stop(c.ch)
		select {
		case s := <-c.ch: // one that came after the program ended still ends timeslice as asked
			c.record(s)
		default:
		}
	})
	if n := c.sig.Load(); n != 0 {
		return 128 + int(n), true
	}
	return 0, false
}
