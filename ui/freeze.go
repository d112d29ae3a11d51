package ui

import (
	"time"

	"timeslice/model"
)

// frozenView is a live run held still on screen with p, while the work goes on and its
// snapshots keep arriving: the run as it was, and how long it had been going.
type frozenView struct {
	run     *model.Run
	elapsed time.Duration
}

// shown is what the main view draws of the current run: its newest snapshot, its state and
// elapsed time, or the frozen ones while p holds it still.
func (m Model) shown() (*model.Run, runState, time.Duration) {
	if m.frozen != nil {
		return m.frozen.run, stateRunning, m.frozen.elapsed
	}
	return m.run, m.state, m.elapsed()
}

// frozenText says what a frozen screen shows, for the status line.
func (m Model) frozenText() string {
	if m.frozen == nil {
		return ""
	}
	going := "the run goes on"
	if m.state != stateRunning && m.state != stateStarting {
		going = "the run has ended since"
	}
	return "frozen at " + fmtDur(m.frozen.elapsed) + ": " + going + " · p shows it live"
}
