package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"timeslice/model"
	"timeslice/scenarios"
)

// cpuGILRun is cpu-threads-gil: four threads hand one lock around every 5 ms for 2 s.
func cpuGILRun() *model.Run {
	r := &model.Run{Scenario: "cpu-threads-gil", Procs: 2, Params: scenarios.DefaultParams().Args()}
	const end = 2040 * ms
	for n := 0; n < 4; n++ {
		tk := model.Task{Name: fmt.Sprintf("chunk %d", n+1), Kind: model.KindGoroutine, Preemptions: 3}
		for s := time.Duration(0); s < end; s += 20 * ms {
			o := s + time.Duration(n)*5*ms
			lk := iv(model.StateReady, s, o, model.NoCore)
			lk.Reason = model.ReasonLock
			if o > s {
				tk.Intervals = append(tk.Intervals, lk)
			}
			tk.Intervals = append(tk.Intervals, run(o, o+5*ms, (n+int(s/(20*ms)))%2))
			if o+5*ms < s+20*ms {
				lk.Start, lk.End = o+5*ms, s+20*ms
				tk.Intervals = append(tk.Intervals, lk)
			}
		}
		r.Tasks = append(r.Tasks, tk)
	}
	onThreads(r, 7001, 7002, 7003, 7004)
	r.Cores = coreSamples(end, func(time.Duration) []float64 { return []float64{55, 48} })
	r.Switches = model.Switches{Voluntary: 812, Involuntary: 40}
	r.Result = &model.Result{Partials: partials, Total: 5050}
	r.Elapsed, r.Wall, r.CPU, r.Finished = end, end, 2050*ms, true
	return observed(r)
}

// finishRun feeds a finished run to the model as the current run's last snapshot.
func finishRun(t testing.TB, m Model, r *model.Run) Model {
	t.Helper()
	m = update(t, m, runUpdateMsg{id: m.runID, run: r})
	return update(t, m, runClosedMsg{id: m.runID})
}

// sessionModel is a model at w×h that has finished a run of every recording, in scenario order.
func sessionModel(t *testing.T, w, h int) Model {
	t.Helper()
	runs := map[string]*model.Run{
		"io-sequential": ioSequentialRun(), "io-threads": ioThreadsRun(),
		"cpu-sequential": cpuSequentialRun(), "cpu-threads-gil": cpuGILRun(), "cpu-goroutines": cpuGoroutinesRun(),
	}
	m, _ := newTestModel(t, "io-sequential")
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	for i, id := range scenarios.IDs() {
		if r, ok := runs[id]; ok {
			m = press(t, m, keyRune(rune('1'+i)))
			m = finishRun(t, m, r)
		}
	}
	return m
}

func TestSharedTimeScale(t *testing.T) {
	entries := []compareEntry{{run: ioSequentialRun()}, {run: ioThreadsRun()}}
	end := sharedEnd(entries)
	if end != 4100*time.Millisecond {
		t.Fatalf("shared end %s, want 4.1s (the longest run, 4.01 s, rounded up to two figures)", end)
	}
	extent := func(r *model.Run) int {
		var lb laneBuf
		ext := 0
		ls := laneScale{sc: model.Scale{End: end, Cells: 100}, horizon: end, finished: true}
		for i := range r.Tasks {
			lane := []rune(lb.render(DefaultStyles().lanePaints(), &r.Tasks[i], ls))
			for i := len(lane) - 1; i >= 0; i-- {
				if lane[i] != ' ' {
					ext = max(ext, i+1)
					break
				}
			}
		}
		return ext
	}
	seq, thr := extent(ioSequentialRun()), extent(ioThreadsRun())
	if seq < 96 || seq > 99 || thr < 23 || thr > 26 {
		t.Fatalf("lanes reach %d and %d of 100 cells, want about 98 and 25", seq, thr)
	}
	if q := float64(thr) / float64(seq); q < 0.22 || q > 0.28 {
		t.Fatalf("the 1 s run's lane is %.2f of the 4 s run's, want about ¼", q)
	}
}

func TestBusyLane(t *testing.T) {
	gil, gor := cpuGILRun(), cpuGoroutinesRun()
	lp := DefaultStyles().lanePaints()
	ls := laneScale{sc: model.Scale{End: 2500 * ms, Cells: 25}, horizon: 2500 * ms, finished: true}
	if l := busyLane(lp, gil, ls); !strings.HasPrefix(l, strings.Repeat("1", 20)) {
		t.Fatalf("gil summary lane %q: one thread at a time", l)
	}
	if l := busyLane(lp, gor, ls); !strings.HasPrefix(l, "22222") {
		t.Fatalf("goroutines summary lane %q: two at once", l)
	}
}

func TestCompareKeyTogglesTheView(t *testing.T) {
	m := sessionModel(t, 120, 40)
	m = press(t, m, keyRune('c'))
	if m.mode != viewCompare {
		t.Fatal("c did not open the compare view")
	}
	v := m.View()
	checkFits(t, v, 120, 40)
	for _, want := range []string{"io-sequential", "io-threads", "cpu-threads-gil", "4.00×", "1.96×", "Lesson matrix", "I/O-bound", "CPU-bound"} {
		if !strings.Contains(v, want) {
			t.Fatalf("compare view lacks %q:\n%s", want, v)
		}
	}
	if m = press(t, m, keyRune('c')); m.mode != viewMain {
		t.Fatal("c did not close the compare view")
	}
	m = press(t, m, keyRune('c'))
	if m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}); m.mode != viewMain {
		t.Fatal("esc did not close the compare view")
	}
	m = press(t, m, keyRune('c'))
	if m = press(t, m, keyRune('2')); m.mode != viewMain || m.Selected() != "io-threads" {
		t.Fatal("a scenario key in the compare view did not start it in the main view")
	}
}

func TestRunAllRunsEveryScenarioThenCompares(t *testing.T) {
	m, fs := newTestModel(t, "cpu-goroutines")
	m = press(t, m, keyRune('a'))
	ids := scenarios.IDs()
	for i, id := range ids {
		if !m.all.active || m.Selected() != id || fs.last().id != id {
			t.Fatalf("step %d: active %v selected %s started %s", i, m.all.active, m.Selected(), fs.last().id)
		}
		if v := m.View(); !strings.Contains(v, fmt.Sprintf("run all: %d/%d", i+1, len(ids))) {
			t.Fatalf("no progress at step %d:\n%s", i, v)
		}
		r := &model.Run{Scenario: id, Elapsed: time.Second, Wall: time.Duration(i+1) * 100 * ms, Finished: true}
		m = update(t, m, runUpdateMsg{id: m.runID, run: r})
		nm, cmd := m.Update(runClosedMsg{id: m.runID})
		m = nm.(Model)
		if cmd != nil {
			if msg, ok := cmd().(startedMsg); ok {
				m = update(t, m, msg)
			}
		}
	}
	if m.all.active || m.mode != viewCompare || len(m.last) != len(ids) {
		t.Fatalf("after run all: active %v mode %v runs %d", m.all.active, m.mode, len(m.last))
	}
	if !model.LessonMatrix(m.last).Complete() {
		t.Fatal("run all left the matrix incomplete")
	}
}

func TestRunAllStopsWhenTheUserPicks(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	m = press(t, m, keyRune('a'))
	if m = press(t, m, keyRune('4')); m.all.active {
		t.Fatal("picking a scenario did not end run all")
	}
}

func TestCoreLanesKey(t *testing.T) {
	m, _ := newTestModel(t, "cpu-goroutines")
	m = finishRun(t, m, cpuGoroutinesRun())
	m = press(t, m, keyRune('k'))
	v := m.View()
	checkFits(t, v, 100, 30)
	if strings.Contains(v, "moves") {
		t.Fatalf("core lanes speak of moves without details:\n%s", v)
	}
	m = press(t, m, keyRune('d'))
	v = m.View()
	checkFits(t, v, 100, 30)
	for _, want := range []string{"cpu0 ", "cpu1 ", "1 chunk 1", "4 chunk 4", "moves: 2", "onto 1"} {
		if !strings.Contains(v, want) {
			t.Fatalf("core lanes lack %q:\n%s", want, v)
		}
	}
	if m = press(t, m, keyRune('k')); strings.Contains(m.View(), "moves:") {
		t.Fatal("k did not bring the task lanes back")
	}
}

func TestExplainKey(t *testing.T) {
	m, _ := newTestModel(t, "cpu-threads-gil")
	m = press(t, m, keyRune('e'))
	v := m.View()
	if !strings.Contains(v, "What to look for in cpu-threads-gil") || !strings.Contains(v, "lock's 5 ms turns") {
		t.Fatalf("no explanation:\n%s", v)
	}
	checkFits(t, v, 100, 30)
	if m = press(t, m, keyRune('e')); strings.Contains(m.View(), "What to look for") {
		t.Fatal("e did not close the explanation")
	}
	for _, s := range scenarios.All() {
		if n := len(s.LookFor(scenarios.DefaultParams(), 2)); n < 3 || n > 5 {
			t.Errorf("%s has %d lines to look for", s.ID, n)
		}
	}
}

// allRuns are recordings of all seven scenarios: io-asyncio and cpu-processes borrow the
// lanes of io-threads and cpu-goroutines.
func allRuns() map[string]*model.Run {
	like := func(r *model.Run, id string) *model.Run { r.Scenario = id; return r }
	return map[string]*model.Run{
		"io-sequential": ioSequentialRun(), "io-threads": ioThreadsRun(), "io-asyncio": like(ioThreadsRun(), "io-asyncio"),
		"cpu-sequential": cpuSequentialRun(), "cpu-threads-gil": cpuGILRun(),
		"cpu-processes": like(cpuGoroutinesRun(), "cpu-processes"), "cpu-goroutines": cpuGoroutinesRun(),
	}
}

// allModel is a model at w×h that has run all seven scenarios with a (run all), so it shows
// the comparison.
func allModel(t testing.TB, w, h int) Model {
	t.Helper()
	runs := allRuns()
	m, _ := newTestModel(t, "io-sequential")
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m = press(t, m, keyRune('a'))
	for m.all.active {
		m = update(t, m, runUpdateMsg{id: m.runID, run: runs[m.Selected()]})
		nm, cmd := m.Update(runClosedMsg{id: m.runID})
		m = nm.(Model)
		if cmd != nil {
			if msg, ok := cmd().(startedMsg); ok {
				m = update(t, m, msg)
			}
		}
	}
	if m.mode != viewCompare {
		t.Fatal("run all did not end on the comparison")
	}
	return m
}

func TestGoldenCompare(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := allModel(t, size[0], size[1])
			teatest.RequireEqualOutput(t, []byte(m.View()))
		})
	}
}

func TestGoldenCoreLanes(t *testing.T) {
	m, _ := newTestModel(t, "cpu-goroutines")
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = finishRun(t, m, cpuGoroutinesRun())
	m = press(t, m, keyRune('k'))
	teatest.RequireEqualOutput(t, []byte(m.View()))
}

// TestCompareKeepsTheMatrixOnScreen checks, after every scenario has run, that the compare view
// never takes more lines than it is given, so the lesson matrix at its foot is never cut off:
// the lanes must leave room for their own legends.
func TestCompareKeepsTheMatrixOnScreen(t *testing.T) {
	like := func(r *model.Run, id string) *model.Run { r.Scenario = id; return r }
	runs := map[string]*model.Run{
		"io-sequential": ioSequentialRun(), "io-threads": ioThreadsRun(), "io-asyncio": like(ioThreadsRun(), "io-asyncio"),
		"cpu-sequential": cpuSequentialRun(), "cpu-threads-gil": cpuGILRun(),
		"cpu-processes": like(cpuGoroutinesRun(), "cpu-processes"), "cpu-goroutines": cpuGoroutinesRun(),
	}
	for _, size := range [][2]int{{80, 24}, {100, 30}, {100, 34}, {120, 40}, {200, 60}} {
		m, _ := newTestModel(t, "io-sequential")
		m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for i, id := range scenarios.IDs() {
			m = press(t, m, keyRune(rune('1'+i)))
			m = finishRun(t, m, runs[id])
		}
		m = press(t, m, keyRune('c'))
		if got := strings.Count(m.compare.view(), "\n") + 1; got > m.compare.height {
			t.Errorf("%dx%d: the compare view draws %d lines in %d", size[0], size[1], got, m.compare.height)
		}
		v := m.View()
		checkFits(t, v, size[0], size[1])
		for _, row := range []string{"I/O-bound", "CPU-bound"} {
			if !strings.Contains(v, row) {
				t.Errorf("%dx%d: the matrix row %q is cut off:\n%s", size[0], size[1], row, v)
			}
		}
	}
}

// TestWholeComparisonOnOneScreen is the must-show: at 100×30 and 80×24, after a, every
// scenario id and the lesson matrix are on the screen at once, with nothing hidden behind
// "+N more", and each run's row carries its wall time and speedup.
func TestWholeComparisonOnOneScreen(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {80, 24}} {
		m := allModel(t, size[0], size[1])
		v := m.View()
		checkFits(t, v, size[0], size[1])
		lines := strings.Split(v, "\n")
		for _, id := range scenarios.IDs() {
			row := ""
			for _, l := range lines {
				if strings.HasPrefix(l, id+" ") {
					row = l
				}
			}
			if row == "" || !strings.Contains(row, " s ") {
				t.Fatalf("%dx%d: no row with numbers for %s:\n%s", size[0], size[1], id, v)
			}
		}
		for _, want := range []string{"Lesson matrix", "I/O-bound", "CPU-bound", "4.00×", "1.96×", "0.98×"} {
			if !strings.Contains(v, want) {
				t.Fatalf("%dx%d: %q is not on screen:\n%s", size[0], size[1], want, v)
			}
		}
		for _, bad := range []string{"more run", "more below"} {
			if strings.Contains(v, bad) {
				t.Fatalf("%dx%d: something is hidden (%q):\n%s", size[0], size[1], bad, v)
			}
		}
		for _, l := range lines {
			if strings.HasSuffix(strings.TrimRight(l, " "), "…") {
				t.Fatalf("%dx%d: a line is cut: %q", size[0], size[1], l)
			}
		}
	}
}

// TestNoSpeedupAgainstOtherWork is the must-show: io-sequential, then io-threads, then
// + (five calls): no speedup against io-sequential's four calls is shown, neither in the
// summary, nor in the comparison, nor in the lesson matrix; the summary says what to run.
func TestNoSpeedupAgainstOtherWork(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	m = finishRun(t, m, ioSequentialRun())
	m = press(t, m, keyRune('2'))
	m = finishRun(t, m, ioThreadsRun())
	if v := m.View(); !strings.Contains(v, "4.00×") {
		t.Fatalf("no speedup against a baseline of the same work:\n%s", v)
	}
	m = press(t, m, keyRune('+'))
	if m.cfg.Params.Calls != 5 {
		t.Fatalf("+ made %d calls", m.cfg.Params.Calls)
	}
	five := ioThreadsRun()
	p := scenarios.DefaultParams()
	p.Calls = 5
	five.Params = p.UserArgs()
	if v := m.View(); strings.Contains(v, "io-sequential took") {
		t.Fatalf("a live run of 5 calls is promised a comparison with 4:\n%s", v)
	}
	m = finishRun(t, m, five)
	v := m.View()
	if strings.Contains(v, "×") || !strings.Contains(v, "5 calls, not 4") || !strings.Contains(v, "run it (key 1)") {
		t.Fatalf("after + the summary compares with other work, or does not say what to run:\n%s", v)
	}
	m = press(t, m, keyRune('c'))
	v = m.View()
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, "io-threads ") && (strings.Contains(l, "×") || !strings.Contains(l, "—")) {
			t.Fatalf("the comparison shows a speedup of 5 calls against 4: %q\n%s", l, v)
		}
	}
	if !strings.Contains(v, "5 calls, not 4") {
		t.Fatalf("the comparison does not say why the speedup is missing:\n%s", v)
	}
	if _, ok := m.lessonMatrix(scenarios.All()).Cell(scenarios.IOBound, scenarios.Parallel); ok {
		t.Fatal("the lesson matrix measures 5 calls against 4")
	}
	// With a baseline of five calls, the speedup is back, against it.
	m = press(t, m, keyRune('1'))
	seq5 := ioSequentialRun()
	seq5.Params = p.UserArgs()
	seq5.Wall = 5015 * ms
	m = finishRun(t, m, seq5)
	m = press(t, m, keyRune('2'))
	m = finishRun(t, m, five)
	if v := m.View(); !strings.Contains(v, "5.00×") {
		t.Fatalf("no speedup against the baseline of five calls:\n%s", v)
	}
}

// TestNothingIsCutAtTheSmallestSizes: at 80×24 and 100×30, after a, in every view (the
// comparison, each scenario finished, its explanation, core lanes with and without details,
// help, replay, zoom, projector mode) every line is whole: text wraps, nothing ends in "…".
func TestNothingIsCutAtTheSmallestSizes(t *testing.T) {
	runs := allRuns()
	for _, sz := range [][2]int{{80, 24}, {100, 30}} {
		m := allModel(t, sz[0], sz[1])
		for _, keys := range []string{"c", "c?", "c1e", "c2?", "c5p", "c5.", "c7k", "c7kd", "c7d", "c4e", "c6z", "c3P", "cP", "cPc", "cd", "c5zzzzzz", "c6ke"} {
			mm := m
			for _, k := range keys {
				mm = press(t, mm, keyRune(k))
				if k >= '1' && k <= '7' {
					mm = finishRun(t, mm, runs[scenarios.IDs()[k-'1']])
				}
			}
			v := mm.View()
			checkFits(t, v, sz[0], sz[1])
			for _, l := range strings.Split(v, "\n") {
				if strings.HasSuffix(strings.TrimRight(l, " "), "…") {
					t.Errorf("%dx%d after %s: a line is cut: %q", sz[0], sz[1], keys, strings.TrimSpace(l))
				}
			}
		}
	}
}
