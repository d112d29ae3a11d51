package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"timeslice/scenarios"
	"timeslice/sim"
)

// headless is `timeslice run`: each scenario in turn, its lines as they happen, then its summary
// (or one JSON object per scenario with --json). It exits 1 if any run failed.
func headless(args []string, stdout, stderr io.Writer) int {
	o := options{params: scenarios.DefaultParams()}
	fs := newFlagSet("run", &o, true)
	positional, err := parseArgs(fs, args)
	if err != nil {
		return parseFailure(fs, err)
	}
	if err := o.params.Validate(); err != nil {
		return fail(err)
	}
	ids, err := expandIDs(positional)
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	runner, err := sim.NewRunner()
	if err != nil {
		return fail(err)
	}
	finished := map[string]*sim.Run{}
	code := exitOK
	enc := json.NewEncoder(stdout)
	for _, id := range ids {
		r, err := follow(ctx, runner, id, o.params, func(l sim.Line) {
			if !o.json {
				fmt.Fprintln(stdout, sim.FormatLine(l))
			}
		})
		if err != nil {
			fmt.Fprintf(stderr, "timeslice: %s: %v\n", id, err)
			return exitFailed
		}
		finished[id] = r
		if r.Err != "" {
			fmt.Fprintf(stderr, "timeslice: %s: %s\n", id, r.Err)
			code = exitFailed
		}
		if o.json {
			enc.Encode(r.Report())
			continue
		}
		s, _ := scenarios.ByID(id)
		writeSummary(stdout, r, s.Baseline, finished)
		fmt.Fprintln(stdout)
	}
	if m := sim.LessonMatrix(finished); m.Complete() {
		if o.json {
			enc.Encode(map[string]sim.Matrix{"matrix": m})
		} else {
			writeMatrix(stdout, m)
		}
	}
	return code
}

// writeMatrix prints the lesson matrix as a small table of speedups.
func writeMatrix(w io.Writer, m sim.Matrix) {
	fmt.Fprintf(w, "speedup against sequential   %-12s %-22s %s\n", "sequential", "concurrent, one core", "parallel, all cores")
	for _, b := range []scenarios.Bound{scenarios.IOBound, scenarios.CPUBound} {
		name := map[scenarios.Bound]string{scenarios.IOBound: "I/O-bound", scenarios.CPUBound: "CPU-bound"}[b]
		fmt.Fprintf(w, "%-28s", name)
		for i, st := range []scenarios.Style{scenarios.Sequential, scenarios.Concurrent, scenarios.Parallel} {
			v, _ := m.Cell(b, st)
			fmt.Fprintf(w, " %-*s", []int{12, 22, 0}[i], fmt.Sprintf("%.2f×", v))
		}
		fmt.Fprintln(w)
	}
}

// writeSummary prints r's summary with its speedup, if its baseline has finished.
func writeSummary(w io.Writer, r *sim.Run, baseline string, finished map[string]*sim.Run) {
	speedup := 0.0
	if baseline != r.Scenario {
		speedup = sim.Speedup(r, finished[baseline])
	}
	sim.WriteSummary(w, r, baseline, speedup)
}

// follow runs one scenario to its end, handing each new printed line to onLine as it arrives.
func follow(ctx context.Context, runner *sim.Runner, id string, p scenarios.Params, onLine func(sim.Line)) (*sim.Run, error) {
	sess, err := runner.Start(id, p)
	if err != nil {
		return nil, err
	}
	defer sess.Stop()
	var last *sim.Run
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
