package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"

	"timeslice/internal/osproc"
	"timeslice/model"
	"timeslice/observe"
	"timeslice/report"
	"timeslice/scenarios"
)

// headless is `timeslice run`: each scenario in turn, its lines as they happen, then its summary
// (or one JSON object per scenario with --json). It exits 1 if any run failed.
func headless(args []string, stdout, stderr io.Writer) int {
	o, positional, code, ok := parseOptions("run", true, args)
	if !ok {
		return code
	}
	ids, err := expandIDs(positional)
	if err != nil {
		return fail(err)
	}
	for _, file := range []string{o.record, o.exportTrace, o.goTrace} {
		if err := checkDir(file); err != nil {
			return fail(err)
		}
	}
	if o.bare && (o.exportTrace != "" || o.goTrace != "") {
		return fail(errors.New("--bare observes nothing, so it has no trace for --export-trace or --go-trace"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	runner, err := observe.NewRunner()
	if err != nil {
		return fail(err)
	}
	// Worker processes of a run that was interrupted are reaped here, not left to init.
	osproc.BecomeSubreaper()
	// Without a screen to keep light, read the whole trace: the lanes and totals are then exact
	// however busy the run (the live view reads windows of it).
	runner.WholeTrace = true
	if o.record != "" {
		cast, err := startCast(o.record, stdout, "timeslice run "+strings.Join(ids, " "), 0, 0)
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
	if o.bare {
		return bare(ctx, runner, ids, o, stdout, stderr)
	}
	finished := map[string]*model.Run{}
	var runs []*model.Run
	code = exitOK
	enc := json.NewEncoder(stdout)
	for _, id := range ids {
		r, err := follow(ctx, runner, id, o.params, func(l model.Line) {
			if !o.json {
				fmt.Fprintln(stdout, report.FormatLine(l))
			}
		})
		if err != nil {
			fmt.Fprintf(stderr, "timeslice: %s: %v\n", id, err)
			return exitFailed
		}
		finished[id] = r
		runs = append(runs, r)
		if r.Err != "" {
			fmt.Fprintf(stderr, "timeslice: %s: %s\n", id, r.Err)
			code = exitFailed
		}
		if o.goTrace != "" {
			if err := report.WriteGoTraceFile(report.ExportPath(o.goTrace, id, len(ids) > 1), r); err != nil {
				fmt.Fprintf(stderr, "timeslice: %s: %v\n", id, err)
				code = exitFailed
			}
		}
		if o.json {
			enc.Encode(report.New(r))
			continue
		}
		s, _ := scenarios.ByID(id)
		writeSummary(stdout, r, s.Baseline, finished)
		fmt.Fprintln(stdout)
	}
	if m := model.LessonMatrix(finished); m.Complete() {
		if o.json {
			enc.Encode(map[string]model.Matrix{"matrix": m})
		} else {
			report.WriteMatrix(stdout, m)
		}
	}
	if o.exportTrace != "" {
		if err := report.WriteChromeTraceFile(o.exportTrace, runs...); err != nil {
			fmt.Fprintf(stderr, "timeslice: %v\n", err)
			code = exitFailed
		}
	}
	return code
}

// checkDir says, before anything runs, when file could not be written because its directory
// does not exist.
func checkDir(file string) error {
	if file == "" {
		return nil
	}
	dir := filepath.Dir(file)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("cannot write %s: no directory %s", file, dir)
	}
	return nil
}

// startCast starts recording to file what is written to stdout, sized w×h, or when w is 0 like
// stdout's terminal when it is one, else 100×30.
func startCast(file string, stdout io.Writer, title string, w, h int) (*report.CastWriter, error) {
	if w > 0 && h > 0 {
		return report.CreateCast(file, report.NewCastHeader(w, h, title))
	}
	w, h = 100, 30
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if tw, th, err := term.GetSize(f.Fd()); err == nil && tw > 0 && th > 0 {
			w, h = tw, th
		}
	}
	return report.CreateCast(file, report.NewCastHeader(w, h, title))
}

// crlfWriter turns each line end into the CR LF a terminal in raw mode needs, so a recorded
// cast replays lines that start at the left edge.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// writeSummary prints r's summary with its speedup, if its baseline has finished.
func writeSummary(w io.Writer, r *model.Run, baseline string, finished map[string]*model.Run) {
	speedup := 0.0
	if baseline != r.Scenario {
		speedup = model.Speedup(r, finished[baseline])
	}
	report.WriteSummary(w, r, baseline, speedup)
}

// follow runs one scenario to its end, handing each new printed line to onLine as it arrives.
func follow(ctx context.Context, runner *observe.Runner, id string, p scenarios.Params, onLine func(model.Line)) (*model.Run, error) {
	sess, err := runner.Start(id, p)
	if err != nil {
		return nil, err
	}
	defer sess.Stop()
	var last *model.Run
	printed := 0
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("interrupted")
		case r, ok := <-sess.Updates():
			if !ok {
				if last == nil || !last.Finished {
					return nil, fmt.Errorf("the run ended without a result")
				}
				return last, nil
			}
			for _, l := range r.Lines[printed:] {
				onLine(l)
			}
			printed = len(r.Lines)
			last = r
		}
	}
}
