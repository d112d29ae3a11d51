package ui

import (
	"strings"

	"timeslice/model"
)

// laneBuf holds the cells of one lane, reused across lanes.
type laneBuf struct {
	cells []cell
	mark  int // the replay cursor's cell plus one, drawn as │; 0 means no cursor
	b     strings.Builder
}

// fill works out every cell of tk's lane on ls.
func (lb *laneBuf) fill(tk *model.Task, ls laneScale) {
	lb.cells = resize(lb.cells, ls.sc.Cells)
	for c := range lb.cells {
		lb.cells[c] = laneCell(tk, ls, c)
	}
}

// render draws tk's lane on ls: one glyph per cell, in its paint.
func (lb *laneBuf) render(lp lanePaints, tk *model.Task, ls laneScale) string {
	lb.fill(tk, ls)
	return lb.draw(lp)
}

// draw writes the cells filled last. Runs of cells in the same paint share one pair of escape
// sequences: colour codes are most of what a frame sends to the terminal.
func (lb *laneBuf) draw(lp lanePaints) string {
	lb.b.Reset()
	n := len(lb.cells)
	for c := 0; c < n; {
		if c == lb.mark-1 {
			lb.b.WriteString("│")
			c++
			continue
		}
		p := lb.cells[c].paint(lp)
		lb.b.WriteString(p.pre)
		for ; c < n && c != lb.mark-1 && lb.cells[c].paint(lp).pre == p.pre; c++ {
			lb.b.WriteString(lb.cells[c].glyph())
		}
		lb.b.WriteString(p.post)
	}
	return lb.b.String()
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
