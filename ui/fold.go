package ui

import (
	"fmt"
	"strings"
	"time"

	"timeslice/model"
)

// foldedStates are the rows of the folded view, in the order drawn.
var foldedStates = []model.State{model.StateRunning, model.StateReady, model.StateWaiting, model.StateDone}

// stateCounts adds up, per cell of plotW covering [0, end), how long tasks spent in each
// state: divided by the cell's length, that is how many tasks were in it on average.
func stateCounts(tasks []model.Task, end time.Duration, plotW int) map[model.State][]time.Duration {
	acc := map[model.State][]time.Duration{}
	for _, st := range foldedStates {
		acc[st] = make([]time.Duration, plotW)
	}
	sc := model.Scale{End: end, Cells: plotW}
	for _, tk := range tasks {
		for _, iv := range tk.Intervals {
			if row := acc[iv.State]; row != nil {
				sc.Spread(iv.Start, iv.End, func(c int, d time.Duration) { row[c] += d })
			}
		}
	}
	return acc
}

// foldedView draws the task lanes folded into one lane per state: each cell shows what share of
// the tasks were in that state then, so thousands of tasks read at a glance.
func (t timelineModel) foldedView() string {
	st, lp := t.c.styles, t.c.paints
	tasks := t.tasks()
	const nameW = 8
	plotW := t.width - nameW - 12
	if plotW < 10 || t.height < 3 {
		return truncate(st.Dim.Render("(too narrow for the timelines)"), t.width)
	}
	end := axisEnd(t.run)
	counts := stateCounts(tasks, end, plotW)
	sc := model.Scale{End: end, Cells: plotW}
	paints := map[model.State]paint{model.StateRunning: lp.coreOf(0), model.StateReady: lp.ready,
		model.StateWaiting: lp.waiting, model.StateDone: lp.dim}
	lines := []string{strings.Repeat(" ", nameW+1) + st.Dim.Render(axisLabels(end, plotW)) + " " + st.Dim.Render("most")}
	for _, state := range foldedStates {
		if len(lines) >= t.height-1 {
			break
		}
		var b strings.Builder
		peak := 0.0
		for c, d := range counts[state] {
			cell := sc.CellLen(c)
			avg := float64(d) / float64(cell)
			peak = max(peak, avg)
			if d <= 0 {
				b.WriteString(" ")
				continue
			}
			i := int(avg / float64(len(tasks)) * float64(len(sparkGlyphs)))
			b.WriteRune(sparkGlyphs[min(max(i, 0), len(sparkGlyphs)-1)])
		}
		lines = append(lines, padRight(state.String(), nameW)+" "+paints[state].wrap(b.String())+" "+
			st.Dim.Render(fmt.Sprintf("%.0f", peak)))
	}
	lines = append(lines, truncate(st.Dim.Render(fmt.Sprintf(
		"folded: each row is how many of the %d tasks were in that state (▁ a few … █ all) · f unfolds", len(tasks))), t.width))
	return strings.Join(lines, "\n")
}
