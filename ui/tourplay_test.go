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
	m := NewTour(Config{Scenario: "io-sequential", Params: scenarios.DefaultParams(), Start: start}, tour, TourOptions{})
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
	if !strings.Contains(tm.View(), "▶ Sequential first") {
		t.Fatalf("caption missing:\n%s", tm.View())
	}
}

// TestLessonTourAt100x30 is the must-show: the built-in tour at 100×30 shows every
// caption whole, shows the explanation and the core lanes at least once, and ends on the whole
// comparison, each hold waiting --hold.
func TestLessonTourAt100x30(t *testing.T) {
	runs := allRuns()
	start := func(id string, _ scenarios.Params) (observe.Session, error) {
		return observe.Playback(runs[id]), nil
	}
	tour := DefaultTour(scenarios.DefaultParams())
	m := NewTour(Config{Scenario: "io-sequential", Params: scenarios.DefaultParams(), Start: start}, tour, TourOptions{Hold: 5 * time.Second})
	var waited []time.Duration
	m.tick = instantTick(&waited)
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	var screens []string
	queue := []tea.Cmd{m.Init()}
	quit := false
	for steps := 0; len(queue) > 0 && steps < 10000 && !quit; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			quit = true
		case nil:
		default:
			var next tea.Cmd
			tm, next = tm.Update(msg)
			queue = append(queue, next)
			screens = append(screens, tm.View())
		}
	}
	if !quit {
		t.Fatal("the tour did not quit by itself")
	}
	for _, s := range tour.Steps {
		if s.Kind != StepCaption {
			continue
		}
		whole := false
		for _, v := range screens {
			checkFits(t, v, 100, 30)
			lines := strings.Split(v, "\n")
			var shown []string
			for i := len(lines) - 1; i >= 0; i-- {
				shown = append([]string{strings.TrimPrefix(strings.TrimSpace(lines[i]), "▶ ")}, shown...)
				if strings.HasPrefix(lines[i], "▶ ") {
					break
				}
			}
			whole = whole || strings.Contains(strings.Join(shown, " "), s.Caption)
		}
		if !whole {
			t.Errorf("the caption %q is never whole on screen", s.Caption)
		}
	}
	seen := func(want ...string) bool {
		for _, v := range screens {
			all := true
			for _, w := range want {
				all = all && strings.Contains(v, w)
			}
			if all {
				return true
			}
		}
		return false
	}
	if !seen("What to look for in io-sequential") {
		t.Error("the tour never shows the explanation")
	}
	if !seen("cpu0 ", "cpu1 ", "1–9 a–z: the task that ran there") {
		t.Error("the tour never shows the core lanes")
	}
	if !seen("zoom ×64", "chunk 1") {
		t.Error("the tour never shows a zoomed-in view")
	}
	last := screens[len(screens)-1]
	for _, id := range scenarios.IDs() {
		if !strings.Contains(last, "\n"+id+" ") {
			t.Fatalf("the tour does not end on the whole comparison (%s missing):\n%s", id, last)
		}
	}
	if !strings.Contains(last, "Lesson matrix") || strings.Contains(last, "more below") {
		t.Fatalf("the tour's last screen is not the whole comparison:\n%s", last)
	}
	holds := 0
	for _, d := range waited {
		if d == 5*time.Second {
			holds++
		}
	}
	if holds < 9 {
		t.Fatalf("%d holds of --hold, want one per scenario and more: %v", holds, waited)
	}
}

// TestTourStepsByKeyAndLoops: with Step a hold waits for space, not a timer; with Loop the tour
// starts again where it would quit.
func TestTourStepsByKeyAndLoops(t *testing.T) {
	tour, err := ParseTour(strings.NewReader("caption one\nrun io-threads\nwait done\nhold\ncaption two\nhold\nquit\n"))
	if err != nil {
		t.Fatal(err)
	}
	start := func(id string, _ scenarios.Params) (observe.Session, error) {
		return observe.Playback(&model.Run{Scenario: id, Finished: true, Wall: time.Second}), nil
	}
	m := NewTour(Config{Scenario: "io-threads", Params: scenarios.DefaultParams(), Start: start}, tour, TourOptions{Step: true, Loop: true})
	var waited []time.Duration
	m.tick = instantTick(&waited)
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	tm, quit := drain(t, tm, m.Init())
	if quit || len(waited) != 0 || !strings.Contains(tm.View(), "one (space: go on)") {
		t.Fatalf("a hold with Step did not wait for space (quit %v, timers %v):\n%s", quit, waited, tm.View())
	}
	tm, cmd := tm.Update(tea.KeyMsg{Type: tea.KeySpace})
	tm, _ = drain(t, tm, cmd)
	if !strings.Contains(tm.View(), "two (space: go on)") {
		t.Fatalf("space did not go on to the next hold:\n%s", tm.View())
	}
	tm, cmd = tm.Update(tea.KeyMsg{Type: tea.KeySpace})
	tm, quit = drain(t, tm, cmd)
	if quit || !strings.Contains(tm.View(), "one (space: go on)") {
		t.Fatalf("a looping tour quit, or did not start again (quit %v):\n%s", quit, tm.View())
	}
}
