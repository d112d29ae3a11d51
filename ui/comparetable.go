package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
	"timeslice/report"
	"timeslice/scenarios"
)

// tableColumn is one column of numbers beside the compare view's run rows.
type tableColumn struct {
	head string
	// optional columns are left out when the plot would get too narrow.
	optional bool
	cell     func(e compareEntry) string
}

// width is how wide the column is for entries: its heading or its widest cell.
func (col tableColumn) width(entries []compareEntry) int {
	w := ansi.StringWidth(col.head)
	for _, e := range entries {
		w = max(w, ansi.StringWidth(col.cell(e)))
	}
	return w
}

// columns are the numbers beside each run: wall and CPU time and the speedup against a
// baseline of the same work; then how many tasks ran at once; with details, the scheduler's
// own counts.
func (m compareModel) columns() []tableColumn {
	cols := []tableColumn{
		{head: "wall", cell: func(e compareEntry) string { return fmtDur(e.run.Wall) }},
		{head: "CPU", cell: func(e compareEntry) string { return fmtDur(e.run.CPU) }},
		{head: "speedup", cell: speedupCell},
		{head: "at once", optional: true, cell: func(e compareEntry) string {
			return strconv.FormatFloat(factsOf(e.run).AtOnce, 'f', 1, 64)
		}},
	}
	if m.details {
		cols = append(cols,
			tableColumn{head: "cores>50%", optional: true, cell: func(e compareEntry) string { return orDash(factsOf(e.run).BusyCores) }},
			tableColumn{head: "switches v/i", optional: true, cell: func(e compareEntry) string {
				return strconv.Itoa(e.run.Switches.Voluntary) + "/" + strconv.Itoa(e.run.Switches.Involuntary)
			}},
			tableColumn{head: "preempt", optional: true, cell: func(e compareEntry) string { return orDash(factsOf(e.run).Preemptions) }},
		)
	}
	return cols
}

// speedupCell is a run's speedup: "base" for a baseline, "4.00×" against a baseline of the
// same work, "—" without one; "*" when other programs were busy during either run.
func speedupCell(e compareEntry) string {
	sp := "—"
	switch {
	case e.scen.Baseline == e.scen.ID:
		sp = "base"
	case model.Speedup(e.run, e.base) > 0:
		sp = strconv.FormatFloat(model.Speedup(e.run, e.base), 'f', 2, 64) + "×"
	}
	if loadedEntry(e) {
		sp += "*"
	}
	return sp
}

// loadedEntry reports whether other programs used more than a tenth of the machine during the
// run or its baseline.
func loadedEntry(e compareEntry) bool {
	return underLoad(e.run) || e.base != nil && e.base != e.run && underLoad(e.base)
}

// notes are the lines under the run rows: what a * means, why a speedup is missing, and what
// the columns shown mean; wrapped to the width.
func (m compareModel) notes(lay compareLayout) []string {
	var parts []string
	loaded := false
	for _, e := range m.entries {
		loaded = loaded || loadedEntry(e)
	}
	if loaded {
		parts = append(parts, "* other programs used over a tenth of the machine: times may be off")
	}
	for _, e := range m.entries {
		if d := workDiff(e.scen, e.run, e.baseAny); e.base == nil && d != "" {
			parts = append(parts, "— "+e.scen.ID+" did other work than "+e.scen.Baseline+" ("+d+
				"): run "+e.scen.Baseline+" with the same knobs to compare")
		}
	}
	var cols []string
	for _, col := range lay.cols {
		switch col.head {
		case "at once":
			cols = append(cols, "at once: most tasks running together over 200 ms")
		case "cores>50%":
			cols = append(cols, "cores>50%: most cores over half busy")
		case "switches v/i":
			cols = append(cols, "switches: voluntary/involuntary context switches")
		case "preempt":
			cols = append(cols, "preempt: the Go scheduler's preemptions")
		}
	}
	if len(cols) > 0 {
		parts = append(parts, strings.Join(cols, " · "))
	}
	var out []string
	for _, p := range parts {
		for _, l := range wrapWords(p, m.width) {
			out = append(out, m.c.styles.Dim.Render(l))
		}
	}
	return out
}

// workDiff says how run r's work differs from its baseline's run base ("5 calls, not 4"), or
// "" when it does not, or either's knobs are not known.
func workDiff(s scenarios.Scenario, r, base *model.Run) string {
	if r == nil || base == nil || r == base {
		return ""
	}
	x, okX := scenarios.ParamsOf(base.Params)
	y, okY := scenarios.ParamsOf(r.Params)
	if !okX || !okY {
		return ""
	}
	return scenarios.WorkDiff(s.Bound, x, y)
}

// underLoad reports whether other programs used more than a tenth of the machine during r.
func underLoad(r *model.Run) bool { return r.OtherLoad() > model.OtherLoadWarning }

// matrixView is the lesson matrix: the measured speedup of each kind of work run each way.
func (m compareModel) matrixView() string {
	st := m.c.styles
	rowW, cellW := 11, 21
	t := report.NewMatrixTable(m.matrix)
	rows := t.Rows
	if py := report.NewMatrixTable(m.programs); py.Any() {
		rowW = 13 // "py: CPU-bound"
		for _, row := range py.Rows {
			row.Label = "py: " + row.Label
			rows = append(rows, row)
		}
	}
	head := padRight("", rowW)
	for _, c := range t.Columns {
		head += "  " + padRight(c, cellW)
	}
	lines := []string{
		st.Heading.Render("Lesson matrix") + st.Dim.Render(" — speedup against the sequential run of the same work"),
		st.Dim.Render(head),
	}
	for _, row := range rows {
		l := padRight(row.Label, rowW)
		for i, cell := range row.Cells {
			if row.Measured[i] {
				cell = st.Value.Render(cell)
			}
			l += "  " + padRight(cell, cellW)
		}
		lines = append(lines, l)
	}
	if !m.matrix.Complete() {
		lines = append(lines, st.Dim.Render("— not measured yet: press a to run every scenario"))
	}
	for i, l := range lines {
		lines[i] = truncate(l, m.width)
	}
	return strings.Join(lines, "\n")
}

// orDash writes n, or — when it is negative (not known).
func orDash(n int) string {
	if n < 0 {
		return "—"
	}
	return strconv.Itoa(n)
}
