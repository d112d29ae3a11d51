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

// sleepersRun is a live run of n goroutines that ran for a moment at the start, then slept,
// 5 s into it: io-threads with thousands of calls.
func sleepersRun(n int) *model.Run {
	const at = 5 * time.Second
	r := &model.Run{Scenario: "io-threads", Procs: 2, Elapsed: at}
	for i := range n {
		run := time.Duration(i%500) * 10 * time.Microsecond
		r.Tasks = append(r.Tasks, model.Task{Name: fmt.Sprintf("call %d", i+1), Kind: model.KindGoroutine, Intervals: []model.Interval{
			{Start: run, End: run + 50*time.Microsecond, State: model.StateRunning, Core: i % 2, Thread: 100 + i%3},
			{Start: run + 50*time.Microsecond, End: at, State: model.StateWaiting, Core: model.NoCore, Reason: model.ReasonSleep},
		}})
	}
	for t := 100 * time.Millisecond; t <= at; t += 100 * time.Millisecond {
		r.Cores = append(r.Cores, model.CoreSample{At: t, Percent: []float64{3, 2}})
	}
	return r
}

func BenchmarkView(b *testing.B) {
	cases := []struct {
		w, h, lanes int
		fold        bool
		run         func(int) *model.Run
		scenario    string
	}{
		{100, 30, 8, false, benchRun, "cpu-goroutines"}, {200, 60, 8, false, benchRun, "cpu-goroutines"},
		{200, 60, 1000, false, benchRun, "cpu-goroutines"}, {200, 60, 1000, true, benchRun, "cpu-goroutines"},
		// Ten thousand sleeping calls: a frame costs what the screen shows, not the lanes off it.
		{100, 30, 10000, false, sleepersRun, "io-threads"}, {200, 60, 10000, false, sleepersRun, "io-threads"},
		{200, 60, 10000, true, sleepersRun, "io-threads"},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%dx%d_%dlanes", c.w, c.h, c.lanes)
		if c.fold {
			name += "_folded"
		}
		b.Run(name, func(b *testing.B) {
			fs := &fakeStarter{}
			m := New(Config{Scenario: c.scenario, Params: scenarios.DefaultParams(), Start: fs.start})
			defer m.Close()
			nm, _ := m.Update(tea.WindowSizeMsg{Width: c.w, Height: c.h})
			nm, _ = nm.(Model).Update(m.Init()())
			nm, _ = nm.(Model).Update(runUpdateMsg{id: m.runID, run: c.run(c.lanes)})
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
// every cell (later frames of the same run reuse it), for 1,000 busy lanes and 10,000 sleeping;
// and from the census a live run carries.
func BenchmarkFoldCounts(b *testing.B) {
	for _, c := range []struct {
		name string
		run  *model.Run
	}{{"1000-busy", benchRun(1000)}, {"10000-sleeping", sleepersRun(10000)}} {
		b.Run(c.name, func(b *testing.B) {
			end := c.run.Elapsed
			ls := laneScale{sc: model.Scale{End: end, Cells: 180}, horizon: end, finished: c.run.Finished}
			b.ReportAllocs()
			for b.Loop() {
				_ = foldCounts(c.run.Tasks, ls)
			}
		})
	}
	// A live run of 10,000 sleeping goroutines as the observer hands it out: with a census.
	r := sleepersRun(10000)
	var cb model.CensusBuilder
	open := make([][]model.Interval, len(r.Tasks))
	for i, tk := range r.Tasks {
		open[i] = tk.Intervals
	}
	cb.WithCensus(r, open)
	b.Run("10000-sleeping-census", func(b *testing.B) {
		ls := laneScale{sc: model.Scale{End: r.Elapsed, Cells: 180}, horizon: r.Elapsed}
		b.ReportAllocs()
		for b.Loop() {
			_ = censusCounts(r, ls)
		}
	})
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
