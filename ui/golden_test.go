package ui

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestGoldenGILZoomed is cpu-threads-gil zoomed in with z six times: the lock's turns, one
// thread running at a time, on an axis in ms.
func TestGoldenGILZoomed(t *testing.T) {
	m := New(Config{Scenario: "cpu-threads-gil", Params: scenarios.DefaultParams(), Start: playbackStarter()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	waitText(t, tm, "✓ finished")
	for range 6 {
		tm.Send(keyRune('z'))
	}
	waitText(t, tm, "zoom ×64")
	tm.Send(keyRune('q'))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	defer Shutdown(final)
	teatest.RequireEqualOutput(t, []byte(final.View()))
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

// goldens are the golden files the TestGolden tests compare screens with (testdata/NAME.golden).
var goldens = []string{
	"TestGoldenCPU/100x30", "TestGoldenCPU/80x24", "TestGoldenCompare/100x30", "TestGoldenCompare/120x40",
	"TestGoldenCompare/80x24", "TestGoldenCoreLanes",
	"TestGoldenGILZoomed", "TestGoldenIO/100x30", "TestGoldenIO/80x24", "TestGoldenProjector/100x30",
	"TestGoldenProjector/200x60", "TestGoldenTooSmall",
}

// TestGoldenFilesExist: testdata holds exactly the goldens the tests compare with, each a
// screen. A golden that is missing would only be written by a run with -update, which then
// passes whatever it drew; one that no test reads any more is a stale picture.
func TestGoldenFilesExist(t *testing.T) {
	var found []string
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".golden") {
			found = append(found, strings.TrimSuffix(filepath.ToSlash(strings.TrimPrefix(path, "testdata"+string(filepath.Separator))), ".golden"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(found)
	if !slices.Equal(found, goldens) {
		t.Fatalf("testdata holds the goldens %q, the tests compare with %q", found, goldens)
	}
	for _, g := range goldens {
		b, err := os.ReadFile(filepath.Join("testdata", g+".golden"))
		if err != nil || strings.Count(string(b), "\n") < 10 {
			t.Errorf("%s: not a screen (%d bytes, %v)", g, len(b), err)
		}
	}
}

// TestGoldenProjector is projector mode after cpu-sequential and cpu-goroutines: lanes several
// rows tall, ╳ for ready and ╱ for other programs, the larger summary; at 200×60 the lanes fill
// the screen rather than leaving half of it blank.
func TestGoldenProjector(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := New(Config{Scenario: "cpu-sequential", Params: scenarios.DefaultParams(), Start: playbackStarter(), Projector: true})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(size[0], size[1]))
			waitText(t, tm, "✓ finished")
			tm.Send(keyRune('7'))
			waitText(t, tm, "× vs ")
			tm.Send(keyRune('q'))
			final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
			defer Shutdown(final)
			v := final.View()
			blank := 0
			for _, l := range strings.Split(v, "\n") {
				if strings.TrimSpace(l) == "" {
					blank++
				}
			}
			if blank*4 > size[1] {
				t.Errorf("%d of %d lines are blank:\n%s", blank, size[1], v)
			}
			teatest.RequireEqualOutput(t, []byte(v))
		})
	}
}
