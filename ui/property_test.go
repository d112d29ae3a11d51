package ui

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
	"timeslice/observe"
	"timeslice/scenarios"
)

// countingStarter plays recordings back and counts the sessions started and not yet stopped.
type countingStarter struct {
	rec map[string][]*model.Run

	mu      sync.Mutex
	live    int
	started int
}

func (c *countingStarter) start(id string, _ scenarios.Params) (observe.Session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live++
	c.started++
	return &countedSession{Session: observe.Playback(c.rec[id]...), c: c}, nil
}

func (c *countingStarter) liveNow() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

type countedSession struct {
	observe.Session
	c    *countingStarter
	once sync.Once
}

func (s *countedSession) Stop() {
	s.Session.Stop()
	s.once.Do(func() {
		s.c.mu.Lock()
		s.c.live--
		s.c.mu.Unlock()
	})
}

// driver runs a model as a program would, without a terminal, and always the same way: every
// command runs to its answer at once (the recorded sessions answer at once), except the
// model's timers, whose messages wait in later until the next step has been taken.
type driver struct {
	t     *testing.T
	m     Model
	later []tea.Msg
}

// laterMsg is a timer's message, held back by the driver's tick.
type laterMsg struct{ msg tea.Msg }

// newDriver drives m, its timers held back to the next step.
func newDriver(t *testing.T, m Model) *driver {
	m.tick = func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		return func() tea.Msg { return laterMsg{fn(time.Time{})} }
	}
	return &driver{t: t, m: m}
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	var cmd tea.Cmd
	d.m, cmd = d.m.handle(msg)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd != nil {
		d.apply(cmd())
	}
}

func (d *driver) apply(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, tea.QuitMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case laterMsg:
		d.later = append(d.later, msg.msg)
	default:
		d.send(msg)
	}
}

// step sends msg, then the timers' messages held back so far, and waits for the sessions
// the model stopped in the background.
func (d *driver) step(msg tea.Msg) {
	d.send(msg)
	later := d.later
	d.later = nil
	for _, m := range later {
		d.apply(m)
	}
	d.m.owner.stopping.Wait()
}

var propertyKeys = []tea.KeyMsg{
	{Type: tea.KeyLeft}, {Type: tea.KeyRight}, {Type: tea.KeyUp}, {Type: tea.KeyDown},
	{Type: tea.KeyTab}, {Type: tea.KeyShiftTab}, {Type: tea.KeyEsc}, {Type: tea.KeySpace},
	{Type: tea.KeyEnter}, {Type: tea.KeyPgUp}, {Type: tea.KeyPgDown}, {Type: tea.KeyHome}, {Type: tea.KeyEnd},
}

func randomKey(r *rand.Rand) tea.Msg {
	const runes = "0123456789rcakepsf?+=-[]<>,.qxzjZZzzhlzZ"
	if r.IntN(3) == 0 {
		return propertyKeys[r.IntN(len(propertyKeys))]
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{rune(runes[r.IntN(len(runes))])}}
}

// keysSeed picks the key sequences of TestRandomKeysKeepTheInvariants; a failure names the
// seed that replays it: go test ./ui -run RandomKeys -keys.seed N.
var keysSeed = flag.Uint64("keys.seed", 1, "seed of the random key sequences")

// TestRandomKeysKeepTheInvariants sends thousands of random key sequences and window sizes
// (down to 20×5) to the root model, with recorded runs played back: it never panics, no
// line of the view is wider than the window, the selected scenario is always a real one,
// and at most one session is alive at a time. The same seed sends the same sequences.
func TestRandomKeysKeepTheInvariants(t *testing.T) {
	sequences, steps := 1000, 8
	if testing.Short() {
		sequences = 200
	}
	seed := *keysSeed
	t.Logf("seed %d (replay with -keys.seed %d)", seed, seed)
	r := rand.New(rand.NewPCG(seed, 1))
	rec := recorded()
	for _, id := range scenarios.IDs() {
		if rec[id] == nil {
			rec[id] = rec["io-threads"]
		}
	}
	ids := scenarios.IDs()
	cs := &countingStarter{rec: rec}
	export := filepath.Join(t.TempDir(), "keys.json") // a random x exports: never into the source tree
	for seq := range sequences {
		w, h := 20+r.IntN(200), 5+r.IntN(60)
		d := newDriver(t, New(Config{Scenario: ids[r.IntN(len(ids))], Params: scenarios.DefaultParams(), Start: cs.start,
			ExportTrace: export}))
		d.step(tea.WindowSizeMsg{Width: w, Height: h})
		d.run(d.m.Init())
		var trail []string
		for range steps {
			var msg tea.Msg
			if r.IntN(6) == 0 {
				w, h = 20+r.IntN(200), 5+r.IntN(60)
				msg = tea.WindowSizeMsg{Width: w, Height: h}
			} else {
				msg = randomKey(r)
			}
			trail = append(trail, describeMsg(msg))
			d.step(msg)
			if !slices.Contains(ids, d.m.Selected()) {
				t.Fatalf("seed %d sequence %d %v: selected %q", seed, seq, trail, d.m.Selected())
			}
			for i, line := range strings.Split(d.m.View(), "\n") {
				if lw := ansi.StringWidth(line); lw > w {
					t.Fatalf("seed %d sequence %d %v: line %d is %d wide in a %d×%d window: %q", seed, seq, trail, i, lw, w, h, line)
				}
			}
			if n := cs.liveNow(); n > 1 {
				t.Fatalf("seed %d sequence %d %v: %d sessions alive", seed, seq, trail, n)
			}
		}
		d.m.Close()
		if n := cs.liveNow(); n != 0 {
			t.Fatalf("seed %d sequence %d %v: %d sessions alive after Close", seed, seq, trail, n)
		}
	}
	t.Logf("%d sessions started", cs.started)
	if stray, _ := filepath.Glob("timeslice.*"); len(stray) > 0 {
		t.Errorf("the keys wrote %v into the package directory", stray)
	}
}

func describeMsg(msg tea.Msg) string {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		return fmt.Sprintf("size %d×%d", ws.Width, ws.Height)
	}
	return fmt.Sprint(msg)
}
