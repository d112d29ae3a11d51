package report

import (
	"strings"
	"testing"

	"timeslice/model"
)

func TestWriteMatrix(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	m := model.Matrix{
		IO:  model.MatrixRow{Sequential: f(1), Concurrent: f(3.98), Parallel: f(3.97)},
		CPU: model.MatrixRow{Sequential: f(1), Concurrent: f(0.99), Parallel: f(1.96)},
	}
	var b strings.Builder
	WriteMatrix(&b, m)
	want := "speedup against sequential   sequential   concurrent, one core   parallel, all cores\n" +
		"I/O-bound                    1.00×        3.98×                  3.97×\n" +
		"CPU-bound                    1.00×        0.99×                  1.96×\n"
	if b.String() != want {
		t.Fatalf("matrix\n%s\nwant\n%s", b.String(), want)
	}
	tb := NewMatrixTable(model.Matrix{IO: model.MatrixRow{Sequential: f(1)}})
	if tb.Rows[0].Cells[0] != "1.00×" || !tb.Rows[0].Measured[0] || tb.Rows[1].Cells[2] != "—" || tb.Rows[1].Measured[2] {
		t.Fatalf("a partly measured table: %+v", tb)
	}
}
