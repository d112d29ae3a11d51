package osproc

import (
	"os"
	"runtime"
	"sync"
)

// LeanProcs keeps this process on one scheduler P while it observes nothing, and gives back
// the usual number while any session runs. A live view at rest only wakes for its renderer's
// frames, and on a Go runtime with several Ps each of those wake-ups also wakes a second
// thread to look for work. While a run is observed, trace parsing and /proc sampling must not
// queue behind the UI, so every P is back. It changes GOMAXPROCS only once enabled.
type LeanProcs struct {
	mu      sync.Mutex
	enabled bool
	busy    int // the GOMAXPROCS to use while observing
	active  int // sessions running
}

// Enable starts the policy: one P from now until a session begins. A GOMAXPROCS the user
// set in the environment is kept as it is.
func (l *LeanProcs) Enable() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.enabled || os.Getenv("GOMAXPROCS") != "" {
		return
	}
	l.enabled = true
	l.busy = runtime.GOMAXPROCS(0)
	if l.active == 0 {
		runtime.GOMAXPROCS(1)
	}
}

// begin notes a session starting, giving back every P if it is the only one.
func (l *LeanProcs) begin() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.active++
	if l.enabled && l.active == 1 {
		runtime.GOMAXPROCS(l.busy)
	}
}

// end notes a session over, going back to one P if it was the last.
func (l *LeanProcs) end() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.active--
	if l.enabled && l.active == 0 {
		runtime.GOMAXPROCS(1)
	}
}

// Session is Begin when active, else End: the shape of observe.Runner's OnSession hook.
func (l *LeanProcs) Session(active bool) {
	if active {
		l.begin()
	} else {
		l.end()
	}
}
