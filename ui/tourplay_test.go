package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/observe"
	"timeslice/scenarios"
)

// drain runs cmd and every command it leads to, feeding messages back into the model, until
// nothing is left or quit is asked for. A tour's timed waits fire at once when its tick is
// instantTick, so no test sleeps.
func drain(t *testing.T, m tea.Model, cmd tea.Cmd) (tea.Model, bool) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 10000; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case tea.QuitMsg:
			return m, true
		case nil:
			continue
		}
		var next tea.Cmd
		m, next = m.Update(msg)
		queue = append(queue, next)
	}
	return m, false
}

// instantTick is a tour's tick that fires at once, noting how long it was asked to wait.
func instantTick(waited *[]time.Duration) func(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
	return func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		*waited = append(*waited, d)
		return func() tea.Msg { return fn(time.Time{}) }
	}
}

func TestTourRunsItsStepsAndQuits(t *testing.T) {
	tour, err := ParseTour(strings.NewReader("caption Sequential first\nrun io-sequential --latency 5ms\nwait done\nwait 1s\nrun io-threads\nwait done\ncompare\nquit\n"))
	if err != nil {
		t.Fatal(err)
	}
	var started []string
	var params []scenarios.Params
	start := func(id string, p scenarios.Params) (observe.Session, error) {
		started = append(started, id)
		params = append(params, p)
		return observe.Playback(&model.Run{Scenario: id, Finished: true, Wall: time.Second}), nil
	}
	m := NewTour(Config{Scenario: "io-sequential", Params: scenarios.DefaultParams(), Start: start}, tour)
	var waited []time.Duration
	m.tick = instantTick(&waited)
	m2, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	final, quit := drain(t, m2, m.Init())
	if !quit {
		t.Fatal("the tour did not quit by itself")
	}
	if strings.Join(started, ",") != "io-sequential,io-threads" {
		t.Fatalf("started %v", started)
	}
	if params[0].Latency != 5*time.Millisecond || params[1].Latency != time.Second {
		t.Fatalf("a run step's flags hold for that run only: %v", params)
	}
	if len(waited) != 1 || waited[0] != time.Second {
		t.Fatalf("timed waits %v, want the one of 1s", waited)
	}
	tm := final.(TourModel)
	if tm.inner.mode != viewCompare {
		t.Fatal("the tour should end on the comparison")
	}
	if !strings.Contains(tm.View(), "tour · Sequential first") {
		t.Fatalf("caption missing:\n%s", tm.View())
	}
}
