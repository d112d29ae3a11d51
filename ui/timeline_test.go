package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/sim"
)

func TestNiceAxisEnd(t *testing.T) {
	cases := map[time.Duration]time.Duration{
		0:                      10 * ms,
		3 * ms:                 10 * ms,
		90 * ms:                100 * ms,
		500 * ms:               500 * ms,
		1004 * ms:              1500 * ms,
		2 * time.Second:        2 * time.Second,
		4012 * ms:              5 * time.Second,
		6 * time.Second:        7500 * ms,
		61 * time.Second:       75 * time.Second,
		999 * time.Millisecond: time.Second,
	}
	for in, want := range cases {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestAxisLabels(t *testing.T) {
	if got := axisLabels(time.Second, 40); got != "0s      0.2s    0.4s    0.6s    0.8s  1s" {
		t.Fatalf("axis row %q", got)
	}
	if got := axisLabels(time.Second, 20); got != "0s        0.5s    1s" {
		t.Fatalf("narrow axis row %q", got)
	}
	if got := axisLabels(20*ms, 40); !strings.Contains(got, "10ms") {
		t.Fatalf("short axis row %q", got)
	}
}

// lane draws one task at 10 cells over 1 s (100 ms a cell) with no colour.
func lane(tk sim.Task, horizon time.Duration, finished bool) string {
	var lb laneBuf
	return lb.render(DefaultStyles().lanePaints(), tk, time.Second, 10, horizon, finished)
}

func TestCellPriority(t *testing.T) {
	tk := sim.Task{Name: "co", Intervals: []sim.Interval{
		ready(0, 150*ms),
		run(150*ms, 151*ms, 0), // a 1 ms slice inside a 100 ms cell must still show
		ready(151*ms, 300*ms),
		wait(300*ms, 350*ms),
		ready(350*ms, 400*ms), // ready beats waiting
		wait(400*ms, 500*ms),
		iv(sim.StateDone, 500*ms, time.Second, sim.NoCore),
	}}
	if got, want := lane(tk, time.Second, true), "▒█▒▒─     "; got != want {
		t.Fatalf("lane %q, want %q", got, want)
	}
}

func TestGapsAndTails(t *testing.T) {
	tk := sim.Task{Intervals: []sim.Interval{
		wait(200*ms, 300*ms),
		// nothing observed from 300 to 500 ms
		run(500*ms, 600*ms, 1),
	}}
	// Live, observed up to 800 ms: blank before the start, unknown in the gap and up to now.
	if got, want := lane(tk, 800*ms, false), "  ─··█··  "; got != want {
		t.Fatalf("live lane %q, want %q", got, want)
	}
	// Finished: nothing after the last interval.
	if got, want := lane(tk, 800*ms, true), "  ─··█    "; got != want {
		t.Fatalf("finished lane %q, want %q", got, want)
	}
}

func TestManyTasksShowMoreLine(t *testing.T) {
	m, _ := newTestModel(t, "cpu-goroutines")
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = update(t, m, runUpdateMsg{id: m.runID, run: benchRun(1000)})
	v := m.View()
	checkFits(t, v, 80, 24)
	shown := strings.Count(v, "\nchunk ")
	if want := fmt.Sprintf("+%d more tasks", 1000-shown); !strings.Contains(v, want) {
		t.Fatalf("no %q line in:\n%s", want, v)
	}
	if shown < 3 {
		t.Fatalf("only %d lanes at 80×24:\n%s", shown, v)
	}
}
