package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
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
func lane(tk model.Task, horizon time.Duration, finished bool) string {
	var lb laneBuf
	return lb.render(DefaultStyles().lanePaints(), tk, time.Second, 10, horizon, finished)
}

func TestCellPriority(t *testing.T) {
	tk := model.Task{Name: "co", Intervals: []model.Interval{
		ready(0, 150*ms),
		run(150*ms, 151*ms, 0), // a 1 ms slice in an otherwise ready cell: took turns, ▓
		ready(151*ms, 300*ms),
		wait(300*ms, 350*ms),
		ready(350*ms, 400*ms), // a tie in time: ready beats waiting
		wait(400*ms, 500*ms),
		iv(model.StateDone, 500*ms, 600*ms, model.NoCore),
		run(600*ms, 602*ms, 1), // a short burst between waits stays █
		wait(602*ms, 700*ms),
		run(700*ms, 760*ms, 0), // running most of the cell is █ whatever the rest
		ready(760*ms, 800*ms),
		ready(800*ms, 830*ms), // no running: the state covering most of the cell
		wait(830*ms, 900*ms),
		iv(model.StateDone, 900*ms, time.Second, model.NoCore),
	}}
	if got, want := lane(tk, time.Second, true), "▒▓▒▒─ ██─ "; got != want {
		t.Fatalf("lane %q, want %q", got, want)
	}
}

// TestTookTurnsUnderALock is cpu-threads-gil: four threads each hold the lock 5 ms of every 20 ms.
// They must read as taking turns (▓), not as four lanes running at once (█).
func TestTookTurnsUnderALock(t *testing.T) {
	for n := 0; n < 4; n++ {
		var tk model.Task
		for s := time.Duration(0); s < time.Second; s += 20 * ms {
			o := s + time.Duration(n)*5*ms
			if o > s {
				tk.Intervals = append(tk.Intervals, iv(model.StateReady, s, o, model.NoCore))
			}
			tk.Intervals = append(tk.Intervals, run(o, o+5*ms, 0))
			if o+5*ms < s+20*ms {
				tk.Intervals = append(tk.Intervals, iv(model.StateReady, o+5*ms, s+20*ms, model.NoCore))
			}
		}
		if got, want := lane(tk, time.Second, true), strings.Repeat("▓", 10); got != want {
			t.Fatalf("thread %d lane %q, want %q", n, got, want)
		}
	}
}

func TestPickKind(t *testing.T) {
	d := func(run, ready, waiting time.Duration) []time.Duration {
		out := make([]time.Duration, cellKinds)
		out[cellRunning], out[cellReady], out[cellWaiting] = run, ready, waiting
		return out
	}
	cases := []struct {
		name string
		d    []time.Duration
		want cellKind
	}{
		{"half running", d(50*ms, 50*ms, 0), cellRunning},
		{"short run, rest ready", d(10*ms, 90*ms, 0), cellTurns},
		{"short run, rest waiting", d(10*ms, 20*ms, 70*ms), cellRunning},
		{"short run, nothing else", d(1*ms, 0, 0), cellRunning},
		{"ready and waiting", d(0, 30*ms, 70*ms), cellWaiting},
		{"empty", d(0, 0, 0), cellNone},
	}
	for _, c := range cases {
		if got := pickKind(c.d, 100*ms); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, cellGlyph[got], cellGlyph[c.want])
		}
	}
}

func TestGapsAndTails(t *testing.T) {
	tk := model.Task{Intervals: []model.Interval{
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

func TestManyTasksScrollAndFold(t *testing.T) {
	m, _ := newTestModel(t, "cpu-goroutines")
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = update(t, m, runUpdateMsg{id: m.runID, run: benchRun(1000)})
	v := m.View()
	checkFits(t, v, 80, 24)
	shown := strings.Count(v, "\nchunk ")
	if shown < 3 {
		t.Fatalf("only %d lanes at 80×24:\n%s", shown, v)
	}
	if want := fmt.Sprintf("lanes 1–%d of 1000", shown); !strings.Contains(v, want) {
		t.Fatalf("no %q line in:\n%s", want, v)
	}
	// One lane down, then a page down: the window of lanes moves, and says so.
	m = update(t, m, tea.KeyMsg{Type: tea.KeyDown})
	if want := fmt.Sprintf("lanes 2–%d of 1000", shown+1); !strings.Contains(m.View(), want) {
		t.Fatalf("after ↓, no %q line in:\n%s", want, m.View())
	}
	m = update(t, m, tea.KeyMsg{Type: tea.KeyPgDown})
	from := 2 + m.timeline.page()
	if want := fmt.Sprintf("lanes %d–%d of 1000", from, from+shown-1); !strings.Contains(m.View(), want) {
		t.Fatalf("after pgdn, no %q line in:\n%s", want, m.View())
	}
	// Scrolling stops at the last lane.
	for range 2000 / shown {
		m = update(t, m, tea.KeyMsg{Type: tea.KeyPgDown})
	}
	if want := fmt.Sprintf("lanes %d–1000 of 1000", 1001-shown); !strings.Contains(m.View(), want) {
		t.Fatalf("at the end, no %q line in:\n%s", want, m.View())
	}
	// f folds the thousand lanes into one per state, and back.
	m = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
	v = m.View()
	checkFits(t, v, 80, 24)
	for _, row := range []string{"\nrunning ", "\nready ", "\nwaiting ", "of the 1000 tasks"} {
		if !strings.Contains(v, row) {
			t.Fatalf("folded view lacks %q:\n%s", row, v)
		}
	}
	if strings.Contains(v, "\nchunk ") {
		t.Fatalf("folded view still draws task lanes:\n%s", v)
	}
	m = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
	if !strings.Contains(m.View(), "\nchunk ") {
		t.Fatal("f did not unfold the lanes")
	}
}

// TestProcessesThatTookTurnsAreNotAllReady: a process lane draws each /proc window running
// first and ready after, so its last interval says "ready" for every process sharing a core.
// The now column reads the run's facts instead: a process that took turns says so, in its
// core's colour.
func TestProcessesThatTookTurnsAreNotAllReady(t *testing.T) {
	tk := model.Task{Name: "chunk 1", Kind: model.KindProcess, Intervals: []model.Interval{
		run(0, 100*ms, 0), run(100*ms, 120*ms, 1), ready(120*ms, 140*ms)}}
	r := observed(&model.Run{Scenario: "cpu-processes", Tasks: []model.Task{tk}, Elapsed: 140 * ms})
	tl := timelineModel{c: &common{styles: DefaultStyles(), paints: DefaultStyles().lanePaints()}, cursor: -1}
	tl = tl.set(r, false, -1).setSize(80, 5)
	if v := tl.view(); !strings.Contains(v, " turns") {
		t.Fatalf("a process that ran and queued in its last window should read turns:\n%s", v)
	}
	r.Facts = nil
	if v := tl.set(r, false, -1).view(); !strings.Contains(v, " ready") {
		t.Fatalf("without facts the last interval is read as it is:\n%s", v)
	}
}

func TestLaneColoursEachRunOfAPaintOnce(t *testing.T) {
	lp := lanePaints{
		core:  []paint{{"<c0>", "</>"}, {"<c1>", "</>"}},
		ready: paint{"<r>", "</>"}, waiting: paint{"<w>", "</>"}, unknown: paint{"<u>", "</>"},
	}
	tk := model.Task{Name: "t", Intervals: []model.Interval{
		run(0, 200*ms, 0),
		ready(200*ms, 250*ms), run(250*ms, 251*ms, 0), ready(251*ms, 300*ms), // took turns on core 0
		run(300*ms, 400*ms, 0),
		run(400*ms, 500*ms, 1),
		ready(500*ms, 700*ms),
		wait(700*ms, 800*ms),
	}}
	var lb laneBuf
	got := lb.render(lp, tk, time.Second, 10, time.Second, true)
	// █ and ▓ on core 0 share one colour, so one pair of codes; a new core or state opens another.
	want := "<c0>██▓█</><c1>█</><r>▒▒</><w>─</>  "
	if got != want {
		t.Fatalf("lane\n got %q\nwant %q", got, want)
	}
}
