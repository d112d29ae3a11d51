package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/scenarios"
)

func TestExportKeyWritesTheFinishedRun(t *testing.T) {
	m, _ := newTestModel(t, "io-threads")
	dir := t.TempDir()
	t.Chdir(dir) // the status line names the files as given
	m.cfg.ExportTrace = "lesson.json"
	m.cfg.GoTrace = "lesson.trace"
	x := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}

	if _, cmd := m.Update(x); cmd != nil {
		t.Fatal("x before the run has finished should do nothing")
	}
	run := &model.Run{Scenario: "io-threads", Finished: true, Wall: time.Second, Elapsed: time.Second,
		Tasks: []model.Task{{Name: "call 1", Kind: model.KindGoroutine, Intervals: []model.Interval{
			{Start: 0, End: time.Second, State: model.StateWaiting, Core: model.NoCore, Reason: model.ReasonSleep}}}}}
	m = update(t, m, runUpdateMsg{id: m.runID, run: run})
	nm, cmd := m.Update(x)
	if cmd == nil {
		t.Fatal("x on a finished run should export it")
	}
	m = update(t, nm.(Model), cmd())

	chrome := filepath.Join(dir, "lesson.io-threads.json")
	b, err := os.ReadFile(chrome)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TraceEvents []map[string]any `json:"traceEvents"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.TraceEvents) == 0 {
		t.Fatalf("%s is not a trace: %v", chrome, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lesson.io-threads.trace")); err == nil {
		t.Error("a run that kept no Go trace should not get a trace file")
	}
	if v := m.View(); !strings.Contains(v, "exported") || !strings.Contains(v, "lesson.io-threads.json") ||
		!strings.Contains(v, "lesson.io-threads.svg") {
		t.Fatalf("the screen does not name the files:\n%s", v)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "lesson.io-threads.svg"))
	if err != nil || !strings.HasPrefix(string(svg), "<?xml") || !strings.Contains(string(svg), "<svg") ||
		!strings.Contains(string(svg), "call 1") {
		t.Fatalf("the picture of the screen is not an SVG of it (%v):\n%.300s", err, svg)
	}

	// A run that kept its raw Go trace gets that file too.
	kept := *run
	kept.GoTrace = []byte("go 1.26 trace\x00")
	m = update(t, m, runUpdateMsg{id: m.runID, run: &kept})
	nm, cmd = m.Update(x)
	m = update(t, nm.(Model), cmd())
	if b, err := os.ReadFile(filepath.Join(dir, "lesson.io-threads.trace")); err != nil || string(b) != string(kept.GoTrace) {
		t.Fatalf("the Go trace was not written as kept: %q, %v", b, err)
	}
}

// TestExportKeyDuringARunSaysWhy: x before the run has finished writes nothing and says why, and
// the message goes once the run has finished.
func TestExportKeyDuringARunSaysWhy(t *testing.T) {
	m, _ := newTestModel(t, "io-threads")
	x := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}
	nm, cmd := m.Update(x)
	m = nm.(Model)
	if cmd != nil {
		t.Fatal("x during a run should write nothing")
	}
	if v := m.View(); !strings.Contains(v, "once the run has finished") {
		t.Fatalf("x during a run says nothing:\n%s", v)
	}
	run := &model.Run{Scenario: "io-threads", Finished: true, Wall: time.Second, Elapsed: time.Second}
	m = update(t, m, runUpdateMsg{id: m.runID, run: run})
	m = update(t, m, runClosedMsg{id: m.runID})
	if v := m.View(); strings.Contains(v, "once the run has finished") {
		t.Fatalf("the message stays after the run has finished:\n%s", v)
	}
}

// TestExportKeyInTheComparisonWritesItsPicture: x in the comparison writes it as an SVG picture,
// with the same glyphs; before any run has finished it says why it does nothing.
func TestExportKeyInTheComparisonWritesItsPicture(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	m, _ := newTestModel(t, "io-sequential")
	m = press(t, m, keyRune('c'))
	if _, cmd := m.Update(keyRune('x')); cmd != nil {
		t.Fatal("x in an empty comparison writes something")
	}
	m = allModel(t, 100, 30)
	nm, cmd := m.Update(keyRune('x'))
	if cmd == nil {
		t.Fatal("x in the comparison does nothing")
	}
	m = update(t, nm.(Model), cmd())
	svg, err := os.ReadFile(filepath.Join(dir, "timeslice.compare.svg"))
	if err != nil || !strings.Contains(string(svg), "Lesson matrix") || !strings.Contains(string(svg), "cpu-goroutines") {
		t.Fatalf("no picture of the comparison (%v)", err)
	}
	if v := m.View(); !strings.Contains(v, "exported timeslice.compare.svg") {
		t.Fatalf("the screen does not name the picture:\n%s", v)
	}
}

// TestPictureIsTheFinishedView: the picture run --export-svg draws is the live view of the
// finished run, at its size, with its sentence and speedup.
func TestPictureIsTheFinishedView(t *testing.T) {
	v := Picture(ioThreadsRun(), ioSequentialRun(), scenarios.DefaultParams(), 100, 30)
	checkFits(t, v, 100, 30)
	for _, want := range []string{"▸2 io-threads", "call 4", "✓ finished", "The 4 waits overlapped", "speedup 4.00×"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the picture lacks %q:\n%s", want, v)
		}
	}
}
