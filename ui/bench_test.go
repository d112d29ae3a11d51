package ui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/scenarios"
)

// benchRun is a finished run with lanes tasks of 20 ms slices over 2 s on 8 cores.
func benchRun(lanes int) *model.Run {
	r := &model.Run{Scenario: "cpu-goroutines", Procs: 8, Elapsed: 2 * time.Second, Wall: 2 * time.Second, Finished: true}
	for i := 0; i < lanes; i++ {
		tk := model.Task{Name: fmt.Sprintf("chunk %d", i+1), Kind: model.KindGoroutine}
		for t := time.Duration(0); t < 2*time.Second; t += 40 * time.Millisecond {
			tk.Intervals = append(tk.Intervals,
				model.Interval{Start: t, End: t + 20*time.Millisecond, State: model.StateRunning, Core: (i + int(t/time.Millisecond)) % 8},
				model.Interval{Start: t + 20*time.Millisecond, End: t + 40*time.Millisecond, State: model.StateReady, Core: model.NoCore})
		}
		r.Tasks = append(r.Tasks, tk)
	}
	for t := 200 * time.Millisecond; t <= 2*time.Second; t += 200 * time.Millisecond {
		r.Cores = append(r.Cores, model.CoreSample{At: t, Percent: []float64{90, 80, 70, 60, 50, 40, 30, 20}})
		r.Lines = append(r.Lines, model.Line{At: t, Text: "chunk done: partial sum 12345"})
	}
	r.Result = &model.Result{Partials: partials, Total: 5050}
	return r
}

func BenchmarkView(b *testing.B) {
	cases := []struct {
		w, h, lanes int
		fold        bool
	}{{100, 30, 8, false}, {200, 60, 8, false}, {200, 60, 1000, false}, {200, 60, 1000, true}}
	for _, c := range cases {
		name := fmt.Sprintf("%dx%d_%dlanes", c.w, c.h, c.lanes)
		if c.fold {
			name += "_folded"
		}
		b.Run(name, func(b *testing.B) {
			fs := &fakeStarter{}
			m := New(Config{Scenario: "cpu-goroutines", Params: scenarios.DefaultParams(), Start: fs.start})
			defer m.Close()
			nm, _ := m.Update(tea.WindowSizeMsg{Width: c.w, Height: c.h})
			nm, _ = nm.(Model).Update(m.Init()())
			nm, _ = nm.(Model).Update(runUpdateMsg{id: m.runID, run: benchRun(c.lanes)})
			m = nm.(Model)
			m.timeline.fold = c.fold
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkFoldCounts is the folded view's first frame for a new run: every task's tally in
// every cell (later frames of the same run reuse it).
func BenchmarkFoldCounts(b *testing.B) {
	r := benchRun(1000)
	ls := laneScale{sc: model.Scale{End: 2 * time.Second, Cells: 180}, horizon: 2 * time.Second, finished: true}
	b.ReportAllocs()
	for b.Loop() {
		_ = foldCounts(r.Tasks, ls)
	}
}

// BenchmarkCompareView is the comparison after a (all seven runs), one frame: its rows, numbers
// and matrix at 100×30, and at 200×60 with every run's task rows.
func BenchmarkCompareView(b *testing.B) {
	for _, size := range [][2]int{{100, 30}, {200, 60}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			m := allModel(b, size[0], size[1])
			defer m.Close()
			b.ReportAllocs()
			for b.Loop() {
				_ = m.relayout().View()
			}
		})
	}
}
