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
	coresColMin   = 5 // "cores"
	coresColMax   = 12
	stateColWidth = 7 // "running", "waiting"
)

// cellKind is what one lane cell shows. When a cell covers several states, the rule in
// pickKind decides; on a tie in time, the higher kind wins.
type cellKind uint8

const (
	cellNone    cellKind = iota // no interval covers the cell
	cellDone                    // drawn blank
	cellUnknown                 // ·
	cellWaiting                 // ─
	cellReady                   // ▒
	cellTurns                   // ▓, in the core's colour: ran part of the cell, waited for a core or lock the rest
	cellRunning                 // █, in the core's colour
)

var cellGlyph = [...]string{cellNone: " ", cellDone: " ", cellUnknown: "·", cellWaiting: "─", cellReady: "▒", cellTurns: "▓", cellRunning: "█"}

// kindOf maps a state to the cell kind that draws it.
func kindOf(s model.State) cellKind {
	switch s {
	case model.StateRunning:
		return cellRunning
	case model.StateReady:
		return cellReady
	case model.StateWaiting:
		return cellWaiting
	case model.StateDone:
		return cellDone
	}
	return cellUnknown
}

// timelineModel draws one lane per task on a shared time axis, with a scale and a legend.
type timelineModel struct {
	c             *common
	run           *model.Run
	finished      bool
	cursor        time.Duration // the replay cursor, or -1 when not replaying
	width, height int
	top           int  // the first lane shown, when there are more lanes than rows
	fold          bool // one summary lane per state instead of one lane per task
}

// room is how many task lanes fit: the rows less the axis and the legend, and less the line
// that says which lanes are shown when not all are.
func (t timelineModel) room() int {
	room := t.height - 2
	if len(t.tasks()) > room {
		room--
	}
	return max(room, 1)
}

// page is how far one page of scrolling moves the lanes.
func (t timelineModel) page() int { return max(t.room()-1, 1) }

// scrollable reports whether there are more lanes than fit.
func (t timelineModel) scrollable() bool { return len(t.tasks()) > t.height-2 }

// scroll moves the first lane shown by delta lanes, within the lanes there are.
func (t timelineModel) scroll(delta int) timelineModel {
	t.top = min(max(t.top+delta, 0), max(len(t.tasks())-t.room(), 0))
	return t
}

func (t timelineModel) set(run *model.Run, finished bool, cursor time.Duration) timelineModel {
	t.run, t.finished, t.cursor = run, finished || (run != nil && run.Finished), cursor
	return t
}

func (t timelineModel) setSize(w, h int) timelineModel {
	t.width, t.height = w, h
	return t
}

func (t timelineModel) tasks() []model.Task {
	if t.run == nil {
		return nil
	}
	return t.run.Tasks
}

// wantHeight is the height that shows every lane: the axis, the lanes and the legend.
func (t timelineModel) wantHeight() int { return max(len(t.tasks()), 1) + 2 }

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
	shown := tasks
	t = t.scroll(0) // keep top in range as lanes come and the screen changes
	if t.scrollable() {
		shown = tasks[t.top:min(t.top+t.room(), len(tasks))]
	}
	nameW, coresW := nameMinWidth, coresColMin
	coresTxt := make([]string, len(shown))
	for i, tk := range shown {
		nameW = max(nameW, min(ansi.StringWidth(tk.Name), nameMaxWidth))
		coresTxt[i] = coresText(tk.Cores())
		coresW = max(coresW, min(len(coresTxt[i]), coresColMax))
	}
	plotW := t.width - nameW - coresW - stateColWidth - 3
	if plotW < 10 {
		return truncate(st.Dim.Render("(too narrow for the timelines)"), t.width)
	}
	end := axisEnd(t.run)

	lines := make([]string, 0, t.height)
	lines = append(lines, strings.Repeat(" ", nameW+1)+st.Dim.Render(axisLabels(end, plotW))+" "+
		st.Dim.Render(padRight("cores", coresW)+" now"))
	if len(shown) == 0 {
		lines = append(lines, st.Dim.Render("waiting for the first snapshot…"))
	}
	var lb laneBuf
	if t.cursor >= 0 && t.cursor <= end {
		lb.mark = min(model.Scale{End: end, Cells: plotW}.CellOf(t.cursor), plotW-1) + 1
	}
	for i, tk := range shown {
		name := padRight(truncate(tk.Name, nameW), nameW)
		lane := lb.render(t.c.paints, tk, end, plotW, t.horizon(), t.finished)
		cores := t.coloredCores(shown[i].Cores(), coresTxt[i], coresW)
		lines = append(lines, name+" "+lane+" "+cores+" "+t.stateNow(tk, turns(t.run, t.top+i)))
	}
	if len(shown) < len(tasks) {
		lines = append(lines, truncate(st.Dim.Render(fmt.Sprintf("lanes %d–%d of %d · ↑/↓ pgup/pgdn scroll · f folds them into one lane per state",
			t.top+1, t.top+len(shown), len(tasks))), t.width))
	}
	lines = append(lines, t.c.legend(t.width))
	return strings.Join(lines, "\n")
}

// horizon is how far the run has been observed.
func (t timelineModel) horizon() time.Duration {
	if t.run == nil {
		return 0
	}
	return max(t.run.Elapsed, t.run.Wall)
}

// coresText writes the cores a task ran on as "cpu0,1".
func coresText(cores []int) string {
	if len(cores) == 0 {
		return "-"
	}
	parts := make([]string, len(cores))
	for i, c := range cores {
		parts[i] = strconv.Itoa(c)
	}
	return "cpu" + strings.Join(parts, ",")
}

// coloredCores draws coresText with each core number in its core's colour.
func (t timelineModel) coloredCores(cores []int, plain string, w int) string {
	if len(cores) == 0 || len(plain) > w {
		return t.c.paints.dim.wrap(padRight(truncate(plain, w), w))
	}
	lp := t.c.paints
	var b strings.Builder
	b.WriteString(lp.dim.wrap("cpu"))
	for i, c := range cores {
		if i > 0 {
			b.WriteString(lp.dim.wrap(","))
		}
		b.WriteString(lp.coreOf(c).wrap(strconv.Itoa(c)))
	}
	return b.String() + strings.Repeat(" ", w-len(plain))
}

// stateNow is the task's state as of the latest snapshot; turn is whether it took turns in
// its latest /proc window.
func (t timelineModel) stateNow(tk model.Task, turn model.Turn) string {
	lp := t.c.paints
	if t.cursor >= 0 {
		// The lanes are cut at the cursor, so the state at the cursor is the one just before it.
		iv, ok := tk.StateAt(max(t.cursor-1, 0))
		switch {
		case !ok:
			return lp.dim.wrap("-")
		case iv.State == model.StateRunning:
			return lp.coreOf(iv.Core).wrap("running")
		}
		return lp.dim.wrap(iv.State.String())
	}
	if t.finished {
		return lp.dim.wrap("done")
	}
	if len(tk.Intervals) == 0 {
		return lp.dim.wrap("-") // not started yet
	}
	last := tk.Intervals[len(tk.Intervals)-1]
	if turn.Took {
		return lp.coreOf(turn.Core).wrap("turns")
	}
	switch last.State {
	case model.StateRunning:
		return lp.coreOf(last.Core).wrap("running")
	case model.StateReady:
		return lp.ready.wrap("ready")
	case model.StateWaiting:
		return lp.waiting.wrap("waiting")
	case model.StateDone:
		return lp.dim.wrap("done")
	}
	return lp.unknown.wrap("unknown")
}

// legend explains the glyphs, as fully as the width allows.
func legend(st Styles, width int) string {
	tiers := [][5]string{
		{"running (colour = core)", "ready: wants a core, the lock or the loop", "waiting: I/O or sleep", "unknown   blank: not started or done", "took turns"},
		{"running (colour = core)", "ready: wants a core/lock/loop", "waiting: I/O or sleep", "unknown", "took turns"},
		{"running", "ready: wants a core", "waiting: I/O, sleep", "unknown", "took turns"},
		{"running", "ready", "waiting (I/O, sleep)", "unknown", "turns"},
		{"run", "ready", "wait", "unknown", "turns"},
	}
	for n, tier := range tiers {
		s := st.Core(0).Render("█") + " " + st.Dim.Render(tier[0]) + "  " +
			st.Core(0).Render("▓") + " " + st.Dim.Render(tier[4]) + "  " +
			st.Ready.Render("▒") + " " + st.Dim.Render(tier[1]) + "  " +
			st.Waiting.Render("─") + " " + st.Dim.Render(tier[2]) + "  " +
			st.Unknown.Render("·") + " " + st.Dim.Render(tier[3])
		if ansi.StringWidth(s) <= width || n == len(tiers)-1 {
			return truncate(s, width)
		}
	}
	return ""
}

// turns is task i's Turn in r's facts; nothing is known of a run without facts.
func turns(r *model.Run, i int) model.Turn {
	if r == nil || r.Facts == nil || i >= len(r.Facts.Turns) {
		return model.Turn{Core: model.NoCore}
	}
	return r.Facts.Turns[i]
}

// factsOf is r's facts, or facts that know nothing (no cores, - for the counts) when r has none.
func factsOf(r *model.Run) model.Facts {
	if r == nil || r.Facts == nil {
		return model.Facts{BusyCores: -1, Preemptions: -1}
	}
	return *r.Facts
}
