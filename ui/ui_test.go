package ui

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
	"timeslice/observe"
	"timeslice/scenarios"
)

// fakeSession is a session the test feeds by hand and whose Stop it can observe.
type fakeSession struct {
	id      string
	ch      chan *model.Run
	stopped atomic.Bool
	once    sync.Once
}

func (f *fakeSession) Updates() <-chan *model.Run { return f.ch }

func (f *fakeSession) Stop() {
	f.once.Do(func() {
		f.stopped.Store(true)
		close(f.ch)
	})
}

// fakeStarter records every session it starts.
type fakeStarter struct {
	mu       sync.Mutex
	sessions []*fakeSession
}

func (fs *fakeStarter) start(id string, _ scenarios.Params) (observe.Session, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	s := &fakeSession{id: id, ch: make(chan *model.Run, 1)}
	fs.sessions = append(fs.sessions, s)
	return s, nil
}

func (fs *fakeStarter) last() *fakeSession {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.sessions[len(fs.sessions)-1]
}

// newTestModel is a model at 100×30 whose initial run has started.
func newTestModel(t testing.TB, id string) (Model, *fakeStarter) {
	t.Helper()
	fs := &fakeStarter{}
	m := New(Config{Scenario: id, Params: scenarios.DefaultParams(), Start: fs.start})
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = update(t, m, m.Init()())
	t.Cleanup(m.Close)
	return m, fs
}

// stoppedSoon reports whether s is stopped within two seconds: a switch stops the old session
// off the Update goroutine, so the screen never waits for a child to be reaped.
func stoppedSoon(s *fakeSession) bool {
	for end := time.Now().Add(2 * time.Second); !s.stopped.Load() && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
	return s.stopped.Load()
}

func update(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	nm, _ := m.Update(msg)
	return nm.(Model)
}

// press sends a key and runs the start command it returns, as the program would.
func press(t testing.TB, m Model, k tea.KeyMsg) Model {
	t.Helper()
	nm, cmd := m.Update(k)
	m = nm.(Model)
	if cmd != nil {
		if msg := cmd(); msg != nil {
			if _, ok := msg.(startedMsg); ok {
				m = update(t, m, msg)
			}
		}
	}
	return m
}

func TestNumberKeysSelectAndStart(t *testing.T) {
	m, fs := newTestModel(t, "io-sequential")
	ids := scenarios.IDs()
	for i := len(ids) - 1; i >= 0; i-- {
		prev := fs.last()
		m = press(t, m, keyRune(rune('1'+i)))
		if got := m.Selected(); got != ids[i] {
			t.Fatalf("key %d selected %s, want %s", i+1, got, ids[i])
		}
		if s := fs.last(); s.id != ids[i] || s.stopped.Load() {
			t.Fatalf("key %d: started %s (stopped %v)", i+1, s.id, s.stopped.Load())
		}
		if !stoppedSoon(prev) {
			t.Fatalf("key %d: previous session %s still running", i+1, prev.id)
		}
	}
	if m = press(t, m, keyRune('8')); m.Selected() != ids[0] {
		t.Fatalf("key 8 changed the selection to %s", m.Selected())
	}
}

func TestArrowsAndTabWrapAround(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	steps := []struct {
		key  tea.KeyMsg
		want string
	}{
		{tea.KeyMsg{Type: tea.KeyLeft}, "cpu-goroutines"},
		{tea.KeyMsg{Type: tea.KeyRight}, "io-sequential"},
		{tea.KeyMsg{Type: tea.KeyTab}, "io-threads"},
		{tea.KeyMsg{Type: tea.KeyShiftTab}, "io-sequential"},
		{tea.KeyMsg{Type: tea.KeyShiftTab}, "cpu-goroutines"},
		{tea.KeyMsg{Type: tea.KeyTab}, "io-sequential"},
	}
	for i, s := range steps {
		if m = press(t, m, s.key); m.Selected() != s.want {
			t.Fatalf("step %d (%s): selected %s, want %s", i, s.key, m.Selected(), s.want)
		}
	}
}

func TestRerunStartsAFreshRun(t *testing.T) {
	m, fs := newTestModel(t, "cpu-processes")
	first, id := fs.last(), m.runID
	m = press(t, m, keyRune('r'))
	if !stoppedSoon(first) || fs.last() == first || fs.last().id != "cpu-processes" || m.runID == id {
		t.Fatalf("r did not restart: stopped %v, new %s, run %d→%d", first.stopped.Load(), fs.last().id, id, m.runID)
	}
}

func TestQuitStopsTheSession(t *testing.T) {
	for _, k := range []tea.KeyMsg{keyRune('q'), {Type: tea.KeyCtrlC}} {
		m, fs := newTestModel(t, "io-threads")
		_, cmd := m.Update(k)
		if cmd == nil {
			t.Fatalf("%s returned no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%s did not quit", k)
		}
		if !fs.last().stopped.Load() {
			t.Fatalf("%s quit without stopping the session", k)
		}
	}
}

func TestStaleMessagesAreDropped(t *testing.T) {
	m, fs := newTestModel(t, "io-sequential")
	oldID := m.runID
	oldStart := startSession(m.owner, fs.start, m.runID, "io-sequential", m.cfg.Params)
	m = press(t, m, keyRune('4'))

	// A snapshot, a close and a tick of the old run arrive after the switch.
	old := ioSequentialRun()
	m = update(t, m, runUpdateMsg{id: oldID, run: old})
	m = update(t, m, runClosedMsg{id: oldID})
	if _, cmd := m.Update(tickMsg{id: oldID, at: time.Now()}); cmd != nil {
		t.Fatal("a stale tick re-armed itself")
	}
	if m.run != nil || m.state != stateRunning || m.last["io-sequential"] != nil {
		t.Fatalf("stale messages changed the new run: run %v state %v", m.run, m.state)
	}
	if v := m.View(); strings.Contains(v, "call 1") || !strings.Contains(v, "cpu-sequential —") {
		t.Fatalf("old data shown under the new scenario:\n%s", v)
	}

	// A start of the old run that completes late is stopped at once and never reaches the model.
	if msg := oldStart(); msg != nil {
		t.Fatalf("a superseded start delivered %T", msg)
	}
	if s := fs.last(); s.id != "io-sequential" || !s.stopped.Load() {
		t.Fatalf("the superseded session %s was left running", s.id)
	}
}

func TestUpdatesThenCloseFinishTheRun(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	r := ioSequentialRun()
	nm, cmd := m.Update(runUpdateMsg{id: m.runID, run: r})
	if cmd == nil {
		t.Fatal("an update did not re-arm the wait")
	}
	m = update(t, nm.(Model), runClosedMsg{id: m.runID})
	if m.state != stateFinished || m.last["io-sequential"] != r {
		t.Fatalf("closed run not finished/kept: state %v", m.state)
	}
	if _, cmd := m.Update(tickMsg{id: m.runID, at: time.Now()}); cmd != nil {
		t.Fatal("ticking goes on after the run finished")
	}
	if v := m.View(); !strings.Contains(v, "finished") || !strings.Contains(v, "this is the sequential baseline") {
		t.Fatalf("finished view:\n%s", v)
	}
}

// TestTickOnlyWhenNoSnapshotComes checks that waiting for a snapshot is the only thing that
// wakes the screen while a run goes on: it gives the snapshot when one comes, a tick only when
// none comes in time, and a tick redraws the elapsed time and waits again.
func TestTickOnlyWhenNoSnapshotComes(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	ready := make(chan *model.Run, 1)
	ready <- ioSequentialRun()
	if msg := waitForUpdateOrTick(m.runID, ready, nil, time.Hour)(); msg == nil {
		t.Fatal("a waiting snapshot was not delivered")
	} else if _, ok := msg.(runUpdateMsg); !ok {
		t.Fatalf("with a snapshot waiting, got %T", msg)
	}

	silent := make(chan *model.Run)
	msg := waitForUpdateOrTick(m.runID, silent, nil, time.Millisecond)()
	tk, ok := msg.(tickMsg)
	if !ok || tk.id != m.runID {
		t.Fatalf("with no snapshot coming, got %#v; want a tick of run %d", msg, m.runID)
	}
	before := m.elapsed()
	nm, cmd := m.Update(tickMsg{id: m.runID, at: m.startedAt.Add(3 * time.Second)})
	if cmd == nil {
		t.Fatal("a tick while running did not wait again")
	}
	if got := nm.(Model).elapsed(); got <= before || got != 3*time.Second {
		t.Fatalf("elapsed after the tick: %v (before %v); want 3s", got, before)
	}

	done := make(chan struct{})
	close(done)
	if msg := waitForUpdateOrTick(m.runID, silent, done, time.Hour)(); msg != nil {
		t.Fatalf("a stopped run's wait delivered %T", msg)
	}
}

// TestHelpFollowsTheKeysInForce checks that the help line, drawn once and kept, is drawn again
// when a key comes into force or goes out of it, and when the full help is asked for.
func TestHelpFollowsTheKeysInForce(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	m = update(t, m, tea.WindowSizeMsg{Width: 200, Height: 40}) // the whole help line fits
	helpLine := func(m Model) string {
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		return lines[len(lines)-1]
	}
	if l := helpLine(m); strings.Contains(l, "replay") {
		t.Fatalf("replay offered before any run finished: %q", l)
	}
	r := ioSequentialRun()
	r.Finished = true
	m = update(t, m, runUpdateMsg{id: m.runID, run: r})
	m = update(t, m, runClosedMsg{id: m.runID})
	if l := helpLine(m); !strings.Contains(l, "p replay") {
		t.Fatalf("replay not offered once the run finished: %q", l)
	}
	m = press(t, m, keyRune('r'))
	if l := helpLine(m); strings.Contains(l, "replay") {
		t.Fatalf("replay still offered while the rerun goes on: %q", l)
	}
	m = press(t, m, keyRune('?'))
	if v := ansi.Strip(m.View()); !strings.Contains(v, "close help") {
		t.Fatalf("full help not drawn after ?:\n%s", v)
	}
}

func TestStartErrorIsShown(t *testing.T) {
	m := New(Config{Scenario: "io-asyncio", Params: scenarios.DefaultParams(), Start: playbackStarter()})
	defer m.Close()
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = update(t, m, m.Init()())
	if v := m.View(); !strings.Contains(v, "could not start io-asyncio: no recording for io-asyncio") {
		t.Fatalf("start error not shown:\n%s", v)
	}
}

func TestRunErrorIsShown(t *testing.T) {
	m, _ := newTestModel(t, "cpu-goroutines")
	r := cpuGoroutinesRun()
	r.Err = "child killed by signal 9"
	m = update(t, m, runUpdateMsg{id: m.runID, run: r})
	m = update(t, m, runClosedMsg{id: m.runID})
	if v := m.View(); !strings.Contains(v, "run failed: child killed by signal 9") {
		t.Fatalf("run error not shown:\n%s", v)
	}
	if m.last["cpu-goroutines"] != nil {
		t.Fatal("a failed run was kept as a baseline")
	}
}

func TestTooSmall(t *testing.T) {
	m, _ := newTestModel(t, "io-threads")
	m = update(t, m, tea.WindowSizeMsg{Width: 79, Height: 30})
	if v := m.View(); !strings.Contains(v, "terminal too small: need at least 80×24, have 79×30") {
		t.Fatalf("no too-small message:\n%s", v)
	}
	m = update(t, m, tea.WindowSizeMsg{Width: 30, Height: 10})
	if v := m.View(); !strings.Contains(v, "have 30×10") {
		t.Fatalf("no too-small message at 30×10:\n%s", v)
	}
	checkFits(t, m.View(), 30, 10)
}

func TestFixedSizeOverridesTheTerminal(t *testing.T) {
	m := New(Config{Scenario: "io-threads", Start: playbackStarter(), Width: 90, Height: 26})
	defer m.Close()
	m = update(t, m, tea.WindowSizeMsg{Width: 200, Height: 60})
	checkFits(t, m.View(), 90, 26)
}

// TestEveryLineFits draws every recording, live and finished, at many sizes.
func TestEveryLineFits(t *testing.T) {
	sizes := [][2]int{{80, 24}, {81, 25}, {100, 30}, {120, 40}, {200, 60}, {80, 60}, {200, 24}}
	for id, snaps := range recorded() {
		for _, size := range sizes {
			m, _ := newTestModel(t, id)
			m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			for _, r := range snaps {
				m = update(t, m, runUpdateMsg{id: m.runID, run: r})
				checkFits(t, m.View(), size[0], size[1])
			}
			m = update(t, m, runClosedMsg{id: m.runID})
			m = press(t, m, keyRune('?'))
			checkFits(t, m.View(), size[0], size[1])
		}
	}
}

func checkFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Fatalf("%d lines at height %d:\n%s", len(lines), h, view)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Fatalf("line %d is %d wide at width %d: %q", i, n, w, l)
		}
	}
}
