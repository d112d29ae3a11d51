package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
	"timeslice/scenarios"
)

// compareEntry is one finished run in the compare view, with its baseline's run if there is one.
type compareEntry struct {
	scen scenarios.Scenario
	run  *model.Run
	base *model.Run
}

// compareModel draws every finished run of the session on one shared time scale, a table of their
// numbers and the lesson matrix.
type compareModel struct {
	c       *common
	entries []compareEntry
	matrix  model.Matrix
	// programs is the same matrix from the watched programs named like the scenarios (CPython's
	// own), drawn below the model's once it has a cell.
	programs      model.Matrix
	width, height int
}

// newCompareEntries picks, in scenario order, the last finished run of every scenario.
func newCompareEntries(scens []scenarios.Scenario, last map[string]*model.Run) []compareEntry {
	var out []compareEntry
	for _, s := range scens {
		if r := last[s.ID]; r != nil {
			out = append(out, compareEntry{scen: s, run: r, base: last[s.Baseline]})
		}
	}
	return out
}

// set hands the view its runs, the matrix and its size.
func (m compareModel) set(entries []compareEntry, mx model.Matrix, w, h int) compareModel {
	m.entries, m.matrix, m.width, m.height = entries, mx, w, h
	return m
}

// setPrograms hands the view the watched programs' matrix.
func (m compareModel) setPrograms(mx model.Matrix) compareModel {
	m.programs = mx
	return m
}

// sharedEnd is the one time scale every run is drawn on: a nice time at or after the longest run.
func sharedEnd(entries []compareEntry) time.Duration {
	var d time.Duration
	for _, e := range entries {
		d = max(d, e.run.Wall, e.run.Elapsed)
	}
	return niceCeil(d)
}

// view draws the lanes, the table and the matrix, giving the lanes what the other two leave.
func (m compareModel) view() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.styles
	if len(m.entries) == 0 {
		return strings.Join([]string{
			st.Heading.Render("Compare"),
			st.Dim.Render("No finished run yet: pick a scenario (1-7) and let it finish, or press a to run them all."),
			"",
			m.matrixView(),
		}, "\n")
	}
	table := m.tableView()
	mx := m.matrixView()
	fixed := strings.Count(table, "\n") + 1 + strings.Count(mx, "\n") + 1 + 2
	var parts []string
	if room := m.height - fixed; room >= 4 {
		parts = append(parts, m.lanesView(room), "")
	}
	parts = append(parts, table, "", mx)
	return strings.Join(parts, "\n")
}

// lanesView draws every run's lanes on the shared scale in at most room lines: one row per task
// for as many runs, in order, as the room allows, and one summary row for each of the others.
func (m compareModel) lanesView(room int) string {
	st, lp := m.c.styles, m.c.paints
	end := sharedEnd(m.entries)
	idW, nameW := 8, len("8 tasks")
	for _, e := range m.entries {
		idW = max(idW, len(e.scen.ID))
		for _, tk := range e.run.Tasks {
			nameW = max(nameW, min(ansi.StringWidth(tk.Name), 10))
		}
	}
	full := m.fullRuns(room)
	plotW := m.width - idW - nameW - 2 - 9
	if plotW < 10 {
		return st.Dim.Render("(too narrow for the lanes)")
	}
	lines := []string{st.Heading.Render(padRight("Runs on one time scale", idW+nameW+2)) +
		st.Dim.Render(axisLabels(model.Scale{End: end, Cells: plotW}))}
	ls := laneScale{sc: model.Scale{End: end, Cells: plotW}, horizon: end, finished: true}
	var lb laneBuf
	anyFull, anySummary := false, false
	// legends is how many legend lines follow the rows shown so far, and this one.
	legends := func(full bool) int {
		n := 0
		if anyFull || full {
			n++
		}
		if anySummary || !full {
			n++
		}
		return n
	}
	for i, e := range m.entries {
		rows, more := 1, 0
		if full[i] {
			rows = len(e.run.Tasks)
		}
		if i < len(m.entries)-1 {
			more = 1 // a line to say how many runs did not fit, should the next one not
		}
		if len(lines)+rows+more+legends(full[i]) > room {
			lines = append(lines, st.Dim.Render(moreText(len(m.entries)-i, "run")))
			break
		}
		if full[i] {
			anyFull = true
			for j := range e.run.Tasks {
				tk := &e.run.Tasks[j]
				id := ""
				if j == 0 {
					id = e.scen.ID
				}
				lines = append(lines, padRight(id, idW)+" "+st.Dim.Render(padRight(truncate(tk.Name, nameW), nameW))+" "+
					lb.render(lp, tk, ls)+" "+st.Dim.Render(fmtDur(e.run.Wall)))
			}
			continue
		}
		anySummary = true
		lines = append(lines, padRight(e.scen.ID, idW)+" "+st.Dim.Render(padRight(fmt.Sprintf("%d tasks", len(e.run.Tasks)), nameW))+" "+
			busyLane(lp, e.run, ls)+" "+st.Dim.Render(fmtDur(e.run.Wall)))
	}
	if anyFull {
		lines = append(lines, m.c.legend(m.width))
	}
	if anySummary {
		lines = append(lines, truncate(st.Dim.Render("one row per run: 1 2 …: tasks running at once (on average n−1/8 or more)  ▁▂▄▆ fewer than one  ▒ only ready  ─ only waiting"), m.width))
	}
	for i, l := range lines {
		lines[i] = truncate(l, m.width)
	}
	return strings.Join(lines, "\n")
}

// fullRuns says, per run, whether it gets one row per task: runs in order, while the rows left
// (after the axis, a summary row for every run and both legends) can take their other tasks.
func (m compareModel) fullRuns(room int) []bool {
	full := make([]bool, len(m.entries))
	spare := room - 1 - len(m.entries) - 2
	for i, e := range m.entries {
		if extra := len(e.run.Tasks) - 1; extra <= spare {
			full[i], spare = true, spare-extra
		}
	}
	return full
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
		return lp.ready.wrap("▒")
	case wt > 0:
		return lp.waiting.wrap("─")
	}
	return " "
}
