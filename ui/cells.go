package ui

import (
	"strconv"
	"time"

	"timeslice/model"
)

// cellKind is what one lane cell shows. A cell in which the task ran at all shows how much it
// ran; a cell without running shows the state that took most of it (on a tie, the higher kind).
type cellKind uint8

const (
	cellNone    cellKind = iota // no interval covers the cell, and it is before the task began or after it ended: blank
	cellDone                    // blank
	cellUnknown                 // ·
	cellWaiting                 // ─
	cellReady                   // ▒: wants a core, the lock or the loop
	cellRunning                 // ▁▂▄▆█ by its share, in the core's colour
)

// runGlyphs draw a running cell by the share of it the task ran, floor-quantised: a glyph
// never claims more than ran, so in any column the running drawn adds up to no more than the
// cores. runFloor is, per glyph, the least share it stands for, in eighths (▁ is any sliver).
var (
	runGlyphs = [...]string{"▁", "▂", "▄", "▆", "█"}
	runFloor  = [...]int{0, 1, 3, 5, 7}
)

// fullLevel is the level of █: the task ran at least 7/8 of the cell.
const fullLevel = len(runGlyphs) - 1

// glyphSet is how the states without running are drawn, and other programs' share of a core.
type glyphSet struct{ ready, waiting, unknown, other string }

// plainGlyphs are the default set; projectorGlyphs differ from the running blocks by shape, not
// only by shading, so they read from the back of a room: ╳ ready, ╱ other programs.
var (
	plainGlyphs     = glyphSet{ready: "▒", waiting: "─", unknown: "·", other: "▓"}
	projectorGlyphs = glyphSet{ready: "╳", waiting: "─", unknown: "·", other: "╱"}
)

// of is the glyph of a cell of kind k without running.
func (g glyphSet) of(k cellKind) string {
	switch k {
	case cellReady:
		return g.ready
	case cellWaiting:
		return g.waiting
	case cellUnknown:
		return g.unknown
	}
	return " "
}

// readyFor is what a ready cell's task waited for.
type readyFor uint8

const (
	readyCore readyFor = iota // a core
	readyLock                 // the global lock
	readyLoop                 // its event loop's thread
)

// cell is one lane cell: what it shows and why.
type cell struct {
	kind  cellKind
	level int     // running: index into runGlyphs
	share float64 // running: the share of the cell's observed time the task ran
	core  int     // running: the core it ran on longest, or NoCore
	why   readyFor
}

// glyph is what the cell draws, with the glyphs g.
func (c cell) glyph(g glyphSet) string {
	if c.kind == cellRunning {
		return runGlyphs[c.level]
	}
	return g.of(c.kind)
}

// runLevel floor-quantises a running share into a glyph level.
func runLevel(share float64) int {
	for l := fullLevel; l > 0; l-- {
		if share*8 >= float64(runFloor[l]) {
			return l
		}
	}
	return 0
}

// span is how long a cell's parts were: the cell's observed time, and the parts of it no
// interval covers while the task was under way (gap: not observed), after it ended (after)
// and before it began (before).
type span struct{ all, gap, after, before time.Duration }

// classify decides a cell from what the task did in it, tl, and the parts of the cell sp.
// Without running, the state that took most of the cell wins; on a tie, the one listed first.
func classify(tl model.Tally, sp span) cell {
	if sp.all <= 0 {
		return cell{kind: cellNone, core: model.NoCore}
	}
	if tl.Running > 0 {
		share := min(float64(tl.Running)/float64(sp.all), 1)
		return cell{kind: cellRunning, level: runLevel(share), share: share, core: tl.Core}
	}
	c := cell{kind: cellNone, core: model.NoCore}
	best := time.Duration(0)
	for _, k := range []struct {
		kind cellKind
		d    time.Duration
	}{{cellReady, tl.Ready}, {cellWaiting, tl.Waiting}, {cellUnknown, tl.Unknown + sp.gap}, {cellDone, tl.Done + sp.after}, {cellNone, sp.before}} {
		if k.d > best {
			c.kind, best = k.kind, k.d
		}
	}
	if c.kind == cellReady {
		core := tl.Ready - tl.Lock - tl.Loop
		switch {
		case tl.Lock >= tl.Loop && tl.Lock >= core:
			c.why = readyLock
		case tl.Loop >= core:
			c.why = readyLoop
		}
	}
	return c
}

// laneScale is how lanes cut time into cells: the scale, and how far the run has been observed.
type laneScale struct {
	sc model.Scale
	// horizon is the newest time observed: the cells after it are not drawn, and a cell that
	// reaches past it is judged by its observed part.
	horizon  time.Duration
	finished bool
}

// timeView is the stretch of time every view of the run draws, [start, end), the whole run or
// a zoomed-in part of it, and how far the run has been observed.
type timeView struct {
	start, end, horizon time.Duration
	finished            bool
}

// scale cuts the view into cells cells.
func (v timeView) scale(cells int) laneScale {
	return laneScale{sc: model.Scale{Start: v.start, End: v.end, Cells: cells}, horizon: v.horizon, finished: v.finished}
}

// laneCell is cell c of task tk's lane: what every view draws there, and what the now
// column says of its newest cell. c may lie outside the scale's cells.
func laneCell(tk *model.Task, ls laneScale, c int) cell {
	from, to := ls.sc.CellStart(c), min(ls.sc.CellStart(c+1), ls.horizon)
	firstIv, _ := tk.First()
	last, seen := tk.Last()
	if to <= from || !seen {
		return cell{kind: cellNone, core: model.NoCore}
	}
	// Time no interval covers is unknown between the task's first and last interval, and after
	// the last while the task's end has not been observed; else the task had not begun, or had
	// ended.
	first, end := firstIv.Start, last.End
	if !ls.finished && last.State != model.StateDone {
		end = ls.horizon
	}
	tl := tk.Tally(from, to)
	return classify(tl, span{
		all:    to - from,
		gap:    max(min(to, end)-max(from, first)-tl.Covered, 0),
		after:  max(to-max(from, end), 0),
		before: max(min(to, first)-from, 0),
	})
}

// newestCell is the cell the newest observed time falls in: the now column reads it.
func (ls laneScale) newestCell() int {
	if ls.horizon <= ls.sc.Start {
		return ls.sc.CellOf(ls.sc.Start)
	}
	// CellOf divides toward zero; before the scale's start that would round the wrong way.
	t := ls.horizon - 1
	c := ls.sc.CellOf(t)
	if ls.sc.CellStart(c) > t {
		c--
	}
	return c
}

// nowWord says in a word what cell c shows: "running", "runs 40%", "ready", "lock", "loop",
// "waiting", "unknown", "done", or "-" before the task began.
func (c cell) nowWord() string {
	switch c.kind {
	case cellRunning:
		if c.level == fullLevel {
			return "running"
		}
		if p := int(c.share * 100); p >= 1 {
			return "runs " + strconv.Itoa(p) + "%"
		}
		return "runs <1%"
	case cellReady:
		return [...]string{readyCore: "ready", readyLock: "lock", readyLoop: "loop"}[c.why]
	case cellWaiting:
		return "waiting"
	case cellUnknown:
		return "unknown"
	case cellDone:
		return "done"
	}
	return "-"
}

// paint is how the cell is coloured: by its core while it runs, else by its state.
func (c cell) paint(lp lanePaints) paint {
	switch c.kind {
	case cellRunning:
		return lp.coreOf(c.core)
	case cellReady:
		return lp.ready
	case cellWaiting:
		return lp.waiting
	case cellUnknown:
		return lp.unknown
	}
	return paint{}
}

// observedEnd is how far the run shown has been observed (observedEnd), from the lane info
// worked out once for its tasks.
func (t timelineModel) observedEnd() time.Duration {
	if t.run == nil {
		return 0
	}
	if t.info == nil || !t.info.describes(t.run) {
		return observedEnd(t.run)
	}
	return max(t.info.end, t.run.Wall)
}

// observedEnd is how far r has been observed: the end of the newest interval of any task,
// and the wall time once the run has finished.
func observedEnd(r *model.Run) time.Duration {
	if r == nil {
		return 0
	}
	d := r.Wall
	for i := range r.Tasks {
		if last, ok := r.Tasks[i].Last(); ok {
			d = max(d, last.End)
		}
	}
	return d
}
