package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"timeslice/internal/child"
	"timeslice/internal/wire"
	"timeslice/scenarios"
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

Flags:
`

// options are the flags every mode shares, plus the headless ones.
type options struct {
	params scenarios.Params
	json   bool
	// bare is run --bare: the work with nothing observing it, for its wall time alone.
	bare bool
	// record, exportTrace and goTrace are the files --record, --export-trace and --go-trace name.
	record, exportTrace, goTrace string
	// size is the --size the live view lays out for; tour and noColor are --tour and --no-color.
	size          string
	tour, noColor bool
}

// newFlagSet builds the flag set for a mode; headless adds --json and the files a run can write.
func newFlagSet(name string, o *options, headless bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.params.Register(fs)
	fs.StringVar(&o.record, "record", "", "also record what this draws or prints to `FILE` as an asciicast v2 cast (asciinema play FILE)")
	if !headless {
		fs.StringVar(&o.size, "size", "", "lay the live view out for `COLSxROWS` (e.g. 100x30), whatever the terminal's size")
		fs.BoolVar(&o.tour, "tour", false, "play an unattended lesson: every scenario in turn, then the comparison, then quit; with a FILE argument, plays that tour script (see README)")
		fs.BoolVar(&o.noColor, "no-color", false, "draw without colour (as NO_COLOR=1 does); every state still reads by its glyph")
	}
	fs.StringVar(&o.exportTrace, "export-trace", "", "write the runs to `FILE` in the Chrome trace-event format (Perfetto, chrome://tracing):\none process per scenario, one track per task, core load as counters; in the live view, key x\nwrites the finished run there, the scenario id before the extension")
	fs.StringVar(&o.goTrace, "go-trace", "", "keep the child's whole raw runtime/trace and write it to `FILE` (go tool trace FILE opens it);\nwith several scenarios, or from the live view's key x, the scenario id goes before the extension")
	if headless {
		fs.BoolVar(&o.json, "json", false, "print one JSON object per scenario instead of text")
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
			return child.CalibrateMain()
		case scenarios.WorkerCommand:
			return scenarios.WorkerMain(args[1:])
		case "list":
			return list(os.Stdout)
		case "run":
			return headless(args[1:], os.Stdout, os.Stderr)
		case "watch":
			return watchMain(args[1:], os.Stdout, os.Stderr)
		}
	}
	return interactive(args)
}

// fail prints a one-line error and returns the usage exit code.
func fail(err error) int {
	fmt.Fprintf(os.Stderr, "timeslice: %v\n", err)
	return exitUsage
}

// parseFailure turns a flag error into an exit code: help is not an error.
func parseFailure(fs *flag.FlagSet, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(os.Stdout, usage)
		fs.SetOutput(os.Stdout)
		fs.PrintDefaults()
		return exitOK
	}
	return fail(fmt.Errorf("%v (see timeslice --help)", err))
}

// list prints one line per scenario: its id and what it does.
func list(w io.Writer) int {
	for _, s := range scenarios.All() {
		fmt.Fprintf(w, "%-16s %s\n", s.ID, s.Summary)
	}
	return exitOK
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
