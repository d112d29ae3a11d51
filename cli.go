package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"timeslice/internal/child"
	"timeslice/internal/termtext"
	"timeslice/internal/wire"
	"timeslice/scenarios"
	"timeslice/ui"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // a run died or could not be observed
	exitUsage  = 2 // bad flags, unknown scenarios, no terminal
)

const usage = `timeslice shows, live, how a computer schedules work.

Usage:
  timeslice [flags] [SCENARIO]          open the live view on SCENARIO (default io-sequential)
  timeslice list                        list the scenarios
  timeslice run [flags] SCENARIO...|all run scenarios without the live view and print what happened
  timeslice watch [flags] -- CMD [ARGS]  run a program as it is and watch its threads (see watch --help)
  timeslice help                        this help (as --help)

Flags:
`

// options are the flags every mode shares, plus the headless ones.
type options struct {
	params scenarios.Params
	json   bool
	// bare is run --bare: the work with nothing observing it, for its wall time alone.
	bare bool
	// record, exportTrace, goTrace and exportSVG are the files --record, --export-trace,
	// --go-trace and --export-svg name.
	record, exportTrace, goTrace, exportSVG string
	// size is the --size the live view lays out for; tour and noColor are --tour and --no-color;
	// projector is --projector.
	size                     string
	tour, noColor, projector bool
	// hold, step and loop are how a tour plays: --hold, --step, --loop.
	hold       time.Duration
	step, loop bool
	// long is --long: runs estimated to take more than scenarios.MaxEstimate are allowed.
	long bool
	// version is --version.
	version bool
}

// newFlagSet builds the flag set for a mode; headless adds --json and the files a run can write.
func newFlagSet(name string, o *options, headless bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.params.Register(fs)
	fs.BoolVar(&o.long, "long", false, fmt.Sprintf("allow runs estimated to take more than %s (the knobs multiply: --calls × --latency, --upto × --work)", scenarios.MaxEstimate))
	fs.StringVar(&o.record, "record", "", "also record what this draws or prints to `FILE` as an asciicast v2 cast (asciinema play FILE)")
	if !headless {
		fs.StringVar(&o.size, "size", "", "lay the live view out for `COLSxROWS` (e.g. 100x30), whatever the terminal's size")
		fs.BoolVar(&o.tour, "tour", false, "play an unattended lesson: every scenario in turn, then the comparison, then quit; with a FILE argument, plays that tour script (see README)")
		fs.DurationVar(&o.hold, "hold", ui.DefaultHold, "how long a tour holds each picture and caption (1s–10m)")
		fs.BoolVar(&o.step, "step", false, "a tour waits for space at each hold instead: a live class goes on when it is ready")
		fs.BoolVar(&o.loop, "loop", false, "a tour starts again where it would quit, for a kiosk")
		fs.BoolVar(&o.noColor, "no-color", false, "draw without colour (as NO_COLOR=1 does); every state still reads by its glyph")
		fs.BoolVar(&o.projector, "projector", false, "start in projector mode (key P): taller lanes, glyphs that differ by shape, high contrast, a larger summary")
		fs.BoolVar(&o.version, "version", false, "print the version and the revision it was built from, and exit")
	}
	fs.StringVar(&o.exportTrace, "export-trace", "", "write the runs to `FILE` in the Chrome trace-event format (Perfetto, chrome://tracing):\none process per scenario, one track per task, core load as counters; in the live view, key x\nwrites the finished run there, the scenario id before the extension")
	fs.StringVar(&o.goTrace, "go-trace", "", "keep the child's whole raw runtime/trace and write it to `FILE` (go tool trace FILE opens it);\nwith several scenarios, or from the live view's key x, the scenario id goes before the extension")
	if headless {
		fs.BoolVar(&o.json, "json", false, "print one JSON object per scenario instead of text")
		fs.StringVar(&o.exportSVG, "export-svg", "", "also write each finished run as the live view would show it, at 100×30 on a light page,\nto `FILE` as an SVG picture; with several scenarios, the id goes before the extension")
		fs.BoolVar(&o.bare, "bare", false, "run the work with nothing observing it (no trace, no sampling) and print only\nits wall time: the baseline that shows what observing costs")
	}
	return fs
}

// parseOptions parses a mode's flags, wherever they stand, and checks the knobs. When ok is
// false the caller exits with code: help was shown, or the input was bad (said on stderr).
func parseOptions(name string, headless bool, args []string) (o options, positional []string, code int, ok bool) {
	o = options{params: scenarios.DefaultParams()}
	fs := newFlagSet(name, &o, headless)
	positional, err := parseArgs(fs, args)
	if err != nil {
		return o, nil, parseFailure(fs, err), false
	}
	if err := o.params.Validate(); err != nil {
		return o, nil, fail(err), false
	}
	return o, positional, exitOK, true
}

// parseArgs parses flags wherever they stand among the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// dispatch runs the subcommand args name and returns the exit code.
func dispatch(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case wire.ChildCommand:
			return child.Main(args[1:])
		case wire.CalibrateCommand:
			if len(args) > 1 {
				return fail(fmt.Errorf("%s takes no arguments", wire.CalibrateCommand))
			}
			return child.CalibrateMain()
		case scenarios.WorkerCommand:
			return scenarios.WorkerMain(args[1:])
		case "list":
			return listCommand(args[1:], os.Stdout)
		case "help":
			return interactive([]string{"--help"})
		case "run":
			return headless(args[1:], os.Stdout, os.Stderr)
		case "watch":
			return watchMain(args[1:], os.Stdout, os.Stderr)
		}
	}
	return interactive(args)
}

// fail prints a one-line error and returns the usage exit code. The message may quote what
// the user typed or a file held, so it is cleaned of control characters.
func fail(err error) int {
	fmt.Fprintf(os.Stderr, "timeslice: %s\n", termtext.Clean(err.Error()))
	return exitUsage
}

// parseFailure turns a flag error into an exit code: help is not an error, unless it cannot be
// written.
func parseFailure(fs *flag.FlagSet, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		out := &checkedWriter{w: os.Stdout}
		fmt.Fprint(out, usage)
		fs.SetOutput(out)
		fs.PrintDefaults()
		return written(out)
	}
	return fail(fmt.Errorf("%v (see timeslice --help)", err))
}

// written is the exit code once out has had everything: 1, said on stderr, if it failed.
func written(out *checkedWriter) int {
	if out.err != nil {
		fmt.Fprintf(os.Stderr, "timeslice: %v\n", out.err)
		return exitFailed
	}
	return exitOK
}

// listCommand is `timeslice list`: it takes no arguments.
func listCommand(args []string, w io.Writer) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return parseFailure(fs, err)
	}
	if fs.NArg() > 0 {
		return fail(fmt.Errorf("list takes no arguments, got %q (see timeslice --help)", termtext.Clip(fs.Arg(0), 32)))
	}
	return list(w)
}

// list prints one line per scenario: its id and what it does.
func list(w io.Writer) int {
	out := &checkedWriter{w: w}
	for _, s := range scenarios.All() {
		fmt.Fprintf(out, "%-16s %s\n", s.ID, s.Summary)
	}
	return written(out)
}

// printVersion is --version: the module's version and the revision it was built from, as the
// build recorded them.
func printVersion(w io.Writer) int {
	out := &checkedWriter{w: w}
	fmt.Fprintln(out, versionText())
	return written(out)
}

// versionText is "timeslice VERSION (revision REV[, modified], TIME) GOVERSION", from the
// build information; the revision is unknown when the build had no version control.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "timeslice (no build information)"
	}
	rev, modified, at := "", false, ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		case "vcs.time":
			at = s.Value
		}
	}
	where := "revision unknown"
	if rev != "" {
		where = "revision " + rev
		if modified {
			where += ", modified"
		}
		if at != "" {
			where += ", " + at
		}
	}
	return fmt.Sprintf("timeslice %s (%s) %s", info.Main.Version, where, info.GoVersion)
}

// expandIDs checks the scenario ids and expands "all".
func expandIDs(ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("name a scenario to run, or all (one of: %s)", strings.Join(scenarios.IDs(), ", "))
	}
	var out []string
	for _, id := range ids {
		if id == "all" {
			out = append(out, scenarios.IDs()...)
			continue
		}
		if _, err := scenarios.Lookup(id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}
