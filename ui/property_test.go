package ui

import (
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

// settle returns the live count once it is at most want, or after 100 ms: a start that lost
// the race to a newer run (or to Close) is stopped as soon as it returns.
func (c *countingStarter) settle(want int) int {
	deadline := time.Now().Add(100 * time.Millisecond)
	for c.liveNow() > want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return c.liveNow()
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

// driver runs a model as a program would, without a terminal: every command runs on a
// goroutine of its own; one that answers at once is applied at once, a slow one (a tick)
// whenever it answers.
type driver struct {
	t    *testing.T
	m    Model
	late chan tea.Msg
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	nm, cmd := d.m.Update(msg)
	d.m = nm.(Model)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	now := make(chan tea.Msg, 1)
	go func() { now <- cmd() }()
	select {
	case msg := <-now:
		d.apply(msg)
	case <-time.After(200 * time.Microsecond):
		go func() { d.late <- <-now }() // it answers later, through late
	}
}

func (d *driver) apply(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, tea.QuitMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	default:
		d.send(msg)
	}
}

// drain applies the late answers that have arrived.
func (d *driver) drain() {
	for {
		select {
		case msg := <-d.late:
			d.apply(msg)
		default:
			return
		}
	}
}

var propertyKeys = []tea.KeyMsg{
	{Type: tea.KeyLeft}, {Type: tea.KeyRight}, {Type: tea.KeyUp}, {Type: tea.KeyDown},
	{Type: tea.KeyTab}, {Type: tea.KeyShiftTab}, {Type: tea.KeyEsc}, {Type: tea.KeySpace},
	{Type: tea.KeyEnter}, {Type: tea.KeyPgUp}, {Type: tea.KeyPgDown}, {Type: tea.KeyHome}, {Type: tea.KeyEnd},
}

func randomKey(r *rand.Rand) tea.Msg {
	const runes = "0123456789rcakepsf?+=-[]<>,.qxzj"
	if r.IntN(3) == 0 {
		return propertyKeys[r.IntN(len(propertyKeys))]
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{rune(runes[r.IntN(len(runes))])}}
}

// TestRandomKeysKeepTheInvariants sends thousands of random key sequences and window sizes
// (down to 20×5) to the root model, with recorded runs played back: it never panics, no
// line of the view is wider than the window, the selected scenario is always a real one,
// and at most one session is alive at a time.
func TestRandomKeysKeepTheInvariants(t *testing.T) {
	sequences, steps := 1000, 8
	if testing.Short() {
		sequences = 200
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
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
		d := &driver{t: t, late: make(chan tea.Msg, 1024)}
		d.m = New(Config{Scenario: ids[r.IntN(len(ids))], Params: scenarios.DefaultParams(), Start: cs.start,
			ExportTrace: export})
		d.send(tea.WindowSizeMsg{Width: w, Height: h})
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
			d.send(msg)
			d.drain()
			if !slices.Contains(ids, d.m.Selected()) {
				t.Fatalf("sequence %d %v: selected %q", seq, trail, d.m.Selected())
			}
			for i, line := range strings.Split(d.m.View(), "\n") {
				if lw := ansi.StringWidth(line); lw > w {
					t.Fatalf("sequence %d %v: line %d is %d wide in a %d×%d window: %q", seq, trail, i, lw, w, h, line)
				}
			}
			if n := cs.settle(1); n > 1 {
				t.Fatalf("sequence %d %v: %d sessions alive", seq, trail, n)
			}
		}
		d.m.Close()
		if n := cs.settle(0); n != 0 {
			t.Fatalf("sequence %d %v: %d sessions alive after Close", seq, trail, n)
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
