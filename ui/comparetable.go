package ui

import (
	"strconv"
	"strings"

	"timeslice/model"
	"timeslice/report"
)

// tableColumns are the compare table's headings; the first is padded to the longest id.
var tableColumns = []string{"scenario", "wall", "CPU", "speedup", "at once", "cores>50%", "switches v/i", "preempt"}

// tableView is one row per finished run: wall and CPU time, speedup against its baseline, how
// parallel it was, and its context switches; then a footnote saying where each number comes from.
func (m compareModel) tableView() string {
	st := m.c.styles
	rows := [][]string{tableColumns}
	loaded := false
	for _, e := range m.entries {
		r, f := e.run, factsOf(e.run)
		sp := "—"
		switch {
		case e.scen.Baseline == e.scen.ID:
			sp = "1.00× (base)"
		case model.Speedup(r, e.base) > 0:
			sp = strconv.FormatFloat(model.Speedup(r, e.base), 'f', 2, 64) + "×"
		}
		if underLoad(r) || e.base != nil && e.base != r && underLoad(e.base) {
			sp += " *"
			loaded = true
		}
		rows = append(rows, []string{
			e.scen.ID, fmtDur(r.Wall), fmtDur(r.CPU), sp,
			strconv.FormatFloat(f.AtOnce, 'f', 1, 64), orDash(f.BusyCores),
			strconv.Itoa(r.Switches.Voluntary) + "/" + strconv.Itoa(r.Switches.Involuntary),
			orDash(f.Preemptions),
		})
	}
	widths := make([]int, len(tableColumns))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var lines []string
	for n, row := range rows {
		var b strings.Builder
		for i, c := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			if i == 0 {
				b.WriteString(padRight(c, widths[i]))
			} else {
				b.WriteString(strings.Repeat(" ", widths[i]-len([]rune(c))) + c)
			}
		}
		l := b.String()
		if n == 0 {
			l = st.Heading.Render(l)
		}
		lines = append(lines, truncate(l, m.width))
	}
	note := ""
	if loaded {
		note = "* other programs used over a tenth of the machine during the run or its baseline: the times and speedup may be off · "
	}
	note += "at once: most tasks running together, averaged over 200 ms (lanes) · cores>50%: most cores over half busy in one load sample · " +
		"switches: voluntary/involuntary (/proc) · preempt: Go scheduler preemptions of goroutine lanes"
	for _, l := range wrapWords(note, m.width) {
		lines = append(lines, st.Dim.Render(l))
	}
	return strings.Join(lines, "\n")
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
