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

// coreMoves counts, per core, how many times a task moved onto it: a task whose consecutive
// running intervals (on known cores) are on different cores moved once, onto the second core.
// It also returns the total, and the running time spent on no known core.
func coreMoves(r *model.Run, cores int) (onto []int, total int, unknown time.Duration) {
	onto = make([]int, cores)
	for _, tk := range r.Tasks {
		prev := model.NoCore
		for _, iv := range tk.Intervals {
			if iv.State != model.StateRunning {
				continue
			}
			if iv.Core == model.NoCore {
				unknown += iv.Duration()
				continue
			}
			if prev != model.NoCore && iv.Core != prev {
				total++
				if iv.Core < cores {
					onto[iv.Core]++
				}
			}
			prev = iv.Core
		}
	}
	return onto, total, unknown
}

// coreCount is how many core lanes to draw: as many as the load samples have, or as the highest
// core a task ran on, whichever is more.
func coreCount(r *model.Run) int {
	n := 0
	for _, s := range r.Cores {
		n = max(n, len(s.Percent))
	}
	for _, tk := range r.Tasks {
		for _, iv := range tk.Intervals {
			if iv.State == model.StateRunning {
				n = max(n, iv.Core+1)
			}
		}
	}
	return n
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
	return coreCount(m.run) + 4
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
	n := coreCount(m.run)
	onto, total, unknown := coreMoves(m.run, n)
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
	for t, tk := range m.run.Tasks {
		for _, iv := range tk.Intervals {
			if iv.State != model.StateRunning || iv.Core != c {
				continue
			}
			s, e := max(iv.Start, 0), min(iv.End, end)
			if e <= s {
				continue
			}
			c1 := min(int((int64(e)*int64(plotW)-1)/int64(end)), plotW-1)
			for x := cellOf(s, end, plotW); x <= c1; x++ {
				ov := min(e, cellStart(x+1, end, plotW)) - max(s, cellStart(x, end, plotW))
				if ov > best[x] {
					best[x], who[x] = ov, t
				}
			}
		}
	}
	cur := -1
	if m.cursor >= 0 && m.cursor <= end {
		cur = min(cellOf(m.cursor, end, plotW), plotW-1)
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
