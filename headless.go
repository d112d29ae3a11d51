package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"timeslice/internal/osproc"
	"timeslice/model"
	"timeslice/observe"
	"timeslice/report"
	"timeslice/scenarios"
)

// headless is `timeslice run`: each scenario in turn, its lines as they happen, then its summary
// (or one JSON object per scenario with --json). It exits 1 if any run failed or the output
// could not be written, and 128+N on signal N, having written what finished.
func headless(args []string, stdout, stderr io.Writer) int {
	o, positional, code, ok := parseOptions("run", true, args)
	if !ok {
		return code
	}
	ids, err := expandIDs(positional)
	if err != nil {
		return fail(err)
	}
	if o.bare && (o.exportTrace != "" || o.goTrace != "" || o.exportSVG != "") {
		return fail(errors.New("--bare observes nothing, so it has no trace for --export-trace, --go-trace or --export-svg"))
	}
	if err := checkFiles(runFiles(o, ids)); err != nil {
		return fail(err)
	}
	sigs := catchSignals()
	defer sigs.release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs.onFirst(cancel)
	runner, err := observe.NewRunner()
	if err != nil {
		return fail(err)
	}
	b := newBudget(o.long, runner)
	for _, id := range ids {
		if err := b.check(id, o.params, "add --long to run it"); err != nil {
			return fail(err)
		}
	}
	// Worker processes of a run that was interrupted are reaped here, not left to init.
	osproc.BecomeSubreaper()
	// Without a screen to keep light, read the whole trace: the lanes and totals are then exact
	// however busy the run (the live view reads windows of it).
	runner.WholeTrace = true
	out := &checkedWriter{w: stdout}
	var cast *report.CastWriter
	if o.record != "" {
		if cast, err = startCast(o.record, stdout, "timeslice run "+strings.Join(ids, " "), 0, 0); err != nil {
			return fail(err)
		}
		out.w = io.MultiWriter(stdout, crlfWriter{cast})
	}
	if o.bare {
		code = bare(ctx, runner, ids, o, out, stderr)
	} else {
		code = observeRuns(ctx, runner, ids, o, out, stderr)
	}
	if out.err != nil {
		fmt.Fprintf(stderr, "timeslice: %v\n", out.err)
		code = exitFailed
	}
	if cast != nil {
		if err := cast.Close(); err != nil {
			fmt.Fprintf(stderr, "timeslice: recording %s: %v\n", o.record, err)
			code = exitFailed
		}
	}
	if sig, ok := sigs.release(); ok {
		return sig
	}
	return code
}

// observeRuns runs ids in turn, printing each run's lines and summary (or JSON) to out, and
// writes the files asked for. It stops at a run that cannot be observed, at an interrupt
// (ctx), or when out cannot be written; the files of the runs that finished are written all
// the same.
func observeRuns(ctx context.Context, runner *observe.Runner, ids []string, o options, out *checkedWriter, stderr io.Writer) int {
	finished := map[string]*model.Run{}
	var runs []*model.Run
	code := exitOK
	goTraces := report.RunPaths(o.goTrace, ids)
	pictures := report.RunPaths(o.exportSVG, ids)
	enc := json.NewEncoder(out)
	for i, id := range ids {
		r, err := follow(ctx, runner, id, o.params, func(l model.Line) {
			if !o.json {
				fmt.Fprintln(out, report.FormatLine(l))
			}
		})
		if err != nil {
			fmt.Fprintf(stderr, "timeslice: %s: %v\n", id, err)
			code = exitFailed
			break
		}
		finished[id] = r
		runs = append(runs, r)
		if r.Err != "" {
			fmt.Fprintf(stderr, "timeslice: %s: %s\n", id, r.Err)
			code = exitFailed
		}
		if o.goTrace != "" {
			if err := report.WriteGoTraceFile(goTraces[i], r); err != nil {
				fmt.Fprintf(stderr, "timeslice: %s: %v\n", id, err)
				code = exitFailed
			}
		}
		if o.exportSVG != "" {
			if err := writePicture(pictures[i], r, finished, o.params); err != nil {
				fmt.Fprintf(stderr, "timeslice: %s: %v\n", id, err)
				code = exitFailed
			}
		}
		if o.json {
			enc.Encode(report.New(r))
		} else {
			s, _ := scenarios.ByID(id)
			writeSummary(out, r, s.Baseline, finished)
			fmt.Fprintln(out)
		}
		if out.err != nil {
			break // nothing more can be said: the caller reports why
		}
	}
	if m := model.LessonMatrix(finished); len(runs) == len(ids) && m.Complete() {
		if o.json {
			enc.Encode(map[string]model.Matrix{"matrix": m})
		} else {
			report.WriteMatrix(out, m)
		}
	}
	if o.exportTrace != "" && len(runs) > 0 {
		if err := report.WriteChromeTraceFile(o.exportTrace, runs...); err != nil {
			fmt.Fprintf(stderr, "timeslice: %v\n", err)
			code = exitFailed
		}
	}
	return code
}

// checkedWriter keeps the first error of writing to w; after it, writes are dropped. The
// output of `timeslice run` and `list` goes through one, so a full disk or a closed pipe is
// an error, not a silent exit 0.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = fmt.Errorf("writing the output: %w", err)
		return n, c.err
	}
	return n, nil
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

// writeSummary prints r's summary with its speedup, if its baseline has finished, and what
// happened in a sentence.
func writeSummary(w io.Writer, r *model.Run, baseline string, finished map[string]*model.Run) {
	speedup := 0.0
	if baseline != r.Scenario {
		speedup = model.Speedup(r, finished[baseline])
	}
	sentence := ""
	if s, ok := scenarios.ByID(r.Scenario); ok {
		sentence = report.Sentence(s, r, finished[baseline])
	}
	report.WriteSummary(w, r, baseline, speedup, sentence)
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
