package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"timeslice/internal/osproc"
	"timeslice/model"
	"timeslice/observe"
	"timeslice/report"
	"timeslice/scenarios"
)

// watchUsage is `timeslice watch --help`.
const watchUsage = `timeslice watch runs a program as it is and shows, live, what the kernel says its threads do.

Usage:
  timeslice watch [flags] -- CMD [ARGS...]          the live view of CMD
  timeslice watch --json [flags] -- CMD [ARGS...]   no live view: one JSON line when CMD has ended;
                                                    timeslice exits with CMD's exit status

Flags:
`

// watchMain is `timeslice watch`: the flags, then the program after them (after --).
func watchMain(args []string, stdout, stderr io.Writer) int {
	o := options{params: scenarios.DefaultParams()} // for the scenarios the live view can switch to
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&o.json, "json", false, "no live view: print one JSON object when CMD has ended")
	fs.StringVar(&o.exportTrace, "export-trace", "", "write the run to `FILE` in the Chrome trace-event format (Perfetto, chrome://tracing)")
	fs.StringVar(&o.record, "record", "", "also record what this draws or prints to `FILE` as an asciicast v2 cast")
	fs.StringVar(&o.size, "size", "", "lay the live view out for `COLSxROWS` (e.g. 100x30), whatever the terminal's size")
	fs.BoolVar(&o.noColor, "no-color", false, "draw without colour (as NO_COLOR=1 does); every state still reads by its glyph")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, watchUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return exitOK
		}
		return fail(fmt.Errorf("%v (see timeslice watch --help)", err))
	}
	prog, err := scenarios.Program(fs.Args())
	if err != nil {
		return fail(err)
	}
	uses := runFiles(o, nil) // --record and --export-trace
	if !o.json {
		uses = liveFiles(o, liveIDs([]scenarios.Scenario{prog}), "")
	}
	if err := checkFiles(uses); err != nil {
		return fail(err)
	}
	if o.json {
		return watchHeadless(prog, o, stdout, stderr)
	}
	return interactiveOn(o, prog.ID, nil, []scenarios.Scenario{prog})
}

// watchHeadless watches prog to its end and prints it as one JSON line; it exits with the
// program's exit status, 127 when the program cannot be found, 1 when it could not be watched.
func watchHeadless(prog scenarios.Scenario, o options, stdout, stderr io.Writer) int {
	sigs := catchSignals()
	defer sigs.release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs.onFirst(cancel)
	runner, err := observe.NewRunner()
	if err != nil {
		return fail(err)
	}
	osproc.BecomeSubreaper()
	if o.record != "" {
		cast, err := startCast(o.record, stdout, "timeslice watch "+strings.Join(prog.Command, " "), 0, 0)
		if err != nil {
			return fail(err)
		}
		defer func() {
			if err := cast.Close(); err != nil {
				fmt.Fprintf(stderr, "timeslice: recording %s: %v\n", o.record, err)
			}
		}()
		stdout = io.MultiWriter(stdout, crlfWriter{cast})
	}
	sess, err := runner.Watch(prog)
	if errors.Is(err, observe.ErrNotFound) {
		fmt.Fprintf(stderr, "timeslice: %v\n", err)
		return observe.ExitNotFound
	}
	if err != nil {
		return fail(err)
	}
	r, err := followSession(ctx, sess)
	if err != nil {
		fmt.Fprintf(stderr, "timeslice: %s: %v\n", prog.ID, err)
		if sig, ok := sigs.release(); ok {
			return sig
		}
		return exitFailed
	}
	code := r.ExitCode
	if r.Err != "" {
		fmt.Fprintf(stderr, "timeslice: %s: %s\n", prog.ID, r.Err)
		code = exitFailed
	}
	if err := json.NewEncoder(stdout).Encode(report.New(r)); err != nil {
		fmt.Fprintf(stderr, "timeslice: %v\n", err)
		return exitFailed
	}
	if o.exportTrace != "" {
		if err := report.WriteChromeTraceFile(o.exportTrace, r); err != nil {
			fmt.Fprintf(stderr, "timeslice: %v\n", err)
			return exitFailed
		}
	}
	return code
}

// followSession waits for sess's final Run, or stops it when ctx ends.
func followSession(ctx context.Context, sess observe.Session) (*model.Run, error) {
	defer sess.Stop()
	var last *model.Run
	for {
		select {
		case <-ctx.Done():
			return nil, errors.New("interrupted")
		case r, ok := <-sess.Updates():
			if !ok {
				if last == nil || !last.Finished {
					return nil, errors.New("the run ended without a result")
				}
				return last, nil
			}
			last = r
		}
	}
}
