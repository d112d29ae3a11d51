package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/scenarios"
)

// TestPFreezesALiveRun: p during a run holds the screen still while its snapshots keep
// arriving (the work goes on), says so, and p shows it live again, newest snapshot first.
func TestPFreezesALiveRun(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	snaps := recorded()["io-sequential"]
	m = update(t, m, runUpdateMsg{id: m.runID, run: snaps[0]})
	m = press(t, m, keyRune('p'))
	if m.frozen == nil {
		t.Fatal("p did not freeze the live run")
	}
	before := m.timeline.view()
	m = update(t, m, runUpdateMsg{id: m.runID, run: snaps[2]})
	if m.run != snaps[2] {
		t.Fatal("the snapshots stopped arriving while frozen")
	}
	v := m.View()
	if m.timeline.view() != before || !strings.Contains(v, "frozen at 0.50 s: the run goes on · p shows it live") {
		t.Fatalf("the frozen screen moved, or does not say it is frozen:\n%s", v)
	}
	m = update(t, m, runUpdateMsg{id: m.runID, run: snaps[len(snaps)-1]})
	m = update(t, m, runClosedMsg{id: m.runID})
	if v := m.View(); strings.Contains(v, "✓ finished") || !strings.Contains(v, "the run has ended since") {
		t.Fatalf("a frozen screen shows the end, or does not say the run ended:\n%s", v)
	}
	m = press(t, m, keyRune('p'))
	if v := m.View(); m.frozen != nil || !strings.Contains(v, "✓ finished") {
		t.Fatalf("p did not show the run live again:\n%s", v)
	}
}

// TestKeysThatDoNothingSayWhy: a key that does nothing now says why in the status line, until
// the next key.
func TestKeysThatDoNothingSayWhy(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	for _, c := range []struct {
		key  tea.KeyMsg
		want string
	}{
		{keyRune('p'), "nothing to pause until the run has started"},
		{keyRune('s'), "once the run has finished"},
		{keyRune('.'), "once the run has finished"},
		{keyRune('Z'), "the whole run is shown already"},
		{keyRune('h'), "zoom in (z) to move along it"},
		{tea.KeyMsg{Type: tea.KeyHome}, "zoom in (z) first, or let the run finish"},
		{tea.KeyMsg{Type: tea.KeyUp}, "nothing to scroll"},
		{tea.KeyMsg{Type: tea.KeyEsc}, "nothing to close"},
		{keyRune('x'), "export once the run has finished"},
	} {
		m = press(t, m, c.key)
		if v := m.View(); !strings.Contains(v, c.want) {
			t.Fatalf("%s says nothing of %q:\n%s", c.key, c.want, v)
		}
	}
	m = press(t, m, keyRune('c'))
	m = press(t, m, keyRune('k'))
	if v := m.View(); !strings.Contains(v, "k: this works on one run's lanes") {
		t.Fatalf("k in the comparison says nothing:\n%s", v)
	}
	m = press(t, m, keyRune('c'))
	if v := m.View(); strings.Contains(v, "this works on one run's lanes") {
		t.Fatalf("the hint outlived the next key:\n%s", v)
	}
	m = press(t, m, keyRune('4'))
	m = press(t, m, keyRune('['))
	if v := m.View(); !strings.Contains(v, "latency is a knob of the io-* scenarios") {
		t.Fatalf("[ on a cpu-* scenario says nothing:\n%s", v)
	}
}

// TestDefaultViewSpeaksPlainWords is the must-show: the default view never says
// GOMAXPROCS, nor the scheduler's other words; d shows them.
func TestDefaultViewSpeaksPlainWords(t *testing.T) {
	jargon := []string{"GOMAXPROCS", "preempt", "switches", "moves:", "onto "}
	m, _ := newTestModel(t, "cpu-goroutines")
	for _, snap := range recorded()["cpu-goroutines"] {
		m = update(t, m, runUpdateMsg{id: m.runID, run: snap})
		for _, view := range []string{m.View(), press(t, m, keyRune('k')).View(), press(t, m, keyRune('c')).View()} {
			for _, j := range jargon {
				if strings.Contains(view, j) {
					t.Fatalf("the default view says %q:\n%s", j, view)
				}
			}
		}
	}
	m = update(t, m, runClosedMsg{id: m.runID})
	if v := press(t, m, keyRune('d')).View(); !strings.Contains(v, "GOMAXPROCS 2") {
		t.Fatalf("d does not show GOMAXPROCS:\n%s", v)
	}
}

// oneSecond finds a second said as such ("1s", "1 s"), not a tick such as 0.1s.
var oneSecond = regexp.MustCompile(`(^|[^.\d])1 ?s\b`)

// TestExplanationFollowsTheKnobs is the must-show: with --latency 200ms no explanation
// says 1 s, in the header or in what to look for; on one core cpu-goroutines does not promise
// twice as fast.
func TestExplanationFollowsTheKnobs(t *testing.T) {
	p := scenarios.DefaultParams()
	p.Latency = 200 * time.Millisecond
	for _, id := range []string{"io-sequential", "io-threads", "io-asyncio"} {
		m := New(Config{Scenario: id, Params: p, Start: (&fakeStarter{}).start})
		m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
		m = press(t, m, keyRune('e'))
		v := m.View()
		if oneSecond.MatchString(v) || !strings.Contains(v, "200ms") {
			t.Fatalf("%s with --latency 200ms:\n%s", id, v)
		}
	}
	p = scenarios.DefaultParams()
	p.Cores = 1
	m := New(Config{Scenario: "cpu-goroutines", Params: p, Start: (&fakeStarter{}).start})
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = press(t, m, keyRune('e'))
	if v := m.View(); strings.Contains(v, "twice") || strings.Contains(v, "2×") || strings.Contains(v, "two cores") {
		t.Fatalf("cpu-goroutines on one core promises a speedup:\n%s", v)
	}
}
