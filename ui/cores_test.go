package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestOtherProgramsLoad: io-sequential hardly uses a core, but something else kept both busy.
// The bars tell the two apart by glyph (█ this run, ▓ other programs), the figure is this
// run's, and the summary says the speedups may be off.
func TestOtherProgramsLoad(t *testing.T) {
	r := ioSequentialRun()
	for i := range r.Cores {
		r.Cores[i].Percent, r.Cores[i].Ours = []float64{100, 100}, []float64{3, 1}
	}
	for _, w := range []int{80, 100} {
		m, _ := newTestModel(t, "io-sequential")
		m = update(t, m, tea.WindowSizeMsg{Width: w, Height: 30})
		m = finishRun(t, m, r)
		v := m.View()
		checkFits(t, v, w, 30)
		if !strings.Contains(v, "▓ others") || !strings.Contains(v, "█ this run") {
			t.Fatalf("%d wide: the load panel does not say which glyph is whose:\n%s", w, v)
		}
		var bar string
		for _, l := range strings.Split(v, "\n") {
			if strings.HasPrefix(l, "cpu0 ") {
				bar = l
			}
		}
		if strings.Count(bar, "▓") < 10 || !strings.Contains(bar, "  3% ") {
			t.Fatalf("%d wide: cpu0's bar %q should be mostly other programs', 3%% this run's", w, bar)
		}
		if !strings.Contains(v, "other programs used 98 % of the machine during this run") {
			t.Fatalf("%d wide: no warning about other programs:\n%s", w, v)
		}
	}
	// A quiet run says nothing of other programs.
	m, _ := newTestModel(t, "io-sequential")
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if v := finishRun(t, m, ioSequentialRun()).View(); strings.Contains(v, "other programs used") || strings.Contains(v, "▓▓") {
		t.Fatalf("a quiet run warns of other programs:\n%s", v)
	}
}

// TestLoadWithoutTheRunsShare: samples that do not say which part was the run's are drawn
// whole, and say so.
func TestLoadWithoutTheRunsShare(t *testing.T) {
	r := cpuSequentialRun()
	for i := range r.Cores {
		r.Cores[i].Ours = nil
	}
	m, _ := newTestModel(t, "cpu-sequential")
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	v := finishRun(t, m, r).View()
	if !strings.Contains(v, "(all programs)") || strings.Contains(v, "▓") {
		t.Fatalf("whole load not said to be all programs':\n%s", v)
	}
}

// TestCompareMarksRunsUnderLoad: a speedup measured while other programs kept the machine busy
// is marked, and the footnote says why.
func TestCompareMarksRunsUnderLoad(t *testing.T) {
	m := sessionModel(t, 140, 50)
	base := cpuSequentialRun()
	for i := range base.Cores {
		base.Cores[i].Percent, base.Cores[i].Ours = []float64{100, 100}, []float64{100, 20}
	}
	m.remember("cpu-sequential", base)
	m = press(t, m, keyRune('c'))
	v := m.View()
	if !strings.Contains(v, "1.96×*") || !strings.Contains(v, "* other programs used over a tenth of the machine") {
		t.Fatalf("a speedup against a baseline run under load is not marked:\n%s", v)
	}
	if strings.Contains(v, "4.00×*") {
		t.Fatalf("a quiet run's speedup is marked:\n%s", v)
	}
}
