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
	tv            timeView // the same stretch of time as the task lanes
	cursor        time.Duration
	width, height int
}

func (m coreLanesModel) set(run *model.Run, v timeView, cursor time.Duration, w, h int) coreLanesModel {
	m.run, m.tv, m.cursor, m.width, m.height = run, v, cursor, w, h
	return m
}

// wantHeight is the axis, one lane per core, the task key and the footnote (two lines at most).
func (m coreLanesModel) wantHeight() int {
	if m.run == nil {
		return 3
	}
	return factsOf(m.run).Cores + 5
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
	labelW, movesW, plotW := m.columns()
	if plotW < 10 {
		return truncate(st.Dim.Render("(too narrow for the core lanes)"), m.width)
	}
	ls := m.tv.scale(plotW)
	head := strings.Repeat(" ", labelW+1) + st.Dim.Render(axisLabels(ls.sc))
	if m.c.details {
		head += " " + st.Dim.Render("moves: "+intText(total))
	}
	lines := []string{head}
	cells := coreCells(m.run.Tasks, ls, n)
	mark := cursorMark(ls.sc, m.cursor)
	room := m.height - 4
	for c := 0; c < n; c++ {
		if c == room-1 && n > room {
			lines = append(lines, st.Dim.Render("+"+intText(n-c)+" more cores"))
			break
		}
		l := lp.coreOf(c).wrap(padRight("cpu"+intText(c), labelW)) + " " + m.lane(cells[c], c, mark)
		if m.c.details {
			l += " " + st.Dim.Render(padRight("onto "+intText(onto[c]), movesW))
		}
		lines = append(lines, l)
	}
	var key []string
	for i, tk := range m.run.Tasks {
		key = append(key, m.taskPaint(i).wrap(taskGlyph(i))+" "+tk.Name)
	}
	lines = append(lines, truncate(strings.Join(key, "  "), m.width))
	note := "1–9 a–z: the task that ran there for half the cell or more · ▁▂▄▆█: how busy the core was when no task ran half of it"
	if m.c.details {
		note += " · a move is a task running on another core than the last time it ran"
		if fmtDur(unknown) != fmtDur(0) {
			note = fmtDur(unknown) + " of running on an unknown core is not drawn · " + note
		}
	}
	for _, l := range wrapWords(note, m.width) {
		lines = append(lines, st.Dim.Render(l))
	}
	return strings.Join(lines, "\n")
}

// columns are the widths of the core lanes' label, their moves (shown with details only) and
// their plot.
func (m coreLanesModel) columns() (labelW, movesW, plotW int) {
	f := factsOf(m.run)
	labelW = len("cpu" + intText(max(f.Cores-1, 0)))
	if m.c.details {
		movesW = len(" moves onto " + intText(f.CoreMoves))
	}
	plotW = m.width - labelW - 1
	if movesW > 0 {
		plotW -= movesW + 1
	}
	return labelW, movesW, plotW
}

// taskPaint is task i's colour in the core lanes.
func (m coreLanesModel) taskPaint(i int) paint { return m.c.paints.coreOf(i) }

// coreCell is one cell of a core lane: the task that ran there longest and for how much of
// the cell, and how much of the cell the core ran any task.
type coreCell struct {
	task        int // -1 when no task ran on the core
	share, busy float64
}

// coreCells works out every core lane's cells from the tasks' tallies, the same ones the task
// lanes draw: a task's running in a cell counts on the core its lane's cell is coloured by (the
// core it ran on longest there), so a core lane names a task only where that task's lane ran
// on that core.
func coreCells(tasks []model.Task, ls laneScale, cores int) [][]coreCell {
	out := make([][]coreCell, cores)
	for c := range out {
		out[c] = make([]coreCell, ls.sc.Cells)
		for x := range out[c] {
			out[c][x].task = -1
		}
	}
	for i := range tasks {
		coreTask(&tasks[i], i, ls, 0, ls.sc.Cells, out)
	}
	return out
}

// coreTask adds task i's running in cells [lo, hi) to the core lanes' cells, skipping at once
// any stretch in which it did not run (most tasks run in few cells), halving the others down
// to a few cells tallied one by one.
func coreTask(tk *model.Task, i int, ls laneScale, lo, hi int, out [][]coreCell) {
	from, to := ls.sc.CellStart(lo), min(ls.sc.CellStart(hi), ls.horizon)
	if to <= from || tk.Tally(from, to).Running <= 0 {
		return
	}
	if hi-lo > foldLeaf {
		mid := lo + (hi-lo)/2
		coreTask(tk, i, ls, lo, mid, out)
		coreTask(tk, i, ls, mid, hi, out)
		return
	}
	for x := lo; x < hi; x++ {
		a, b := ls.sc.CellStart(x), min(ls.sc.CellStart(x+1), ls.horizon)
		if b <= a {
			return
		}
		tl := tk.Tally(a, b)
		if tl.Running <= 0 || tl.Core < 0 || tl.Core >= len(out) {
			continue
		}
		cc := &out[tl.Core][x]
		share := float64(tl.Running) / float64(b-a)
		cc.busy = min(cc.busy+share, 1)
		if share > cc.share {
			cc.task, cc.share = i, share
		}
	}
}

// lane draws core c's cells: the label of a task that ran there for half the cell or more,
// else the share of the cell the core ran tasks, blank when it ran none; mark is the replay
// cursor's cell plus one.
func (m coreLanesModel) lane(cells []coreCell, c, mark int) string {
	var b strings.Builder
	for x, cc := range cells {
		switch {
		case x == mark-1:
			b.WriteString("│")
		case cc.task < 0:
			b.WriteString(" ")
		case cc.share >= 0.5:
			b.WriteString(m.taskPaint(cc.task).wrap(taskGlyph(cc.task)))
		default:
			b.WriteString(m.c.paints.coreOf(c).wrap(runGlyphs[runLevel(cc.busy)]))
		}
	}
	return b.String()
}
