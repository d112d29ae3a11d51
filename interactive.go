package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"timeslice/internal/osproc"
	"timeslice/observe"
	"timeslice/report"
	"timeslice/scenarios"
	"timeslice/ui"
)

// interactive is `timeslice [flags] [SCENARIO]`: the live view.
func interactive(args []string) int {
	o, positional, code, ok := parseOptions("timeslice", false, args)
	if !ok {
		return code
	}
	if o.version {
		return printVersion(os.Stdout)
	}
	if err := checkTourFlags(o); err != nil {
		return fail(err)
	}
	id := scenarios.IDs()[0]
	var tour *ui.Tour
	tourFile := ""
	if o.tour {
		t, file, err := loadTour(positional, o.params)
		if err != nil {
			return fail(err)
		}
		tour, tourFile, positional = &t, file, nil
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
	if err := checkFiles(liveFiles(o, liveIDs(programs), tourFile)); err != nil {
		return fail(err)
	}
	return interactiveOn(o, id, tour, programs)
}

// liveIDs are the ids of everything the live view can run: the scenarios, then programs.
func liveIDs(programs []scenarios.Scenario) []string {
	ids := scenarios.IDs()
	for _, p := range programs {
		ids = append(ids, p.ID)
	}
	return ids
}

// liveMemory is the memory the live view's runtime aims to hold at most (a soft limit).
const liveMemory = 80 << 20

// interactiveOn opens the live view on scenario (or program) id, playing tour if there is one,
// with the watched programs given offered after the scenarios. The caller has checked the
// files it writes.
func interactiveOn(o options, id string, tour *ui.Tour, programs []scenarios.Scenario) int {
	// From here a signal is caught, and acted on once the program is running.
	sigs := catchSignals()
	defer sigs.release()
	runner, err := observe.NewRunner()
	if err != nil {
		return fail(err)
	}
	b := newBudget(o.long, runner)
	if err := checkTourBudget(b, id, o.params, tour); err != nil {
		return fail(err)
	}
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
	// Worker processes of a child that was stopped are reaped here, not left to init.
	osproc.BecomeSubreaper()
	// At rest the view runs on one scheduler P: its renderer's frames then wake one thread, not
	// two. Every P comes back while a run is observed. A GOMAXPROCS set by hand is kept.
	var lean osproc.LeanProcs
	lean.Enable()
	runner.OnSession = lean.Session
	// The live view's heap is small and mostly short-lived frames: collecting less often
	// trades a few megabytes for less of the UI's CPU, which the work needs. With thousands of
	// tasks the heap is tens of megabytes, though, and five times that too much: the runtime
	// collects sooner as all it holds nears liveMemory. A GOMEMLIMIT set by hand is kept.
	debug.SetGCPercent(400)
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(liveMemory)
	}
	// Decide the background now: asking the terminal once bubbletea owns stdin can hang.
	lipgloss.SetHasDarkBackground(termenv.HasDarkBackground())
	if o.noColor {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	opts := []tea.ProgramOption{tea.WithAltScreen()}
	var cast *report.CastWriter
	if o.record != "" {
		if cast, err = startCast(o.record, os.Stdout, "timeslice", width, height); err != nil {
			return fail(err)
		}
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

	runner.WholeTrace = o.goTrace != "" // the raw trace costs the work a little: only on request
	cfg := ui.Config{Scenario: id, Params: o.params, Start: b.limit(runner.Starter(programs...)), Programs: programs,
		Width: width, Height: height, ExportTrace: o.exportTrace, GoTrace: o.goTrace, Projector: o.projector}
	var m tea.Model = ui.New(cfg)
	if tour != nil {
		m = ui.NewTour(cfg, *tour, ui.TourOptions{Hold: o.hold, Step: o.step, Loop: o.loop})
	}
	defer ui.Shutdown(m)
	// The signals are this process's to handle (see stopSignals): a signal quits the program
	// as q does, through its event loop, and the terminal is restored on the way out.
	p := tea.NewProgram(m, append(opts, tea.WithoutSignalHandler())...)
	sigs.onFirst(p.Quit)
	final, err := p.Run()
	ui.Shutdown(final)
	code := exitOK
	if err != nil {
		fmt.Fprintf(os.Stderr, "timeslice: %v\n", err)
		code = exitFailed
	}
	if cast != nil {
		if err := cast.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "timeslice: recording %s: %v\n", o.record, err)
			code = exitFailed
		}
	}
	if sig, ok := sigs.release(); ok {
		return sig
	}
	return code
}

// checkTourFlags says what is wrong with --hold, --step and --loop: they play a tour, and a
// hold is between a second and ui.MaxTourWait.
func checkTourFlags(o options) error {
	switch {
	case !o.tour && (o.step || o.loop || o.hold != ui.DefaultHold):
		return errors.New("--hold, --step and --loop say how a tour plays: add --tour")
	case o.hold < time.Second || o.hold > ui.MaxTourWait:
		return fmt.Errorf("--hold must be between 1s and %s, not %s", ui.MaxTourWait, o.hold)
	}
	return nil
}

// checkTourBudget refuses, before the view opens, the run it opens on or a run step of the tour
// that would take longer than the budget allows. Runs started later from the keyboard meet the
// same check as they start (budget.limit).
func checkTourBudget(b *budget, id string, p scenarios.Params, tour *ui.Tour) error {
	const allow = "add --long to run it"
	if tour == nil {
		return b.check(id, p, allow)
	}
	for _, s := range tour.Steps {
		if s.Kind != ui.StepRun {
			continue
		}
		sp, err := s.Params(p)
		if err != nil {
			return fmt.Errorf("tour line %d: %w", s.Line, err)
		}
		if err := b.check(s.Scenario, sp, allow); err != nil {
			return fmt.Errorf("tour line %d: %w", s.Line, err)
		}
	}
	return nil
}
