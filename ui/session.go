package ui

import (
	"errors"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/observe"
	"timeslice/scenarios"
)

// tickInterval is how long the screen waits for a run's next snapshot before it redraws anyway
// (before the child's first, or if it stalls), so elapsed time keeps moving. Snapshots come more
// often than that and redraw the screen each time, so while they flow nothing else wakes it;
// nothing ticks when idle.
const tickInterval = 250 * time.Millisecond

// startedMsg says the session of run id has started (or failed to).
type startedMsg struct {
	id      int
	updates <-chan *model.Run
	done    <-chan struct{}
	err     error
}

// runUpdateMsg carries one snapshot of run id.
type runUpdateMsg struct {
	id  int
	run *model.Run
}

// runClosedMsg says run id's update channel has closed: the run is over.
type runClosedMsg struct{ id int }

// tickMsg says no snapshot of run id came for tickInterval: it redraws the elapsed time.
type tickMsg struct {
	id int
	at time.Time
}

// owner owns every session the model starts. It is shared by pointer between all copies of the
// model, so stopping through any copy (including the one handed to tea.NewProgram) stops them all.
// Only the current run's session is kept alive: beginning a new run stops the others, and a session
// that finishes starting after it was superseded is stopped at once.
type owner struct {
	mu       sync.Mutex
	current  int
	closed   bool
	live     map[int]liveSession
	stopping sync.WaitGroup // sessions being stopped in the background after a switch
}

type liveSession struct {
	sess observe.Session
	done chan struct{}
}

func newOwner() *owner { return &owner{live: map[int]liveSession{}} }

// begin makes id the current run and stops every other session. Their updates are cut off at
// once; killing and reaping their children happens off the Update goroutine, and stopAll waits
// for it, so a switch never makes the screen wait and a quit never leaves a child behind.
func (o *owner) begin(id int) {
	o.mu.Lock()
	o.current = id
	stale := o.takeLocked(func(k int) bool { return k != id })
	o.mu.Unlock()
	for _, ls := range stale {
		close(ls.done)
	}
	o.stopping.Add(1)
	go func() {
		defer o.stopping.Done()
		for _, ls := range stale {
			ls.sess.Stop()
		}
	}()
}

// adopt registers s as run id's session. It returns false, and stops s, when run id is no longer
// wanted (a newer run began, or the owner was shut down).
func (o *owner) adopt(id int, s observe.Session) (<-chan struct{}, bool) {
	o.mu.Lock()
	if o.closed || id != o.current {
		o.mu.Unlock()
		s.Stop()
		return nil, false
	}
	ls := liveSession{sess: s, done: make(chan struct{})}
	o.live[id] = ls
	o.mu.Unlock()
	return ls.done, true
}

// stopAll stops every session; with final set, later sessions are refused too.
func (o *owner) stopAll(final bool) {
	o.mu.Lock()
	if final {
		o.closed = true
	}
	all := o.takeLocked(func(int) bool { return true })
	o.mu.Unlock()
	stopSessions(all)
	o.stopping.Wait()
}

// takeLocked removes and returns the sessions whose id matches.
func (o *owner) takeLocked(match func(int) bool) []liveSession {
	var out []liveSession
	for k, ls := range o.live {
		if match(k) {
			out = append(out, ls)
			delete(o.live, k)
		}
	}
	return out
}

func stopSessions(ss []liveSession) {
	for _, ls := range ss {
		close(ls.done)
		ls.sess.Stop()
	}
}

// errNoSession is reported when a Starter returns neither a session nor an error.
var errNoSession = errors.New("the starter returned no session")

// startSession starts scenario id as run runID, off the Update goroutine.
func startSession(o *owner, start observe.Starter, runID int, id string, p scenarios.Params) tea.Cmd {
	return func() tea.Msg {
		if start == nil {
			return startedMsg{id: runID, err: errNoSession}
		}
		s, err := start(id, p)
		if err != nil {
			if s != nil {
				s.Stop()
			}
			return startedMsg{id: runID, err: err}
		}
		if s == nil {
			return startedMsg{id: runID, err: errNoSession}
		}
		done, ok := o.adopt(runID, s)
		if !ok {
			return nil
		}
		return startedMsg{id: runID, updates: s.Updates(), done: done}
	}
}

// waitForUpdate waits for one snapshot of run id, or for tickInterval if none comes first, then
// returns a tickMsg. It gives up quietly once the run is stopped.
func waitForUpdate(id int, updates <-chan *model.Run, done <-chan struct{}) tea.Cmd {
	return waitForUpdateOrTick(id, updates, done, tickInterval)
}

// waitForUpdateOrTick is waitForUpdate with the tick after d.
func waitForUpdateOrTick(id int, updates <-chan *model.Run, done <-chan struct{}, d time.Duration) tea.Cmd {
	return func() tea.Msg {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case r, ok := <-updates:
			if !ok {
				return runClosedMsg{id: id}
			}
			return runUpdateMsg{id: id, run: r}
		case <-done:
			return nil
		case at := <-timer.C:
			return tickMsg{id: id, at: at}
		}
	}
}
