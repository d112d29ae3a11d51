package ui

import (
	"strings"
	"time"

	"timeslice/model"
)

// taskGlyphs label tasks in the core lanes: 1–9, then a–z; later tasks share "+".
const taskGlyphs = "123456789abcdefghijklmnopqrstuvwxyz"

// taskGlyph is task i's label.
func taskGlyph(i int) string {
	if i < len(taskGlyphs) {
		return taskGlyphs[i : i+1]
	}
	return "+"
}

// coreLanesModel draws one lane per CPU core: which task ran on it over time.
type coreLanesModel struct {
	c             *common
	run           *model.Run
	end           time.Duration // the time scale's end: the same as the task lanes'
	cursor        time.Duration // the replay cursor, or -1
	width, height int
}

func (m coreLanesModel) set(run *model.Run, end, cursor time.Duration, w, h int) coreLanesModel {
	m.run, m.end, m.cursor, m.width, m.height = run, end, cursor, w, h
	return m
}

// wantHeight is the axis, one lane per core, the task key and the footnote.
func (m coreLanesModel) wantHeight() int {
	if m.run == nil {
		return 3
	}
	return factsOf(m.run).Cores + 4
}

// view draws the axis, the core lanes with their move counts, the task key and the footnote.
func (m coreLanesModel) view() string {
	if m.width <= 0 || m.height < 3 {
		return ""
	}
	st, lp := m.c.styles, m.c.paints
	if m.run == nil || len(m.run.Tasks) == 0 {
		return st.Heading.Render("Core lanes") + "\n" + st.Dim.Render("waiting for the first snapshot…")
	}
	f := factsOf(m.run)
	n, onto, total, unknown := f.Cores, f.MovesOnto, f.CoreMoves, f.UnknownCore
	labelW := len("cpu" + intText(max(n-1, 0)))
	movesW := len(" moves onto " + intText(total))
	plotW := m.width - labelW - 1 - movesW - 1
	if plotW < 10 {
		return truncate(st.Dim.Render("(too narrow for the core lanes)"), m.width)
	}
	lines := []string{strings.Repeat(" ", labelW+1) + st.Dim.Render(axisLabels(m.end, plotW)) + " " +
		st.Dim.Render("moves: "+intText(total))}
	room := m.height - 3
	for c := 0; c < n; c++ {
		if c == room-1 && n > room {
			lines = append(lines, st.Dim.Render("+"+intText(n-c)+" more cores"))
			break
		}
		lines = append(lines, lp.coreOf(c).wrap(padRight("cpu"+intText(c), labelW))+" "+m.lane(c, plotW)+" "+
			st.Dim.Render(padRight("onto "+intText(onto[c]), movesW)))
	}
	var key []string
	for i, tk := range m.run.Tasks {
		key = append(key, m.taskPaint(i).wrap(taskGlyph(i))+" "+tk.Name)
	}
	lines = append(lines, truncate(strings.Join(key, "  "), m.width))
	note := "a move is a task running on another core than the last time it ran"
	if fmtDur(unknown) != fmtDur(0) {
		note = fmtDur(unknown) + " of running on an unknown core is not drawn · " + note
	}
	lines = append(lines, truncate(st.Dim.Render(note), m.width))
	return strings.Join(lines, "\n")
}

// taskPaint is task i's colour in the core lanes.
func (m coreLanesModel) taskPaint(i int) paint { return m.c.paints.coreOf(i) }

// lane draws core c: in each cell the glyph of the task that ran there longest, blank when idle.
func (m coreLanesModel) lane(c, plotW int) string {
	who := make([]int, plotW)
	best := make([]time.Duration, plotW)
	for i := range who {
		who[i] = -1
	}
	end := m.end
	sc := model.Scale{End: end, Cells: plotW}
	for t, tk := range m.run.Tasks {
		for _, iv := range tk.Intervals {
			if iv.State != model.StateRunning || iv.Core != c {
				continue
			}
			sc.Spread(iv.Start, iv.End, func(x int, ov time.Duration) {
				if ov > best[x] {
					best[x], who[x] = ov, t
				}
			})
		}
	}
	cur := -1
	if m.cursor >= 0 && m.cursor <= end {
		cur = min(sc.CellOf(m.cursor), plotW-1)
	}
	var b strings.Builder
	for x := 0; x < plotW; x++ {
		switch {
		case x == cur:
			b.WriteString("│")
		case who[x] < 0:
			b.WriteString(" ")
		default:
			b.WriteString(m.taskPaint(who[x]).wrap(taskGlyph(who[x])))
		}
	}
	return b.String()
}
