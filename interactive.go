package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"timeslice/internal/osproc"
	"timeslice/observe"
	"timeslice/scenarios"
	"timeslice/ui"
)

// interactive is `timeslice [flags] [SCENARIO]`: the live view.
func interactive(args []string) int {
	o, positional, code, ok := parseOptions("timeslice", false, args)
	if !ok {
		return code
	}
	id := scenarios.IDs()[0]
	var tour *ui.Tour
	if o.tour {
		t, err := loadTour(positional)
		if err != nil {
			return fail(err)
		}
		tour, positional = &t, nil
	}
	switch len(positional) {
	case 0:
	case 1:
		if _, err := scenarios.Lookup(positional[0]); err != nil {
			return fail(err)
		}
		id = positional[0]
	default:
		return fail(fmt.Errorf("the live view shows one scenario at a time, got %d (use timeslice run for several)", len(positional)))
	}
	var programs []scenarios.Scenario
	if tour != nil {
		programs = tour.Programs()
	}
	return interactiveOn(o, id, tour, programs)
}

// interactiveOn opens the live view on scenario (or program) id, playing tour if there is one,
// with the watched programs given offered after the scenarios.
func interactiveOn(o options, id string, tour *ui.Tour, programs []scenarios.Scenario) int {
	width, height := 0, 0
	if o.size != "" {
		var err error
		if width, height, err = ui.ParseSize(o.size); err != nil {
			return fail(err)
		}
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		instead := "timeslice run " + id + "` for text output"
		if len(programs) > 0 && programs[0].ID == id {
			instead = "timeslice watch --json -- " + strings.Join(programs[0].Command, " ") + "` for JSON output"
		}
		return fail(errors.New("the live view needs a terminal; use `" + instead))
	}
	if w, h, err := term.GetSize(os.Stdout.Fd()); err == nil && (w < ui.MinWidth || h < ui.MinHeight) {
		return fail(fmt.Errorf("terminal too small: need at least %d×%d, have %d×%d", ui.MinWidth, ui.MinHeight, w, h))
	}
	runner, err := observe.NewRunner()
	if err != nil {
		return fail(err)
	}
	// Worker processes of a child that was stopped are reaped here, not left to init.
	osproc.BecomeSubreaper()
	// At rest the view runs on one scheduler P: its renderer's frames then wake one thread, not
	// two. Every P comes back while a run is observed. A GOMAXPROCS set by hand is kept.
	var lean osproc.LeanProcs
	lean.Enable()
	runner.OnSession = lean.Session
	// The live view's heap is small and mostly short-lived frames: collecting less often
	// trades a few megabytes for less of the UI's CPU, which the work needs.
	debug.SetGCPercent(400)
	// Decide the background now: asking the terminal once bubbletea owns stdin can hang.
	lipgloss.SetHasDarkBackground(termenv.HasDarkBackground())
	if o.noColor {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	for _, file := range []string{o.record, o.exportTrace, o.goTrace} {
		if err := checkDir(file); err != nil {
			return fail(err)
		}
	}
	opts := []tea.ProgramOption{tea.WithAltScreen()}
	if o.record != "" {
		cast, err := startCast(o.record, os.Stdout, "timeslice", width, height)
		if err != nil {
			return fail(err)
		}
		defer cast.Close()
		opts = append(opts, tea.WithOutput(ui.RecordTerminal(os.Stdout, cast)))
		if width == 0 {
			// The layout follows the terminal, so the cast follows its resizes.
			opts = append(opts, tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
				if ws, ok := msg.(tea.WindowSizeMsg); ok {
					cast.Resize(ws.Width, ws.Height)
				}
				return msg
			}))
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	runner.WholeTrace = o.goTrace != "" // the raw trace costs the work a little: only on request
	cfg := ui.Config{Scenario: id, Params: o.params, Start: runner.Starter(programs...), Programs: programs,
		Width: width, Height: height, ExportTrace: o.exportTrace, GoTrace: o.goTrace}
	var m tea.Model = ui.New(cfg)
	if tour != nil {
		m = ui.NewTour(cfg, *tour)
	}
	defer ui.Shutdown(m)
	final, err := tea.NewProgram(m, append(opts, tea.WithContext(ctx))...).Run()
	ui.Shutdown(final)
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(os.Stderr, "timeslice: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// loadTour reads the tour script the positional argument names, or gives the built-in tour.
func loadTour(positional []string) (ui.Tour, error) {
	switch len(positional) {
	case 0:
		return ui.DefaultTour(), nil
	case 1:
		f, err := os.Open(positional[0])
		if err != nil {
			return ui.Tour{}, fmt.Errorf("cannot read the tour: %w", err)
		}
		defer f.Close()
		return ui.ParseTour(f)
	}
	return ui.Tour{}, fmt.Errorf("--tour takes at most one script file, got %d arguments", len(positional))
}
