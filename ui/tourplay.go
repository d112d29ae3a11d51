package ui

import (
	"os/exec"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"timeslice/internal/termtext"
	"timeslice/scenarios"
)

// TourModel plays a Tour over the root model: every message goes through to the root model,
// and the tour takes its steps one at a time: captions, runs, waits, keys, the comparison, and
// quitting. The keyboard keeps working, so a teacher can still step in.
type TourModel struct {
	inner   Model
	tour    Tour
	next    int              // index of the next step
	caption string           // shown in place of the help line
	untilOK bool             // waiting for the current run to finish
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
func NewTour(cfg Config, t Tour) TourModel {
	return TourModel{inner: New(cfg), tour: t, base: cfg.Params, tick: tea.Tick}
}

// Init takes the tour's first steps.
func (t TourModel) Init() tea.Cmd {
	return func() tea.Msg { return tourStepMsg{tag: 0} }
}

// Close stops every session the tour's root model started.
func (t TourModel) Close() { t.inner.Close() }

// Update passes msg to the root model and moves the tour on when its wait is over.
func (t TourModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(tourStepMsg); ok {
		if m.tag != t.tag {
			return t, nil
		}
		return t.advance()
	}
	var cmd tea.Cmd
	t.inner, cmd = t.inner.handle(msg)
	if t.untilOK && t.runOver() {
		t.untilOK = false
		next, more := t.advance()
		return next, tea.Batch(cmd, more)
	}
	return t, cmd
}

// runOver reports whether the current run has finished or failed.
func (t TourModel) runOver() bool {
	return t.inner.state == stateFinished || t.inner.state == stateFailed
}

// advance takes steps until one has to wait, and returns what they asked for.
func (t TourModel) advance() (TourModel, tea.Cmd) {
	var cmds []tea.Cmd
	for t.next < len(t.tour.Steps) {
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
		case StepWait:
			if s.UntilDone {
				if t.runOver() {
					continue
				}
				t.untilOK = true
				return t, tea.Batch(cmds...)
			}
			t.tag++
			tag := t.tag
			cmds = append(cmds, t.tick(s.Wait, func(time.Time) tea.Msg { return tourStepMsg{tag: tag} }))
			return t, tea.Batch(cmds...)
		case StepKey:
			var cmd tea.Cmd
			t.inner, cmd = t.inner.handle(s.Key)
			cmds = append(cmds, cmd)
		case StepCompare:
			t.inner, _ = t.inner.handle(showCompareMsg{})
		case StepQuit:
			t.inner.Close()
			return t, tea.Batch(append(cmds, tea.Quit)...)
		}
	}
	return t, tea.Batch(cmds...)
}

// View is the root model's screen with the tour's caption in place of the help line.
func (t TourModel) View() string {
	v := t.inner.View()
	if t.caption == "" {
		return v
	}
	lines := strings.Split(v, "\n")
	w, _ := t.inner.size()
	last := len(lines) - 1
	caption := termtext.Clean(t.caption) // parsed clean, but the caption is also set from errors
	lines[last] = ansi.Truncate(t.inner.common.styles.Heading.Render("▶ tour · "+caption), w, "…")
	return strings.Join(lines, "\n")
}
