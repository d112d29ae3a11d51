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
	g := lp.glyphs()
	for c := 0; c < n; {
		if c == lb.mark-1 {
			lb.b.WriteString("│")
			c++
			continue
		}
		p := lb.cells[c].paint(lp)
		lb.b.WriteString(p.pre)
		for ; c < n && c != lb.mark-1 && lb.cells[c].paint(lp).pre == p.pre; c++ {
			lb.b.WriteString(lb.cells[c].glyph(g))
		}
		lb.b.WriteString(p.post)
	}
	return lb.b.String()
}

// drawRows draws the cells filled last as a lane rows tall, top row first: a running cell is a
// bar rising from the bottom row, each row floor-quantised like a one-row cell (a row shows
// what is left of the share above the rows under it, so the rows together never claim more
// than ran); a cell without running shows its state on the bottom row.
func (lb *laneBuf) drawRows(lp lanePaints, rows int) []string {
	if rows <= 1 {
		return []string{lb.draw(lp)}
	}
	out := make([]string, rows)
	g := lp.glyphs()
	var b strings.Builder
	for r := range rows {
		b.Reset()
		below := rows - 1 - r // rows under this one
		for c, cl := range lb.cells {
			glyph := " "
			switch {
			case c == lb.mark-1:
				glyph = "│"
			case cl.kind == cellRunning:
				if part := cl.share*float64(rows) - float64(below); part > 0 {
					glyph = runGlyphs[runLevel(min(part, 1))]
				}
			case below == 0:
				glyph = cl.glyph(g)
			}
			p := cl.paint(lp)
			if glyph == " " || glyph == "│" {
				p = paint{}
			}
			b.WriteString(p.wrap(glyph))
		}
		out[r] = b.String()
	}
	return out
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
