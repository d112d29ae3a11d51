package ui

import (
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

func TestWorkKeysChangeCallsOrChunksAndRerun(t *testing.T) {
	m, fs := newTestModel(t, "io-threads")
	first := fs.last()
	m = press(t, m, keyRune('+'))
	if m.cfg.Params.Calls != 5 || !stoppedSoon(first) || fs.last() == first {
		t.Fatalf("+ on io: calls %d, rerun %v", m.cfg.Params.Calls, fs.last() != first)
	}
	if !strings.Contains(m.View(), "calls 5 · latency 1s") {
		t.Fatalf("knobs not shown:\n%s", m.View())
	}
	m = press(t, m, keyRune('6'))
	m = press(t, m, keyRune('-'))
	if m.cfg.Params.Chunks != 3 || m.cfg.Params.Calls != 5 {
		t.Fatalf("- on cpu: chunks %d calls %d", m.cfg.Params.Chunks, m.cfg.Params.Calls)
	}
	m.cfg.Params.Chunks = 1
	n := len(fs.sessions)
	if m = press(t, m, keyRune('-')); m.cfg.Params.Chunks != 1 || !strings.Contains(m.View(), "--chunks must be between 1") || len(fs.sessions) != n {
		t.Fatalf("an invalid chunk count was taken or rerun: %d\n%s", m.cfg.Params.Chunks, m.View())
	}
}

func TestLatencyKeys(t *testing.T) {
	m, _ := newTestModel(t, "io-asyncio")
	m = press(t, m, keyRune('['))
	if m.cfg.Params.Latency != 500*time.Millisecond {
		t.Fatalf("[ gave %s", m.cfg.Params.Latency)
	}
	m = press(t, m, keyRune(']'))
	m = press(t, m, keyRune(']'))
	if m.cfg.Params.Latency != 2*time.Second {
		t.Fatalf("] ] gave %s", m.cfg.Params.Latency)
	}
	for range 20 {
		m = press(t, m, keyRune('['))
	}
	if m.cfg.Params.Latency != latencyFloor {
		t.Fatalf("halving stopped at %s", m.cfg.Params.Latency)
	}
	m = press(t, m, keyRune('4'))
	if m = press(t, m, keyRune(']')); m.cfg.Params.Latency != latencyFloor {
		t.Fatal("latency keys work for a CPU-bound scenario")
	}
}

func TestCoreKeys(t *testing.T) {
	m, _ := newTestModel(t, "cpu-goroutines")
	all := runtime.NumCPU()
	m = press(t, m, keyRune('<'))
	want := max(all-1, 1)
	if want == all {
		want = 0
	}
	if m.cfg.Params.Cores != want {
		t.Fatalf("< gave cores %d, want %d", m.cfg.Params.Cores, want)
	}
	for range all + 2 {
		m = press(t, m, keyRune('<'))
	}
	if all > 1 && (m.cfg.Params.Cores != 1 || !strings.Contains(m.View(), "cores 1/")) {
		t.Fatalf("cores bottomed at %d\n%s", m.cfg.Params.Cores, m.View())
	}
	for range all + 2 {
		m = press(t, m, keyRune('>'))
	}
	if m.cfg.Params.Cores != 0 || !strings.Contains(m.View(), "cores all") {
		t.Fatalf("cores topped at %d, want 0 (all)", m.cfg.Params.Cores)
	}
	if err := m.cfg.Params.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestReplayKeys(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	if _, cmd := m.Update(keyRune('p')); cmd != nil {
		t.Fatal("p replays an unfinished run")
	}
	m = finishRun(t, m, ioSequentialRun())
	nm, cmd := m.Update(keyRune('p'))
	m = nm.(Model)
	if cmd == nil || !m.replay.on || !m.replay.playing || m.replay.at != 0 {
		t.Fatalf("p did not start the replay: %+v", m.replay)
	}
	if speedText(m.replay.speed) != "1×" {
		t.Fatalf("a replay starts at %s", speedText(m.replay.speed))
	}
	for range len(replaySpeeds) {
		m = press(t, m, keyRune('s'))
	}
	if speedText(m.replay.speed) != "1×" {
		t.Fatalf("speed %s after s, s, s", speedText(m.replay.speed))
	}
	tag := m.replay.tag
	nm, cmd = m.Update(replayTickMsg{tag: tag})
	m = nm.(Model)
	if m.replay.at != replayInterval || cmd == nil {
		t.Fatalf("a tick moved the cursor to %s", m.replay.at)
	}
	if _, cmd := m.Update(replayTickMsg{tag: tag - 1}); cmd != nil {
		t.Fatal("a stale replay tick re-armed itself")
	}
	m = press(t, m, keyRune('p')) // pause
	if m.replay.playing {
		t.Fatal("p did not pause")
	}
	if _, cmd := m.Update(replayTickMsg{tag: tag}); cmd != nil {
		t.Fatal("ticks go on while paused")
	}
	// A step is a tenth of the time shown (the whole run's axis, 4.2 s); alt+. one cell of it.
	v := m.timeline.timeView()
	tenth, cell := (v.end-v.start)/10, (v.end-v.start)/time.Duration(m.timeline.plotWidth())
	for range 2 {
		m = press(t, m, keyRune('.'))
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("."), Alt: true})
	want := replayInterval + 2*tenth + cell
	if m.replay.at != want {
		t.Fatalf("cursor at %s after two steps and a cell, want %s", m.replay.at, want)
	}
	view := m.View()
	for _, s := range []string{"Replay at " + fmtDur(want) + " of 4.01 s", "call 1: waiting for response, " + fmtSecs(want-ms), "│"} {
		if !strings.Contains(view, s) {
			t.Fatalf("replay view lacks %q:\n%s", s, view)
		}
	}
	m = press(t, m, keyRune(','))
	if m.replay.at != want-tenth {
		t.Fatalf("step back gave %s", m.replay.at)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyHome})
	if m.replay.at != 0 || m.replay.playing {
		t.Fatalf("home put the cursor at %s (playing %v)", m.replay.at, m.replay.playing)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnd})
	if m.replay.at != 4012*ms {
		t.Fatalf("end put the cursor at %s", m.replay.at)
	}
	m = press(t, m, keyRune(','))
	for range 20 {
		m = press(t, m, keyRune('.'))
	}
	if m.replay.at != 4012*ms {
		t.Fatalf("cursor ran past the end: %s", m.replay.at)
	}
	if m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}); m.replay.on || strings.Contains(m.View(), "Replay at") {
		t.Fatal("esc did not end the replay")
	}
	m = press(t, m, keyRune('p'))
	if m = press(t, m, keyRune('r')); m.replay.on {
		t.Fatal("a rerun kept the replay")
	}
}

// squash is s with every run of spaces made one, as a reader sees the words.
func squash(s string) string {
	var b strings.Builder
	for i, l := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(strings.Join(strings.Fields(l), " "))
	}
	return b.String()
}

func TestFullHelpListsTheNewKeys(t *testing.T) {
	m, _ := newTestModel(t, "io-sequential")
	m = finishRun(t, m, ioSequentialRun())
	m = press(t, m, keyRune('?'))
	v := m.View()
	checkFits(t, v, 100, 30)
	for _, s := range []string{"a run all", "c compare", "k core lanes", "e explain", "d details", "P projector", "+/- calls/chunks",
		"[/] latency", "</> cores", "p replay", "s speed", ",/. step ⅒", "alt+,/. a cell", "home/end start/end", "x export", "q quit"} {
		if !strings.Contains(squash(v), s) {
			t.Fatalf("full help lacks %q:\n%s", s, v)
		}
	}
	// At the smallest size every column is there, whole, and nothing below the help is cut.
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = press(t, m, keyRune('z'))
	v = m.View()
	checkFits(t, v, 80, 24)
	for _, s := range []string{"q quit", "z/Z zoom in/out", "0 whole run", "home/end start/end", "? close help"} {
		if !strings.Contains(squash(v), s) {
			t.Fatalf("full help at 80×24 lacks %q:\n%s", s, v)
		}
	}
	lines := strings.Split(v, "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(squash(last), "q quit") {
		t.Fatalf("the full help at 80×24 does not end the screen whole (%q):\n%s", last, v)
	}
}
