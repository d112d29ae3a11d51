package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
	"timeslice/scenarios"
)

// compareEntry is one finished run in the compare view, with the baseline it is measured
// against: the newest run of its baseline scenario that did the same work, if any, and the
// newest run of it whatever its work (to say what to run when they differ).
type compareEntry struct {
	scen    scenarios.Scenario
	run     *model.Run
	base    *model.Run
	baseAny *model.Run
}

// compareModel draws every finished run of the session on one shared time scale, one row per
// run with its numbers beside it (and, when there is room, a row per task under it), then
// the lesson matrix: the whole comparison on one screen.
type compareModel struct {
	c       *common
	entries []compareEntry
	matrix  model.Matrix
	// programs is the same matrix from the watched programs named like the scenarios (CPython's
	// own), drawn below the model's once it has a cell.
	programs      model.Matrix
	width, height int
	details       bool // the scheduler's vocabulary: switches, preemptions, cores over half busy
	top           int  // the first run shown, when not every run fits
}

// set hands the view its runs, the matrix and its size.
func (m compareModel) set(entries []compareEntry, mx model.Matrix, w, h int) compareModel {
	m.entries, m.matrix, m.width, m.height = entries, mx, w, h
	m.top = min(m.top, max(len(entries)-1, 0))
	return m
}

// setPrograms hands the view the watched programs' matrix.
func (m compareModel) setPrograms(mx model.Matrix) compareModel {
	m.programs = mx
	return m
}

// sharedEnd is the one time scale every run is drawn on: the longest run, rounded up to two
// figures, so the longest run fills the width.
func sharedEnd(entries []compareEntry) time.Duration {
	var d time.Duration
	for _, e := range entries {
		d = max(d, e.run.Wall, e.run.Elapsed)
	}
	return roundUp2(d)
}

// roundUp2 rounds d up to two significant figures (4.01 s → 4.1 s), at least axisFloor.
func roundUp2(d time.Duration) time.Duration {
	if d <= axisFloor {
		return axisFloor
	}
	unit := time.Duration(1)
	for d/unit >= 100 {
		unit *= 10
	}
	return (d + unit - 1) / unit * unit
}

// compareLayout is how the rows share the width: the label column, the plot and the numbers.
type compareLayout struct {
	idW, plotW int
	cols       []tableColumn
}

// minComparePlot is the narrowest plot the compare rows draw; extra columns give way to it.
const minComparePlot = 24

// layout fits the columns to the width: the label, then wall, CPU and speedup, then as many
// of the other columns as leave the plot minComparePlot cells.
func (m compareModel) layout() compareLayout {
	lay := compareLayout{idW: len("run")}
	for _, e := range m.entries {
		lay.idW = max(lay.idW, min(ansi.StringWidth(e.scen.ID), 18))
	}
	used := lay.idW + 1
	for _, col := range m.columns() {
		w := 1 + col.width(m.entries)
		if col.optional && m.width-used-w < minComparePlot {
			continue
		}
		lay.cols = append(lay.cols, col)
		used += w
	}
	lay.plotW = m.width - used
	return lay
}

// view draws the run rows, their legend and notes, and the lesson matrix: the matrix always,
// then every run (one row each, and a row per task for as many runs, in order, as the room
// left allows); the blank lines between go first when room is short.
func (m compareModel) view() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.styles
	mx := strings.Split(m.matrixView(), "\n")
	if len(m.entries) == 0 {
		out := append([]string{st.Heading.Render("Compare"),
			truncate(st.Dim.Render("No finished run yet: pick a scenario (1-7) and let it finish, or press a to run them all."), m.width), ""}, mx...)
		return strings.Join(out, "\n")
	}
	lay := m.layout()
	if lay.plotW < 10 {
		return strings.Join(append([]string{st.Dim.Render("(too narrow for the runs)")}, mx...), "\n")
	}
	notes := m.notes(lay)
	room, gap := m.room(len(notes), len(mx))
	rows := m.runRows(lay, room)
	out := append(rows, m.rowLegend(lay, m.anyFull(room))...)
	out = append(out, notes...)
	if gap > 0 {
		out = append(out, "")
	}
	out = append(out, mx...)
	for i, l := range out {
		out[i] = truncate(l, m.width)
	}
	return strings.Join(out, "\n")
}

// room is how many lines the axis and the run rows get, given the lines of notes and of the
// matrix, and whether a blank line sets the matrix apart (when there is room for it).
func (m compareModel) room(notes, matrix int) (room, gap int) {
	fixed := 1 + notes + matrix // the legend, the notes, the matrix
	if fixed+1+len(m.entries)+1 <= m.height {
		gap = 1
	}
	return m.height - fixed - gap, gap
}

// overflows reports whether some runs' rows do not fit, so ↑ and ↓ scroll them.
func (m compareModel) overflows() bool {
	if len(m.entries) == 0 || m.height <= 0 {
		return false
	}
	room, _ := m.room(len(m.notes(m.layout())), strings.Count(m.matrixView(), "\n")+1)
	return 1+len(m.entries) > room
}

// fullRuns says, per run, whether it gets a row per task under its own row: runs in order,
// while the room left takes their tasks.
func (m compareModel) fullRuns(room int) []bool {
	full := make([]bool, len(m.entries))
	spare := room - 1 - len(m.entries) - 1 // the axis, one row per run and the task rows' legend
	for i, e := range m.entries {
		if n := len(e.run.Tasks); n <= spare {
			full[i], spare = true, spare-n
		} else {
			break
		}
	}
	return full
}

// anyFull reports whether any run gets its task rows in room lines.
func (m compareModel) anyFull(room int) bool {
	for _, f := range m.fullRuns(room) {
		if f {
			return true
		}
	}
	return false
}

// runRows draws the axis and the runs in room lines: a row per run, with its numbers, and
// under it a row per task when fullRuns says so. When not every run fits (many watched
// programs on a small screen), the rows from top on are shown, and the last line says how
// to scroll to the others.
func (m compareModel) runRows(lay compareLayout, room int) []string {
	st, lp := m.c.styles, m.c.paints
	end := sharedEnd(m.entries)
	sc := model.Scale{End: end, Cells: lay.plotW}
	ls := laneScale{sc: sc, horizon: end, finished: true}
	head := padRight("run", lay.idW) + " " + axisLabels(sc)
	for _, col := range lay.cols {
		head += " " + padLeft(col.head, col.width(m.entries))
	}
	lines := []string{st.Dim.Render(head)}
	full := m.fullRuns(room)
	var lb laneBuf
	top := 0
	if len(m.entries) > room-1 {
		top = min(m.top, len(m.entries)-(room-2))
	}
	for i := top; i < len(m.entries); i++ {
		e := m.entries[i]
		if len(lines) >= room || len(lines) == room-1 && i < len(m.entries)-1 {
			lines = append(lines, st.Dim.Render(strconv.Itoa(len(m.entries)-i)+" more below: ↓ scrolls"))
			break
		}
		// A finished run's cells are judged whole, on the shared scale: its last one is
		// mostly after it ended, and its few last milliseconds should not read as a cell's worth.
		hr := ls
		row := padRight(truncate(e.scen.ID, lay.idW), lay.idW) + " " + busyLane(lp, e.run, hr)
		for _, col := range lay.cols {
			row += " " + padLeft(col.cell(e), col.width(m.entries))
		}
		lines = append(lines, row)
		if !full[i] {
			continue
		}
		for j := range e.run.Tasks {
			tk := &e.run.Tasks[j]
			lines = append(lines, st.Dim.Render(padRight(truncate("  "+tk.Name, lay.idW), lay.idW))+" "+lb.render(lp, tk, hr))
		}
	}
	return lines
}

// rowLegend says what the run rows' glyphs mean, and the task rows' when any are shown.
func (m compareModel) rowLegend(lay compareLayout, tasks bool) []string {
	st, lp := m.c.styles, m.c.paints
	run, g := lp.coreOf(0), lp.glyphs()
	s := st.Dim.Render("run rows: ") + run.wrap("1 2 …") + st.Dim.Render(" tasks running at once, on average  ") +
		run.wrap("▁▂▄▆") + st.Dim.Render(" less than one  ") + lp.ready.wrap(g.ready) + st.Dim.Render(" only ready  ") +
		lp.waiting.wrap(g.waiting) + st.Dim.Render(" only waiting")
	if ansi.StringWidth(s) > m.width {
		s = st.Dim.Render("run rows: ") + run.wrap("1 2 …") + st.Dim.Render(" running at once  ") +
			run.wrap("▁▂▄▆") + st.Dim.Render(" less than one  ") + lp.ready.wrap(g.ready) + st.Dim.Render(" ready  ") +
			lp.waiting.wrap(g.waiting) + st.Dim.Render(" waiting")
	}
	out := []string{s}
	if tasks {
		out = append(out, m.c.legend(m.width))
	}
	return out
}

// busyLane is a run's summary lane: per cell, how many tasks ran at once on average, by the
// lanes' floor rule: a digit n means at least n less 1/8 (as █ means at least 7/8), ▁▂▄▆ less
// than one; without running, ▒ when some task was ready, ─ when they only waited.
func busyLane(lp lanePaints, r *model.Run, ls laneScale) string {
	counts := foldCounts(r.Tasks, ls) // running, ready, waiting, done: tasks on average
	var b strings.Builder
	for c := range ls.sc.Cells {
		if min(ls.sc.CellStart(c+1), ls.horizon) <= ls.sc.CellStart(c) {
			b.WriteString(" ")
			continue
		}
		b.WriteString(busyGlyph(lp, counts[0][c], counts[1][c], counts[2][c]))
	}
	return b.String()
}

// busyGlyph is one cell of a summary lane: run, rdy and wt are how many tasks were in each
// state on average over the cell.
func busyGlyph(lp lanePaints, run, rdy, wt float64) string {
	switch {
	case run > 0:
		avg := run
		if n := int(avg + 1.0/8); n >= 1 {
			g := "+"
			if n <= 9 {
				g = strconv.Itoa(n)
			}
			return lp.coreOf(0).wrap(g)
		}
		return lp.coreOf(0).wrap(runGlyphs[runLevel(avg)])
	case rdy > 0 && rdy >= wt:
		return lp.ready.wrap(lp.glyphs().ready)
	case wt > 0:
		return lp.waiting.wrap(lp.glyphs().waiting)
	}
	return " "
}

// padLeft pads one line with spaces on the left to w cells.
func padLeft(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}
