package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/scenarios"
)

func TestParseTour(t *testing.T) {
	script := `# A lesson on waiting.

caption Four calls, one after another   # the caption keeps this
run io-sequential --calls 4
wait 6s          # or: wait done
	key c
key space
key shift+tab
key ?
run io-threads --latency=200ms
wait done
compare
wait 1.5s
quit
`
	tour, err := ParseTour(strings.NewReader(script))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line int
		kind StepKind
	}{{3, StepCaption}, {4, StepRun}, {5, StepWait}, {6, StepKey}, {7, StepKey}, {8, StepKey}, {9, StepKey},
		{10, StepRun}, {11, StepWait}, {12, StepCompare}, {13, StepWait}, {14, StepQuit}}
	if len(tour.Steps) != len(want) {
		t.Fatalf("%d steps, want %d: %+v", len(tour.Steps), len(want), tour.Steps)
	}
	for i, w := range want {
		if s := tour.Steps[i]; s.Line != w.line || s.Kind != w.kind {
			t.Errorf("step %d: line %d %s, want line %d %s", i, s.Line, s.Kind, w.line, w.kind)
		}
	}
	s := tour.Steps
	if s[0].Caption != "Four calls, one after another   # the caption keeps this" {
		t.Errorf("caption %q", s[0].Caption)
	}
	if s[1].Scenario != "io-sequential" || strings.Join(s[1].Args, " ") != "--calls 4" {
		t.Errorf("run %q %q", s[1].Scenario, s[1].Args)
	}
	if s[2].Wait != 6*time.Second || s[2].UntilDone {
		t.Errorf("wait %v done=%v", s[2].Wait, s[2].UntilDone)
	}
	for i, k := range []string{"c", " ", "shift+tab", "?"} {
		if got := s[3+i].Key.String(); got != k {
			t.Errorf("key step %d is %q, want %q", i, got, k)
		}
	}
	if !s[8].UntilDone || s[8].Wait != 0 {
		t.Errorf("wait done parsed as %+v", s[8])
	}
	if s[10].Wait != 1500*time.Millisecond {
		t.Errorf("wait 1.5s parsed as %+v", s[10])
	}

	base := scenarios.DefaultParams()
	base.Chunks = 8
	p, err := s[7].Params(base)
	if err != nil {
		t.Fatal(err)
	}
	if p.Latency != 200*time.Millisecond || p.Chunks != 8 || p.Calls != base.Calls {
		t.Errorf("run flags over the base gave %+v", p)
	}
}

func TestParseTourErrors(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{"run io-threads\n\njump 3\n", `tour line 3: unknown step "jump"`},
		{"run nope\n", `tour line 1: unknown scenario "nope"`},
		{"run\n", "tour line 1: run needs a scenario"},
		{"run io-threads --calls 0\n", "tour line 1: --calls must be between"},
		{"run io-threads --frobnicate\n", "tour line 1: flag provided but not defined: -frobnicate"},
		{"run io-threads --calls\n", "tour line 1: flag needs an argument"},
		{"run io-threads io-sequential\n", `tour line 1: run takes one scenario, then flags; "io-sequential" is extra`},
		{"run io-threads\nwait\n", "tour line 2: wait takes one duration"},
		{"run io-threads\nwait soon\n", `tour line 2: wait "soon": want a duration`},
		{"run io-threads\nwait -1s\n", "tour line 2: wait -1s: must be more than 0s"},
		{"run io-threads\nwait 11m\n", "tour line 2: wait 11m0s: must be more than 0s and at most 10m0s"},
		{"# nothing yet\nwait done\n", "tour line 2: wait done before any run"},
		{"compare\n", "tour line 1: compare before any run"},
		{"run io-threads\ncompare now\n", `tour line 2: compare takes nothing after it`},
		{"key\n", "tour line 1: key takes one key"},
		{"key ctrl+nothing\n", `tour line 1: unknown key "ctrl+nothing"`},
		{"key c d\n", "tour line 1: key takes one key"},
		{"quit\ncaption too late\n", "tour line 2: caption after quit (line 1)"},
		{"# only comments\n\n", "tour: no steps"},
		{"", "tour: no steps"},
	} {
		_, err := ParseTour(strings.NewReader(tc.script))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseTour(%q) error = %v, want one containing %q", tc.script, err, tc.want)
		}
	}
}

func TestParseKey(t *testing.T) {
	for in, want := range map[string]tea.KeyMsg{
		"c":         {Type: tea.KeyRunes, Runes: []rune{'c'}},
		"3":         {Type: tea.KeyRunes, Runes: []rune{'3'}},
		"é":         {Type: tea.KeyRunes, Runes: []rune{'é'}},
		"enter":     {Type: tea.KeyEnter},
		"esc":       {Type: tea.KeyEsc},
		"left":      {Type: tea.KeyLeft},
		"tab":       {Type: tea.KeyTab},
		"pgdown":    {Type: tea.KeyPgDown},
		"ctrl+c":    {Type: tea.KeyCtrlC},
		"space":     {Type: tea.KeySpace, Runes: []rune{' '}},
		"shift+tab": {Type: tea.KeyShiftTab},
	} {
		got, err := parseKey(in)
		if err != nil || got.String() != want.String() || got.Type != want.Type {
			t.Errorf("parseKey(%q) = %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ab", "Enter", "\x01", "runes"} {
		if _, err := parseKey(bad); err == nil {
			t.Errorf("parseKey(%q) accepted", bad)
		}
	}
}

// TestDefaultTour: every scenario in order, each with a caption before it and another once it
// has finished, then a hold; it opens the explanation, zooms in and shows the core lanes on
// the way, and ends on the comparison, held, then quits. Its numbers follow the knobs.
func TestDefaultTour(t *testing.T) {
	tour := DefaultTour(scenarios.DefaultParams())
	var runs []string
	keys := map[string]bool{}
	for i, s := range tour.Steps {
		switch s.Kind {
		case StepKey:
			keys[s.Key.String()] = true
		case StepRun:
			runs = append(runs, s.Scenario)
			if prev := tour.Steps[i-1]; prev.Kind != StepCaption || prev.Caption == "" {
				t.Errorf("%s is not preceded by a caption: %+v", s.Scenario, prev)
			}
			if next := tour.Steps[i+1]; !next.UntilDone {
				t.Errorf("%s is not followed by wait done: %+v", s.Scenario, next)
			}
			if after := tour.Steps[i+2]; after.Kind != StepCaption {
				t.Errorf("%s is not followed by a caption of what it showed: %+v", s.Scenario, after)
			}
		}
	}
	if strings.Join(runs, " ") != strings.Join(scenarios.IDs(), " ") {
		t.Errorf("runs %q, want every scenario in order", runs)
	}
	for _, k := range []string{"e", "k", "z", "0"} {
		if !keys[k] {
			t.Errorf("the tour never presses %s", k)
		}
	}
	n := len(tour.Steps)
	if tour.Steps[n-4].Kind != StepCompare || tour.Steps[n-3].Kind != StepHold || tour.Steps[n-1].Kind != StepQuit {
		t.Errorf("the tour ends with %+v", tour.Steps[n-4:])
	}
	p := scenarios.DefaultParams()
	p.Latency = 200 * time.Millisecond
	script := DefaultTourScript(p)
	if strings.Contains(script, " 1s") || !strings.Contains(script, "4 × 200ms = 800ms") {
		t.Errorf("the tour's numbers do not follow --latency 200ms:\n%s", script)
	}
}

// TestToursDocExampleParses keeps the example script in docs/tours.md a tour that plays.
func TestToursDocExampleParses(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "tours.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```text\n")
	script, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("docs/tours.md has no ```text example")
	}
	tour, err := ParseTour(strings.NewReader(script))
	if err != nil {
		t.Fatalf("the example does not parse: %v", err)
	}
	if n := len(tour.Steps); n != 9 || tour.Steps[n-1].Kind != StepQuit {
		t.Fatalf("the example has %d steps, want 9 ending in quit", n)
	}
}

func TestPythonTourParses(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "examples", "python.tour"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tour, err := ParseTour(f)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range tour.Programs() {
		ids = append(ids, p.ID)
		if _, err := os.Stat(filepath.Join("..", p.Command[1])); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
	want := []string{"py: io_sequential", "py: io_threads", "py: io_asyncio", "py: cpu_sequential", "py: cpu_threads", "py: cpu_processes"}
	if !slices.Equal(ids, want) {
		t.Errorf("the tour watches %v, want %v", ids, want)
	}
	if _, err := ParseTour(strings.NewReader("watch\n")); err == nil || !strings.Contains(err.Error(), "tour line 1: watch needs a program") {
		t.Errorf("watch without a program: %v", err)
	}
}
