package ui

import (
	"runtime"
	"strconv"
	"strings"
	"time"

	"timeslice/model"
)

// foldRow is one row of the folded view: a state, and how much of it each cell held.
type foldRow struct {
	name string
	of   func(model.Tally) time.Duration
}

// foldRows are the rows of the folded view, in the order drawn.
var foldRows = []foldRow{
	{"running", func(tl model.Tally) time.Duration { return tl.Running }},
	{"ready", func(tl model.Tally) time.Duration { return tl.Ready }},
	{"waiting", func(tl model.Tally) time.Duration { return tl.Waiting }},
	{"done", func(tl model.Tally) time.Duration { return tl.Done }},
}

// foldCounts adds up, per cell of ls, how many tasks were in each row's state on average: the
// time they spent in it over the cell's observed time.
func foldCounts(tasks []model.Task, ls laneScale) [][]float64 {
	out := make([][]float64, len(foldRows))
	for i := range out {
		out[i] = make([]float64, ls.sc.Cells)
	}
	for i := range tasks {
		foldTask(&tasks[i], ls, 0, ls.sc.Cells, out)
	}
	for c := range ls.sc.Cells {
		if span := min(ls.sc.CellStart(c+1), ls.horizon) - ls.sc.CellStart(c); span > 0 {
			for r := range out {
				out[r][c] /= float64(span)
			}
		}
	}
	return out
}

// foldLeaf is the most cells foldTask tallies one by one rather than halving.
const foldLeaf = 8

// foldTask adds tk's time in each row's state to cells [lo, hi) of out. A stretch the task
// spent all in one state (or outside any interval) is added from one tally; another is halved,
// down to a few cells tallied one by one: most tasks change state far less often than cells.
func foldTask(tk *model.Task, ls laneScale, lo, hi int, out [][]float64) {
	from, to := ls.sc.CellStart(lo), min(ls.sc.CellStart(hi), ls.horizon)
	if to <= from {
		return
	}
	if hi-lo > foldLeaf {
		tl := tk.Tally(from, to)
		if tl.Covered == 0 {
			return
		}
		for r, row := range foldRows {
			if d := row.of(tl); d == tl.Covered && tl.Covered == to-from {
				for c := lo; c < hi; c++ {
					out[r][c] += float64(min(ls.sc.CellStart(c+1), to) - ls.sc.CellStart(c))
				}
				return
			}
		}
		mid := lo + (hi-lo)/2
		foldTask(tk, ls, lo, mid, out)
		foldTask(tk, ls, mid, hi, out)
		return
	}
	for c := lo; c < hi; c++ {
		a, b := ls.sc.CellStart(c), min(ls.sc.CellStart(c+1), ls.horizon)
		if b <= a {
			return
		}
		tl := tk.Tally(a, b)
		for r, row := range foldRows {
			out[r][c] += float64(row.of(tl))
		}
	}
}

// foldMemo remembers the folded view's counts for one run and scale: adding up every task's
// tally in every cell is the costliest thing the screen draws, and a frame is often drawn
// again for the same run (a tick, a key) before the next snapshot.
type foldMemo struct {
	run    *model.Run
	ls     laneScale
	counts [][]float64
}

// foldCounts is foldCounts for r's tasks, worked out once per run and scale: from r's census
// when it carries one (a live run: a cell then costs the same whatever the number of tasks).
func (c *common) foldCounts(r *model.Run, ls laneScale) [][]float64 {
	if m := &c.fold; m.run != r || m.ls != ls || m.counts == nil {
		counts := censusCounts(r, ls)
		if counts == nil {
			counts = foldCounts(r.Tasks, ls)
		}
		*m = foldMemo{run: r, ls: ls, counts: counts}
	}
	return c.fold.counts
}

// censusCounts is foldCounts from r's census, or nil when r carries none.
func censusCounts(r *model.Run, ls laneScale) [][]float64 {
	if !r.QuickCensus() {
		return nil
	}
	out := make([][]float64, len(foldRows))
	for i := range out {
		out[i] = make([]float64, ls.sc.Cells)
	}
	for c := range ls.sc.Cells {
		from, to := ls.sc.CellStart(c), min(ls.sc.CellStart(c+1), ls.horizon)
		if to <= from {
			continue
		}
		n := r.Census(from, to)
		tl := model.Tally{Running: n.Running, Ready: n.Ready, Waiting: n.Waiting, Done: n.Done}
		for i, row := range foldRows {
			out[i][c] = float64(row.of(tl)) / float64(to-from)
		}
	}
	return out
}

// runCores is how many cores r could use: the --cores it was started with, or every core the
// load samples show, or this machine's.
func runCores(r *model.Run) int {
	if r != nil {
		for _, p := range r.Params {
			if v, ok := strings.CutPrefix(p, "--cores="); ok {
				if n, err := strconv.Atoi(v); err == nil && n > 0 {
					return n
				}
			}
		}
		n := factsOf(r).Cores
		for _, s := range r.Cores {
			n = max(n, len(s.Percent))
		}
		if n > 0 {
			return n
		}
	}
	return runtime.NumCPU()
}

// foldNameW is the width of the folded view's row names.
const foldNameW = 8

// foldedView draws the task lanes folded into one lane per state, so thousands of tasks read at
// a glance. Each cell shows, by the same floor-quantised glyphs as a lane, how many tasks were
// in that state then: the running row as a share of the cores, the others of the tasks.
func (t timelineModel) foldedView() string {
	st, lp := t.c.styles, t.c.paints
	tasks := t.tasks()
	nameW := foldNameW
	plotW := t.width - nameW - 12
	if plotW < 10 || t.height < 3 {
		return truncate(st.Dim.Render("(too narrow for the timelines)"), t.width)
	}
	ls := t.laneScale(plotW)
	counts := t.c.foldCounts(t.run, ls)
	cores := runCores(t.run)
	lines := []string{strings.Repeat(" ", nameW+1) + st.Dim.Render(axisLabels(ls.sc)) + " " + st.Dim.Render("most")}
	for r, row := range foldRows {
		if len(lines) >= t.height-1 {
			break
		}
		scale := float64(len(tasks))
		p := lp.waiting
		switch row.name {
		case "running":
			scale, p = float64(cores), lp.coreOf(0)
		case "ready":
			p = lp.ready
		case "done":
			p = lp.dim
		}
		var b strings.Builder
		peak := 0.0
		for _, avg := range counts[r] {
			peak = max(peak, avg)
			if avg <= 0 {
				b.WriteString(" ")
				continue
			}
			b.WriteString(runGlyphs[runLevel(avg/scale)])
		}
		lines = append(lines, padRight(row.name, nameW)+" "+p.wrap(b.String())+" "+
			st.Dim.Render(ftoa(float64(int(peak*10))/10, 1)))
	}
	lines = append(lines, truncate(st.Dim.Render("folded: running as a share of "+intText(cores)+
		" cores, the others of the "+intText(len(tasks))+" tasks · f unfolds"), t.width))
	return strings.Join(lines, "\n")
}
