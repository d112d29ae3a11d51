package ui

import (
	"bytes"
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
	"go.uber.org/goleak"

	"timeslice/scenarios"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	// teatest itself leaves one goroutine per test model waiting for SIGINT; everything else must end.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest.NewTestModel.func2"))
}

func keyRune(r rune) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}} }

func waitText(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// goldenAfter runs the baseline, then the scenario, and compares the finished screen with the golden.
func goldenAfter(t *testing.T, w, h int, baseline string, pick rune) {
	m := New(Config{Scenario: baseline, Params: scenarios.DefaultParams(), Start: playbackStarter()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	waitText(t, tm, "✓ finished")
	tm.Send(keyRune(pick))
	waitText(t, tm, "× vs ")
	tm.Send(keyRune('q'))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	defer Shutdown(final)
	teatest.RequireEqualOutput(t, []byte(final.View()))
}

func TestGoldenIO(t *testing.T) {
	t.Run("100x30", func(t *testing.T) { goldenAfter(t, 100, 30, "io-sequential", '2') })
	t.Run("80x24", func(t *testing.T) { goldenAfter(t, 80, 24, "io-sequential", '2') })
}

func TestGoldenCPU(t *testing.T) {
	t.Run("100x30", func(t *testing.T) { goldenAfter(t, 100, 30, "cpu-sequential", '7') })
	t.Run("80x24", func(t *testing.T) { goldenAfter(t, 80, 24, "cpu-sequential", '7') })
}

func TestGoldenTooSmall(t *testing.T) {
	m := New(Config{Scenario: "io-threads", Params: scenarios.DefaultParams(), Start: playbackStarter()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(60, 20))
	waitText(t, tm, "too small")
	tm.Send(keyRune('q'))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	defer Shutdown(final)
	teatest.RequireEqualOutput(t, []byte(final.View()))
}

// TestGoldenFilesExist keeps a forgotten -update from passing silently in CI.
func TestGoldenFilesExist(t *testing.T) {
	if _, err := os.Stat("testdata"); err != nil {
		t.Skip("no goldens yet: run go test ./ui -update")
	}
}
