package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

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
	axis := func(start, end time.Duration, cells int) string {
		return axisLabels(model.Scale{Start: start, End: end, Cells: cells})
	}
	if got := axis(0, time.Second, 40); got != "0s      0.2s    0.4s    0.6s    0.8s  1s" {
		t.Fatalf("axis row %q", got)
	}
	if got := axis(0, time.Second, 20); got != "0s        0.5s    1s" {
		t.Fatalf("narrow axis row %q", got)
	}
	if got := axis(0, 20*ms, 40); !strings.Contains(got, "10ms") {
		t.Fatalf("short axis row %q", got)
	}
	// Zoomed in on 1.25–1.27 s, the labels are that stretch's, in ms.
	if got := axis(1250*ms, 1270*ms, 60); !strings.HasPrefix(got, "1250ms") || !strings.Contains(got, "1260ms") {
		t.Fatalf("zoomed axis row %q", got)
	}
}

// lane draws one task at 10 cells over 1 s (100 ms a cell) with no colour.
func lane(tk model.Task, horizon time.Duration, finished bool) string {
	var lb laneBuf
	ls := laneScale{sc: model.Scale{End: time.Second, Cells: 10}, horizon: horizon, finished: finished}
	return lb.render(DefaultStyles().lanePaints(), &tk, ls)
}

// TestCellsSayHowMuch: a cell in which the task ran shows its share, floor-quantised; a cell
// without running shows the state that took most of it, ready winning a tie.
func TestCellsSayHowMuch(t *testing.T) {
	lock := func(from, to time.Duration) model.Interval {
		l := ready(from, to)
		l.Reason = model.ReasonLock
		return l
	}
	mixed := iv(model.StateMixed, 800*ms, 900*ms, 1)
	mixed.RunShare, mixed.ReadyShare = 0.5, 0.5 // a sampled window: half of it running, in no known order
	tk := model.Task{Name: "co", Intervals: []model.Interval{
		ready(0, 50*ms), run(50*ms, 100*ms, 0), // ran half the cell: ▄
		lock(100*ms, 199*ms), run(199*ms, 200*ms, 0), // a sliver: ▁
		run(200*ms, 300*ms, 1),                      // all of it: █
		wait(300*ms, 350*ms), ready(350*ms, 400*ms), // a tie in time: ready
		wait(400*ms, 500*ms),
		iv(model.StateDone, 500*ms, 600*ms, model.NoCore),
		run(600*ms, 680*ms, 0), wait(680*ms, 700*ms), // 0.8: ▆
		run(700*ms, 720*ms, 0), lock(720*ms, 800*ms), // 0.2: ▂
		mixed,
		iv(model.StateDone, 900*ms, time.Second, model.NoCore),
	}}
	if got, want := lane(tk, time.Second, true), "▄▁█▒─ ▆▂▄ "; got != want {
		t.Fatalf("lane %q, want %q", got, want)
	}
}

// TestGILAtTheWholeRunIsQuarterShares is cpu-threads-gil: four threads each hold the lock 5 ms
// of every 20 ms. Over 100 ms cells each ran a quarter: ▂, four quarters adding up to one core,
// and none of them reads as running all the time.
func TestGILAtTheWholeRunIsQuarterShares(t *testing.T) {
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
		if got, want := lane(tk, time.Second, true), strings.Repeat("▂", 10); got != want {
			t.Fatalf("thread %d lane %q, want %q", n, got, want)
		}
	}
}

func TestRunLevelFloors(t *testing.T) {
	for _, c := range []struct {
		share float64
		glyph string
	}{{1, "█"}, {0.875, "█"}, {0.874, "▆"}, {0.625, "▆"}, {0.5, "▄"}, {0.375, "▄"}, {0.3, "▂"}, {0.125, "▂"}, {0.1, "▁"}, {0.0001, "▁"}} {
		if g := runGlyphs[runLevel(c.share)]; g != c.glyph {
			t.Errorf("share %.4f drawn %s, want %s", c.share, g, c.glyph)
		}
		if l := runLevel(c.share); float64(runFloor[l])/8 > c.share {
			t.Errorf("share %.4f drawn as at least %d/8", c.share, runFloor[l])
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
	// A task that ends early in a cell with a moment of ready is done there, not ready or unknown;
	// one that begins late in a cell has not begun there.
	tk = model.Task{Intervals: []model.Interval{wait(190*ms, 300*ms), run(300*ms, 400*ms, 0), ready(400*ms, 401*ms)}}
	if got, want := lane(tk, time.Second, true), "  ─█      "; got != want {
		t.Fatalf("lane %q, want %q", got, want)
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

func TestLaneColoursEachRunOfAPaintOnce(t *testing.T) {
	lp := lanePaints{
		core:  []paint{{"<c0>", "</>"}, {"<c1>", "</>"}},
		ready: paint{"<r>", "</>"}, waiting: paint{"<w>", "</>"}, unknown: paint{"<u>", "</>"},
	}
	tk := model.Task{Name: "t", Intervals: []model.Interval{
		run(0, 200*ms, 0),
		ready(200*ms, 250*ms), run(250*ms, 251*ms, 0), ready(251*ms, 300*ms), // a sliver on core 0
		run(300*ms, 400*ms, 0),
		run(400*ms, 500*ms, 1),
		ready(500*ms, 700*ms),
		wait(700*ms, 800*ms),
	}}
	var lb laneBuf
	got := lb.render(lp, &tk, laneScale{sc: model.Scale{End: time.Second, Cells: 10}, horizon: time.Second, finished: true})
	// █ and ▁ on core 0 share one colour, so one pair of codes; a new core or state opens another.
	want := "<c0>██▁█</><c1>█</><r>▒▒</><w>─</>  "
	if got != want {
		t.Fatalf("lane\n got %q\nwant %q", got, want)
	}
}

// TestLegendAtEveryWidth: from the smallest screen up, the legend names every glyph and says
// that colour is the core, and fits.
func TestLegendAtEveryWidth(t *testing.T) {
	for w := MinWidth; w <= 200; w++ {
		l := legend(DefaultStyles(), w)
		for _, want := range []string{"█▆▄▂▁", "▒", "─", "·", "colour"} {
			if !strings.Contains(l, want) || ansi.StringWidth(l) > w {
				t.Fatalf("legend at %d wide lacks %q or does not fit: %q", w, want, l)
			}
		}
	}
}
