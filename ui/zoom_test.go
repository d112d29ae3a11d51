package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// gilModel is a 100×30 model that has finished cpu-threads-gil.
func gilModel(t *testing.T) Model {
	t.Helper()
	m, _ := newTestModel(t, "cpu-threads-gil")
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	return finishRun(t, m, cpuGILRun())
}

func TestZoomKeys(t *testing.T) {
	m := gilModel(t)
	k := m.common.keys
	if !k.ZoomIn.Enabled() || k.ZoomOut.Enabled() || k.Fit.Enabled() || k.PanLeft.Enabled() {
		t.Fatal("before zooming, only z should be on")
	}
	m = press(t, m, keyRune('z'))
	v := m.timeline.timeView()
	if v.end-v.start != 1020*ms {
		t.Fatalf("one z shows %v of the 2.04 s run, want half of it", v.end-v.start)
	}
	if !strings.Contains(m.View(), "zoom ×2") {
		t.Fatalf("the status does not say the zoom:\n%s", m.View())
	}
	// Zooming goes down to 0.25 ms a cell and on, and stops once a cell is finestCell or less;
	// z is then off.
	presses := 1
	for m.common.keys.ZoomIn.Enabled() && presses < 40 {
		m = press(t, m, keyRune('z'))
		presses++
		if v := m.timeline.timeView(); (v.end-v.start)/time.Duration(m.timeline.plotWidth()) <= 250*time.Microsecond {
			if axis := strings.Split(m.View(), "\n")[6]; !strings.Contains(axis, "ms ") {
				t.Fatalf("zoomed in to %s, the axis %q is not in ms", m.timeline.zoomText(), axis)
			}
			break
		}
	}
	for m.common.keys.ZoomIn.Enabled() && presses < 40 {
		m = press(t, m, keyRune('z'))
		presses++
	}
	v = m.timeline.timeView()
	cell := (v.end - v.start) / time.Duration(m.timeline.plotWidth())
	if cell > finestCell || presses > 30 {
		t.Fatalf("after %d presses a cell is %v", presses, cell)
	}
	if axis := strings.Split(m.View(), "\n")[6]; !strings.Contains(axis, "µs") || !strings.Contains(m.View(), "µs a cell") {
		t.Fatalf("zoomed in to %v a cell, the axis %q is not in µs", cell, axis)
	}
	// h and l move by half the stretch; 0 shows the whole run again.
	before := m.timeline.timeView()
	m = press(t, m, keyRune('l'))
	after := m.timeline.timeView()
	if after.start-before.start != (before.end-before.start)/2 {
		t.Fatalf("l moved the stretch from %v to %v", before.start, after.start)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyShiftLeft})
	if m.timeline.timeView().start != before.start {
		t.Fatal("shift+← did not move the stretch back")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyHome})
	if got := m.timeline.timeView(); got.start != 0 {
		t.Fatalf("home shows %v on, want the start", got.start)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnd})
	if got := m.timeline.timeView(); got.end < 2040*ms || got.start > 2040*ms {
		t.Fatalf("end shows %v–%v, want the end of the run", got.start, got.end)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyShiftLeft})
	before = m.timeline.timeView()
	m = press(t, m, keyRune('Z'))
	if got := m.timeline.timeView(); got.end-got.start != 2*(before.end-before.start) {
		t.Fatalf("Z shows %v, want twice %v", got.end-got.start, before.end-before.start)
	}
	m = press(t, m, keyRune('0'))
	if v := m.timeline.timeView(); v.start != 0 || v.end != m.timeline.axisEnd() || m.common.keys.Fit.Enabled() {
		t.Fatalf("0 shows %v–%v, want the whole run", v.start, v.end)
	}
}

// TestZoomKeepsTheCursorAndTheNewestTimeInView: zooming in centres on the replay cursor, and on
// a live run keeps the newest time in view as the run goes on.
func TestZoomKeepsTheCursorAndTheNewestTimeInView(t *testing.T) {
	m := gilModel(t)
	for range 30 {
		m = press(t, m, keyRune(','))
	}
	at := m.replay.at
	for range 5 {
		m = press(t, m, keyRune('z'))
	}
	if v := m.timeline.timeView(); at < v.start || at >= v.end || m.timeline.zoom.span >= 100*ms {
		t.Fatalf("cursor at %v, zoomed stretch %v–%v", at, v.start, v.end)
	}
	if !strings.Contains(m.View(), "│") {
		t.Fatal("the cursor is not drawn in the zoomed-in lanes")
	}

	live, _ := newTestModel(t, "cpu-threads-gil")
	live = update(t, live, tea.WindowSizeMsg{Width: 100, Height: 30})
	full := cpuGILRun()
	snap := func(at time.Duration) Model {
		r := full.Until(at)
		r.Finished, r.Wall = false, 0
		return update(t, live, runUpdateMsg{id: live.runID, run: r})
	}
	live = snap(500 * ms)
	for range 4 {
		live = press(t, live, keyRune('z'))
	}
	for _, at := range []time.Duration{500 * ms, 900 * ms, 1700 * ms} {
		live = snap(at)
		v := live.timeline.timeView()
		if v.horizon < v.start || v.horizon > v.end {
			t.Fatalf("live at %v, the zoomed-in stretch is %v–%v", at, v.start, v.end)
		}
	}
}
