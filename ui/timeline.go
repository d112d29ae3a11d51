package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
)

// Lane layout: the task name column, the cores column and the "now" column.
const (
	nameMinWidth  = 4
	nameMaxWidth  = 16
	coresColMin   = 3 // "cpu"
	coresColMax   = 12
	stateColWidth = 8 // "running", "runs 40%"
	// coresColKept and threadColKept are how wide the cores and threads columns are from a
	// run's start: "0,1,2,3" and "t1,t2,t3" come without moving the columns after them.
	coresColKept  = 7
	threadColKept = 8
)

// timelineModel draws one lane per task on a shared time axis, with a scale and a legend.
type timelineModel struct {
	c             *common
	run           *model.Run
	finished      bool
	cursor        time.Duration // the replay cursor, or -1 when not replaying
	width, height int
	top           int  // the first lane shown, when there are more lanes than rows
	fold          bool // one summary lane per state instead of one lane per task
	info          *laneInfo
	zoom          zoomState
	// expect is how long the run is expected to take, from its knobs (0: not known): the time
	// axis is laid out for it from the start.
	expect time.Duration
	// runID is the run drawn; stick the widest columns it has had, which never narrow while it
	// goes on, so no column moves when a lane with a longer name or more cores comes.
	runID int
	stick laneLayout
	// expectTasks is how many lanes the run is expected to have (its calls or chunks): the
	// rows are kept for them from the start.
	expectTasks int
	// rows is how many rows each lane is tall (0 means one).
	rows int
}

// room is how many task lanes fit: the rows less the axis and the legend, and less the line
// that says which lanes are shown when not all are.
func (t timelineModel) room() int {
	room := (t.height - 2) / t.laneRows()
	if len(t.tasks()) > room {
		room = (t.height - 3) / t.laneRows()
	}
	return max(room, 1)
}

// laneRows is how many rows each lane is tall: one, or more in projector mode when there is
// room (see Model.relayout).
func (t timelineModel) laneRows() int { return max(t.rows, 1) }

// page is how far one page of scrolling moves the lanes.
func (t timelineModel) page() int { return max(t.room()-1, 1) }

// scrollable reports whether there are more lanes than fit.
func (t timelineModel) scrollable() bool { return len(t.tasks()) > (t.height-2)/t.laneRows() }

// scroll moves the first lane shown by delta lanes, within the lanes there are.
func (t timelineModel) scroll(delta int) timelineModel {
	t.top = min(max(t.top+delta, 0), max(len(t.tasks())-t.room(), 0))
	return t
}

func (t timelineModel) set(run *model.Run, finished bool, cursor time.Duration) timelineModel {
	t.run, t.finished, t.cursor = run, finished || (run != nil && run.Finished), cursor
	if t.info == nil || !t.info.describes(run) {
		t.info = infoOf(run)
	}
	return t
}

func (t timelineModel) setSize(w, h int) timelineModel {
	t.width, t.height = w, h
	if t.stick.runID != t.runID {
		t.stick = laneLayout{runID: t.runID}
	}
	all := t.layoutOfAll()
	t.stick.nameW, t.stick.coresW, t.stick.threadW = all.nameW, all.coresW, all.threadW
	return t
}

func (t timelineModel) tasks() []model.Task {
	if t.run == nil {
		return nil
	}
	return t.run.Tasks
}

// wantHeight is the height that shows every lane, and the lanes the run is expected to have:
// the axis, the lanes and the legend.
func (t timelineModel) wantHeight() int { return t.lanesWanted()*t.laneRows() + 2 }

// lanesWanted is how many lanes the run has, or is expected to have, whichever is more.
func (t timelineModel) lanesWanted() int { return max(len(t.tasks()), t.expectTasks, 1) }

// view draws the axis, as many lanes as fit (then "+N more tasks") and the legend.
func (t timelineModel) view() string {
	if t.height < 3 || t.width <= 0 {
		return ""
	}
	if t.fold && len(t.tasks()) > 0 {
		return t.foldedView()
	}
	st := t.c.styles
	tasks := t.tasks()
	t = t.scroll(0) // keep top in range as lanes come and the screen changes
	shown := t.shown()
	lay := t.layout(shown)
	if lay.plotW < 10 {
		return truncate(st.Dim.Render("(too narrow for the timelines)"), t.width)
	}
	ls := t.laneScale(lay.plotW)

	lines := make([]string, 0, t.height)
	lines = append(lines, strings.Repeat(" ", lay.nameW+1)+st.Dim.Render(axisLabels(ls.sc))+" "+
		st.Dim.Render(padRight("cpu", lay.coresW)+" "+padRight("thread", lay.threadW)+" "+t.nowHeading()))
	if len(shown) == 0 {
		lines = append(lines, st.Dim.Render("waiting for the first snapshot…"))
	}
	var lb laneBuf
	lb.mark = cursorMark(ls.sc, t.cursor)
	newest := ls.newestCell()
	rows := t.laneRows()
	for i := range shown {
		tk := &shown[i]
		name := padRight(truncate(tk.Name, lay.nameW), lay.nameW)
		lb.fill(tk, ls)
		lane := lb.drawRows(t.c.paints, rows)
		cores := t.coloredCores(t.info.cores[t.top+i], lay.coresW)
		threads := padRight(truncate(t.info.threads[t.top+i], lay.threadW), lay.threadW)
		now := laneCell(tk, ls, newest)
		for _, upper := range lane[:rows-1] { // a tall lane's upper rows: its bars' tops
			lines = append(lines, strings.Repeat(" ", lay.nameW+1)+upper)
		}
		lines = append(lines, name+" "+lane[rows-1]+" "+cores+" "+threads+" "+now.paint(t.c.paints).wrap(now.nowWord()))
	}
	if len(shown) < len(tasks) && len(lines)+2 <= t.height { // the legend follows
		lines = append(lines, truncate(st.Dim.Render(fmt.Sprintf("lanes %d–%d of %d · ↑/↓ pgup/pgdn scroll · f folds them into one lane per state",
			t.top+1, t.top+len(shown), len(tasks))), t.width))
	}
	for len(lines) < min(t.height, t.wantHeight())-1 {
		lines = append(lines, "") // the rows kept for lanes still to come
	}
	lines = append(lines, t.c.legend(t.width))
	return strings.Join(lines, "\n")
}

// shown is the lanes on screen: all of them, or the window of them scrolled to.
func (t timelineModel) shown() []model.Task {
	tasks := t.tasks()
	if t.scrollable() {
		return tasks[t.top:min(t.top+t.room(), len(tasks))]
	}
	return tasks
}

// plotWidth is how many cells the lanes have.
func (t timelineModel) plotWidth() int {
	if t.fold {
		return t.width - foldNameW - 12
	}
	s := t.scroll(0)
	return s.layout(s.shown()).plotW
}

// laneLayout is how wide each column of the lanes is: the names, the plot, the cores and the
// threads; the now column follows them.
type laneLayout struct {
	nameW, plotW, coresW, threadW int
	runID                         int // the run the widths were kept for, in timelineModel.stick
}

// layout fits the columns of the lanes shown to the width, never narrower than the run's
// columns have been.
func (t timelineModel) layout(shown []model.Task) laneLayout {
	lay := t.layoutOf(shown, t.top)
	if t.stick.runID == t.runID {
		lay.nameW, lay.coresW, lay.threadW = max(lay.nameW, t.stick.nameW), max(lay.coresW, t.stick.coresW), max(lay.threadW, t.stick.threadW)
	}
	lay.plotW = t.width - lay.nameW - lay.coresW - lay.threadW - stateColWidth - 4
	return lay
}

// layoutOf is the columns tasks need, the first of them lane top of the run; the cores column
// is wide enough for every core the run may use, and the threads column for a few threads.
func (t timelineModel) layoutOf(tasks []model.Task, top int) laneLayout {
	all := make([]int, min(runCores(t.run), 8))
	for i := range all {
		all[i] = i
	}
	lay := laneLayout{nameW: nameMinWidth, coresW: max(coresColMin, min(len(coresText(all)), coresColKept)), threadW: threadColKept}
	for i, tk := range tasks {
		lay.nameW = max(lay.nameW, min(ansi.StringWidth(tk.Name), nameMaxWidth))
		lay.coresW = max(lay.coresW, min(len(coresText(t.info.cores[top+i])), coresColMax))
		lay.threadW = max(lay.threadW, len(t.info.threads[top+i]))
	}
	return lay
}

// layoutOfAll is layoutOf every task of the run, from the widths the lane info keeps: laying
// out a screen then costs the same whatever the number of lanes off it.
func (t timelineModel) layoutOfAll() laneLayout {
	lay := t.layoutOf(nil, 0)
	if t.info != nil && t.info.describes(t.run) {
		lay.nameW = max(lay.nameW, t.info.widest.nameW)
		lay.coresW = max(lay.coresW, t.info.widest.coresW)
		lay.threadW = max(lay.threadW, t.info.widest.threadW)
		return lay
	}
	return t.layoutOf(t.tasks(), 0)
}

// nowHeading heads the column that says what each lane shows in its newest cell: now while
// live, at the end of a finished run, at the replay cursor.
func (t timelineModel) nowHeading() string {
	switch {
	case t.cursor >= 0:
		return "cursor"
	case t.finished:
		return "at end"
	}
	return "now"
}

// laneScale is how the lanes cut time into plotW cells.
func (t timelineModel) laneScale(plotW int) laneScale { return t.timeView().scale(plotW) }

// timeView is the stretch of the run the lanes draw: the whole run, or the zoomed-in stretch
// of it; observed up to the replay cursor, or the newest interval.
func (t timelineModel) timeView() timeView {
	v := timeView{horizon: t.observedEnd(), finished: t.finished}
	if t.cursor >= 0 {
		v.horizon = t.cursor
	}
	v.start, v.end = t.window(v.horizon)
	return v
}

// cursorMark is the replay cursor's cell plus one, or 0 when there is no cursor or it is out of view.
func cursorMark(sc model.Scale, cursor time.Duration) int {
	if cursor < sc.Start || cursor > sc.End {
		return 0
	}
	return min(sc.CellOf(cursor), sc.Cells-1) + 1
}

// coresText writes the cores a task ran on as "0,1", under the heading "cpu".
func coresText(cores []int) string {
	if len(cores) == 0 {
		return "-"
	}
	parts := make([]string, len(cores))
	for i, c := range cores {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// coloredCores draws coresText with each core number in its core's colour.
func (t timelineModel) coloredCores(cores []int, w int) string {
	plain := coresText(cores)
	if len(cores) == 0 || len(plain) > w {
		return t.c.paints.dim.wrap(padRight(truncate(plain, w), w))
	}
	lp := t.c.paints
	var b strings.Builder
	for i, c := range cores {
		if i > 0 {
			b.WriteString(lp.dim.wrap(","))
		}
		b.WriteString(lp.coreOf(c).wrap(strconv.Itoa(c)))
	}
	return b.String() + strings.Repeat(" ", w-len(plain))
}

// factsOf is r's facts, or facts that know nothing (no cores, - for the counts) when r has none.
func factsOf(r *model.Run) model.Facts {
	if r == nil || r.Facts == nil {
		return model.Facts{BusyCores: -1, Preemptions: -1}
	}
	return *r.Facts
}
