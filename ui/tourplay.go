package ui

import (
	"os/exec"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/internal/termtext"
	"timeslice/scenarios"
)

// TourOptions say how a tour is played.
type TourOptions struct {
	// Hold is how long a hold step pauses; 0 means DefaultHold.
	Hold time.Duration
	// Step makes every hold wait for space (or enter) instead, for a teacher to go on when the
	// class is ready.
	Step bool
	// Loop starts the tour again from its first step where it would quit, for a kiosk.
	Loop bool
}

// TourModel plays a Tour over the root model: every message goes through to the root model,
// and the tour takes its steps one at a time: captions, runs, waits, holds, keys, the
// comparison, and quitting. The keyboard keeps working, so a teacher can still step in.
type TourModel struct {
	inner   Model
	tour    Tour
	opt     TourOptions
	next    int              // index of the next step
	caption string           // shown in place of the help line
	untilOK bool             // waiting for the current run to finish
	keyWait bool             // waiting for space, at a hold with --step
	tag     int              // of the pending timed wait; older timers are dropped
	base    scenarios.Params // the flags timeslice was started with; a run step's flags go on top
	// tick makes a wait step's timer: tea.Tick, which tests replace with one that fires at once.
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// tourStepMsg says a tour's timed wait has ended.
type tourStepMsg struct{ tag int }

// runScenarioMsg starts scenario id with params in the main view, as a tour's run step does.
type runScenarioMsg struct {
	id     string
	params scenarios.Params
}

// showCompareMsg opens the comparison, as a tour's compare step does.
type showCompareMsg struct{}

// NewTour builds a tour over the root model; cfg is as for New, but no scenario starts until
// the tour runs one.
func NewTour(cfg Config, t Tour, opt TourOptions) TourModel {
	if opt.Hold <= 0 {
		opt.Hold = DefaultHold
	}
	return TourModel{inner: New(cfg), tour: t, opt: opt, base: cfg.Params, tick: tea.Tick}
}

// Init takes the tour's first steps.
func (t TourModel) Init() tea.Cmd {
	return func() tea.Msg { return tourStepMsg{tag: 0} }
}

// Close stops every session the tour's root model started.
func (t TourModel) Close() { t.inner.Close() }

// Update passes msg to the root model and moves the tour on when its wait is over.
func (t TourModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch m := msg.(type) {
	case tourStepMsg:
		if m.tag != t.tag {
			return t, nil
		}
		return t.advance()
	case tea.KeyMsg:
		if t.keyWait && (m.Type == tea.KeySpace || m.Type == tea.KeyEnter) {
			t.keyWait = false
			return t.advance()
		}
	}
	var cmd tea.Cmd
	t.inner, cmd = t.inner.handle(msg)
	if t.untilOK && t.runOver() {
		t.untilOK = false
		next, more := t.advance()
		return next, tea.Batch(cmd, more)
	}
	return t.shown(), cmd
}

// runOver reports whether the current run has finished or failed.
func (t TourModel) runOver() bool {
	return t.inner.state == stateFinished || t.inner.state == stateFailed
}

// advance takes steps until one has to wait, and returns what they asked for. Where the tour
// would quit (or ends), with Loop it starts again from its first step, unless it has no step
// that waits.
func (t TourModel) advance() (TourModel, tea.Cmd) {
	var cmds []tea.Cmd
	for t.next < len(t.tour.Steps) && t.tour.Steps[t.next].Kind != StepQuit {
		s := t.tour.Steps[t.next]
		t.next++
		switch s.Kind {
		case StepCaption:
			t.caption = s.Caption
		case StepRun:
			p, err := s.Params(t.base)
			if err != nil {
				t.caption = "tour: " + err.Error()
				continue
			}
			var cmd tea.Cmd
			t.inner, cmd = t.inner.handle(runScenarioMsg{id: s.Scenario, params: p})
			cmds = append(cmds, cmd)
		case StepWatch:
			if _, err := exec.LookPath(s.Program.Command[0]); err != nil {
				t.caption = "tour: " + s.Program.Command[0] + " is not installed here, so " + s.Program.ID + " is skipped"
				continue
			}
			var cmd tea.Cmd
			t.inner, cmd = t.inner.handle(runScenarioMsg{id: s.Program.ID, params: t.base})
			cmds = append(cmds, cmd)
		case StepWait, StepHold:
			if s.UntilDone {
				if t.runOver() {
					continue
				}
				t.untilOK = true
				return t.shown(), tea.Batch(cmds...)
			}
			if s.Kind == StepHold && t.opt.Step {
				t.keyWait = true
				return t.shown(), tea.Batch(cmds...)
			}
			d := s.Wait
			if s.Kind == StepHold {
				d = t.opt.Hold
			}
			t.tag++
			tag := t.tag
			cmds = append(cmds, t.tick(d, func(time.Time) tea.Msg { return tourStepMsg{tag: tag} }))
			return t.shown(), tea.Batch(cmds...)
		case StepKey:
			var cmd tea.Cmd
			t.inner, cmd = t.inner.handle(s.Key)
			cmds = append(cmds, cmd)
		case StepCompare:
			t.inner, _ = t.inner.handle(showCompareMsg{})
		}
	}
	if t.opt.Loop && !t.neverWaits() {
		t.next = 0
		next, more := t.advance()
		return next, tea.Batch(append(cmds, more)...)
	}
	if t.next < len(t.tour.Steps) { // a quit step
		t.inner.Close()
		return t.shown(), tea.Batch(append(cmds, tea.Quit)...)
	}
	return t.shown(), tea.Batch(cmds...)
}

// neverWaits reports whether the tour has no step that waits: looping it would never pause.
func (t TourModel) neverWaits() bool {
	for _, s := range t.tour.Steps {
		if s.Kind == StepWait || s.Kind == StepHold {
			return false
		}
	}
	return true
}

// shown hands the caption to the root model, which lays it out in place of the help line.
func (t TourModel) shown() TourModel {
	c := termtext.Clean(t.caption) // parsed clean, but the caption is also set from errors
	if t.keyWait {
		c += "  (space: go on)"
	}
	if c != t.inner.caption {
		t.inner.caption = c
		t.inner = t.inner.relayout()
	}
	return t
}

// View is the root model's screen, the tour's caption in place of the help line.
func (t TourModel) View() string { return t.shown().inner.View() }
