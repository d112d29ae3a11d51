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

// TestSteadyAxis: a live run's axis ends a little after what it is expected to take, and grows
// by half, in round steps, only when the run passes it; a finished run's axis ends where it did
// unless it filled most of its axis already.
func TestSteadyAxis(t *testing.T) {
	for _, c := range []struct{ expect, seen, want time.Duration }{
		{4 * time.Second, 0, 4200 * ms},
		{4 * time.Second, 4100 * ms, 4200 * ms},
		{4 * time.Second, 4300 * ms, 6300 * ms},
		{time.Second, 900 * ms, 1100 * ms},
		{2 * time.Second, 2900 * ms, 3200 * ms},
		{0, 0, time.Second},
		{0, 2500 * ms, 4 * time.Second},
		{ms, 0, axisFloor},
	} {
		if got := steadyEnd(c.expect, c.seen); got != c.want {
			t.Errorf("steadyEnd(%s, %s) = %s, want %s", c.expect, c.seen, got, c.want)
		}
	}
	r := ioThreadsRun() // 1.004 s on an axis of 1.1 s: it ends where the run did
	if got := axisEnd(r, time.Second); got != 1004*ms {
		t.Errorf("a finished 1.00 s run's axis ends at %s, want 1.004s", got)
	}
	r = ioSequentialRun() // 4.012 s fills 4.2 s: the axis it had stays
	if got := axisEnd(r, 4*time.Second); got != 4200*ms {
		t.Errorf("a finished 4.01 s run's axis ends at %s, want 4.2s", got)
	}
}

// TestAxisOfAFourSecondRunChangesRarely is the must-show: the axis of a 4 s
// io-sequential run, drawn every 100 ms from its first snapshot to its end (which comes a
// little late, as under load), changes at most 3 times.
func TestAxisOfAFourSecondRunChangesRarely(t *testing.T) {
	final := ioSequentialRun()
	stretch := func(d time.Duration) time.Duration { return d * 108 / 100 } // a busy machine
	for i := range final.Tasks {
		for j := range final.Tasks[i].Intervals {
			iv := &final.Tasks[i].Intervals[j]
			iv.Start, iv.End = stretch(iv.Start), stretch(iv.End)
		}
	}
	final.Elapsed, final.Wall = stretch(final.Wall), stretch(final.Wall)
	m, _ := newTestModel(t, "io-sequential")
	var axes []string
	for at := 100 * ms; at <= final.Wall+100*ms; at += 100 * ms {
		r := final
		if at < final.Wall {
			r = snapshots(final, at)[0]
		}
		m = update(t, m, runUpdateMsg{id: m.runID, run: r})
		if at >= final.Wall {
			m = update(t, m, runClosedMsg{id: m.runID})
		}
		axis := strings.Split(m.timeline.view(), "\n")[0]
		if len(axes) == 0 || axes[len(axes)-1] != axis {
			axes = append(axes, axis)
		}
	}
	if len(axes)-1 > 3 {
		t.Fatalf("the axis changed %d times:\n%s", len(axes)-1, strings.Join(axes, "\n"))
	}
	t.Logf("%d axes:\n%s", len(axes), strings.Join(axes, "\n"))
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
	for _, g := range []glyphSet{plainGlyphs, projectorGlyphs} {
		for w := MinWidth; w <= 200; w++ {
			l := legend(DefaultStyles(), g, w)
			for _, want := range []string{"█▆▄▂▁", g.ready, g.waiting, g.unknown, "colour"} {
				if !strings.Contains(l, want) || ansi.StringWidth(l) > w {
					t.Fatalf("legend at %d wide lacks %q or does not fit: %q", w, want, l)
				}
			}
		}
	}
}

// TestColumnsKeepTheirWidth: from a run's first snapshot to its end, the lanes' columns (the
// now column's heading), the per-core bars and the rows kept for the lanes do not move.
func TestColumnsKeepTheirWidth(t *testing.T) {
	for _, id := range []string{"io-sequential", "cpu-goroutines", "cpu-threads-gil"} {
		m, _ := newTestModel(t, id)
		snaps := recorded()[id]
		var nowAt, barW, legendAt []int
		for i, r := range snaps {
			m = update(t, m, runUpdateMsg{id: m.runID, run: r})
			if i == len(snaps)-1 {
				m = update(t, m, runClosedMsg{id: m.runID})
			}
			lines := strings.Split(m.View(), "\n")
			for n, l := range lines {
				switch {
				case strings.Contains(l, " cpu ") && strings.Contains(l, " thread "):
					nowAt = append(nowAt, strings.Index(l, " thread "))
				case strings.HasPrefix(l, "cpu0 "):
					bar, _, _ := strings.Cut(strings.TrimPrefix(l, "cpu0 "), " ")
					barW = append(barW, len([]rune(bar)))
				case strings.HasPrefix(l, "█▆▄▂▁"):
					legendAt = append(legendAt, n)
				}
			}
		}
		for name, got := range map[string][]int{"the thread column": nowAt, "the per-core bar": barW, "the legend": legendAt} {
			if len(got) != len(snaps) {
				t.Fatalf("%s: %s found in %d of %d screens", id, name, len(got), len(snaps))
			}
			for _, g := range got {
				if g != got[0] {
					t.Fatalf("%s: %s moves during the run: %v", id, name, got)
				}
			}
		}
	}
}
