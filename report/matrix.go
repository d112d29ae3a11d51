package report

import (
	"fmt"
	"io"
	"strconv"

	"timeslice/model"
	"timeslice/scenarios"
)

// MatrixTitle says what the lesson matrix's numbers are.
const MatrixTitle = "speedup against sequential"

// MatrixTable is the lesson matrix laid out as a table: the one layout both the text output
// and the live view draw, the live view with its own styles and widths.
type MatrixTable struct {
	// Columns name the ways of running the work, in order.
	Columns []string
	// Rows are the kinds of work, in order.
	Rows []MatrixTableRow
}

// MatrixTableRow is one kind of work's speedups.
type MatrixTableRow struct {
	// Label names the kind of work: "I/O-bound", "CPU-bound".
	Label string
	// Cells are the speedups, one per column, as "3.98×", or "—" where not measured yet.
	Cells []string
	// Measured says, per cell, whether it holds a speedup.
	Measured []bool
}

// matrixColumns and matrixRows are the matrix's columns and rows, in order, with their names.
var (
	matrixColumns = []struct {
		style scenarios.Style
		name  string
	}{
		{scenarios.Sequential, "sequential"},
		{scenarios.Concurrent, "concurrent, one core"},
		{scenarios.Parallel, "parallel, all cores"},
	}
	matrixRows = []struct {
		bound scenarios.Bound
		name  string
	}{
		{scenarios.IOBound, "I/O-bound"},
		{scenarios.CPUBound, "CPU-bound"},
	}
)

// NewMatrixTable lays m out as a table.
func NewMatrixTable(m model.Matrix) MatrixTable {
	var t MatrixTable
	for _, c := range matrixColumns {
		t.Columns = append(t.Columns, c.name)
	}
	for _, r := range matrixRows {
		row := MatrixTableRow{Label: r.name}
		for _, c := range matrixColumns {
			v, ok := m.Cell(r.bound, c.style)
			cell := "—"
			if ok {
				cell = strconv.FormatFloat(v, 'f', 2, 64) + "×"
			}
			row.Cells = append(row.Cells, cell)
			row.Measured = append(row.Measured, ok)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Any reports whether any cell holds a speedup.
func (t MatrixTable) Any() bool {
	for _, r := range t.Rows {
		for _, ok := range r.Measured {
			if ok {
				return true
			}
		}
	}
	return false
}

// WriteMatrix prints the lesson matrix as a small text table of speedups.
func WriteMatrix(w io.Writer, m model.Matrix) {
	t := NewMatrixTable(m)
	widths := []int{12, 22, 0}
	fmt.Fprintf(w, "%-28s %-12s %-22s %s\n", MatrixTitle, t.Columns[0], t.Columns[1], t.Columns[2])
	for _, row := range t.Rows {
		fmt.Fprintf(w, "%-28s", row.Label)
		for i, cell := range row.Cells {
			fmt.Fprintf(w, " %-*s", widths[i], cell)
		}
		fmt.Fprintln(w)
	}
}
