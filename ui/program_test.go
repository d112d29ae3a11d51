package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/scenarios"
)

// programRun is a finished watched CPython run of wall wall: the main thread, then threads
// threads that took turns on one core in 1 ms windows.
func programRun(t *testing.T, prog scenarios.Scenario, threads int, wall time.Duration) *model.Run {
	t.Helper()
	r := &model.Run{Scenario: prog.ID, Command: prog.Command, Finished: true, Wall: wall, Elapsed: wall,
		CPU: wall, ExitCode: 0, Sampling: &model.Sampling{Period: ms, Rounds: int(wall / ms), Cost: 0.02}}
	r.Tasks = append(r.Tasks, model.Task{Name: "python3 4120", Kind: model.KindProcess, PID: 4120, TID: 4120,
		Intervals: []model.Interval{{End: wall, State: model.StateReady, Reason: model.ReasonLock, Core: model.NoCore, Source: model.SourceSampled}}})
	for i := 1; i <= threads; i++ {
		tk := model.Task{Name: "python 4120/412" + string(rune('0'+i)), Kind: model.KindThread, PID: 4120, TID: 4120 + i}
		for at := time.Duration(0); at < wall; at += ms {
			iv := model.Interval{Start: at, End: at + ms, State: model.StateReady, Reason: model.ReasonLock, Core: model.NoCore, Source: model.SourceSampled}
			if int(at/(5*ms))%threads == i-1 {
				iv.State, iv.Reason, iv.Core, iv.Thread = model.StateRunning, model.ReasonNone, 0, tk.TID
			}
			tk.Intervals = append(tk.Intervals, iv)
		}
		r.Tasks = append(r.Tasks, tk)
	}
	r.Lines = []model.Line{{At: wall, Text: "total 5050"}}
	r.Facts = model.FactsOf(r)
	return r
}

func TestWatchedProgramsHaveTabsSummariesAndTheirOwnMatrix(t *testing.T) {
	seq, _ := scenarios.Program([]string{"python3", "examples/python/cpu_sequential.py"})
	thr, _ := scenarios.Program([]string{"python3", "examples/python/cpu_threads.py"})
	fs := &fakeStarter{}
	m := New(Config{Scenario: seq.ID, Params: scenarios.DefaultParams(), Start: fs.start, Programs: []scenarios.Scenario{seq, thr}})
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = update(t, m, m.Init()())
	t.Cleanup(m.Close)
	finish := func(r *model.Run) {
		s := fs.last()
		if s.id != r.Scenario {
			t.Fatalf("started %q, want %q", s.id, r.Scenario)
		}
		m = update(t, m, runUpdateMsg{id: m.runID, run: r})
		m = update(t, m, runClosedMsg{id: m.runID})
	}
	finish(programRun(t, seq, 1, 2000*ms))
	v := m.View()
	for _, want := range []string{"▸8 py: cpu_sequential", "9 py: cpu_threads", "exit status 0", "watching: python3 examples/python/cpu_sequential.py", "total 5050"} {
		if !strings.Contains(v, want) {
			t.Errorf("the watched run's screen has no %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "knobs:") || m.common.keys.More.Enabled() {
		t.Errorf("a watched program shows or takes knobs:\n%s", v)
	}
	m = press(t, m, keyRune('9'))
	finish(programRun(t, thr, 4, 2100*ms))
	m = press(t, m, keyRune('c'))
	v = m.View()
	for _, want := range []string{"py: cpu_threads", "0.95×", "py: CPU-bound"} {
		if !strings.Contains(v, want) {
			t.Errorf("the compare view has no %q:\n%s", want, v)
		}
	}
}

func TestProgramTabsWrapToFit(t *testing.T) {
	scens := scenarios.All()
	for _, name := range []string{"io_sequential", "io_threads", "io_asyncio", "cpu_sequential", "cpu_threads", "cpu_processes"} {
		p, _ := scenarios.Program([]string{"python3", "examples/python/" + name + ".py"})
		scens = append(scens, p)
	}
	for _, w := range []int{80, 100} {
		n := 0
		for _, row := range tabRows(scens, w) {
			if got := tabsWidth(scens, row); got > w {
				t.Errorf("at %d columns a row of tabs is %d wide", w, got)
			}
			n += len(row)
		}
		if n != len(scens) {
			t.Errorf("at %d columns %d tabs of %d are laid out", w, n, len(scens))
		}
	}
}
