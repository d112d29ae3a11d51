// Package observe runs a scenario's work in a child process (this program re-executed) and
// watches it: it reads the child's stream, samples /proc and per-core load while the work
// goes on, and joins the Go scheduler's trace, the kernel's counts and the core load into one
// model.Run, published as the run goes and once more when it ends, with its facts. It owns the
// child's life: started in a process group of its own, killed and reaped on Stop. It never
// draws or prints; the live view and the reports read the Runs it hands out.
package observe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"timeslice/internal/coreload"
	"timeslice/internal/osproc"
	"timeslice/internal/termtext"
	"timeslice/internal/wire"
	"timeslice/scenarios"
)

// Runner starts observed runs: each in a child process, the binary re-executed. It measures
// once, in a child of its own, how much computation a core does per millisecond, so every
// CPU-bound run does the same fixed amount of work.
type Runner struct {
	exe string
	// WholeTrace asks every child for its whole runtime/trace besides the live snapshots, kept
	// on the Run as GoTrace (for `go tool trace`). The work pays for writing it, so it is
	// off unless a raw trace is wanted.
	WholeTrace bool
	// OnSession, when set, is called with true as each session begins and with false once its
	// child has been reaped. The live view hands it a LeanProcs, to run on one scheduler P
	// only while nothing is observed.
	OnSession func(active bool)
	// coreTimes reads the per-core counters for every session's core sampler; nil means
	// gopsutil. Tests replace it to see how a failing source is reported.
	coreTimes coreload.CoreTimes

	mu         sync.Mutex
	itersPerMs int
}

// NewRunner returns a Runner that re-executes this program. It changes nothing in this
// process: the entry point decides whether to become the reaper of orphaned worker processes
// (osproc.BecomeSubreaper) and what to do as sessions come and go (OnSession).
func NewRunner() (*Runner, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find this program to re-execute: %w", err)
	}
	r := &Runner{exe: exe}
	if v, ok := os.LookupEnv(CalibrationEnv); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > scenarios.MaxItersPerMs {
			return nil, fmt.Errorf("%s must be a whole number from 1 to %d (computation per millisecond), not %q", CalibrationEnv, scenarios.MaxItersPerMs, termtext.Clip(v, 32))
		}
		r.itersPerMs = n
	}
	return r, nil
}

// ItersPerMs is the computation per millisecond the runs pay for, when it is known: pinned by
// CalibrationEnv, or measured by an earlier run; else 0.
func (r *Runner) ItersPerMs() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.itersPerMs
}

// CalibrationEnv names the environment variable that, when set, gives the computation per
// millisecond instead of measuring it: separate timeslice processes then do exactly the same
// CPU work, as comparing a bare run with an observed one in another process needs.
const CalibrationEnv = "TIMESLICE_ITERS_PER_MS"

// Start starts scenario id with p and returns at once; the child is started, and the
// calibration run first if needed, by the session's own goroutine.
func (r *Runner) Start(id string, p scenarios.Params) (Session, error) {
	s, err := scenarios.Lookup(id)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return startObserved(r, s, p), nil
}

// RunBare runs scenario id with p as a bare child: no flight recorder, no trace snapshots, no
// /proc or core sampling, only the child's own lines read and dropped. It returns the wall
// time the child measured for the work, the baseline against which the cost of observing a
// run is measured. Cancelling ctx kills the child's process group and returns ctx's error.
func (r *Runner) RunBare(ctx context.Context, id string, p scenarios.Params) (time.Duration, error) {
	s, err := scenarios.Lookup(id)
	if err != nil {
		return 0, err
	}
	if err := p.Validate(); err != nil {
		return 0, err
	}
	cmd, stdout, stderr, err := r.startChild(ctx, s, p, "--"+wire.BareFlag)
	if err != nil {
		return 0, err
	}
	pid := cmd.Process.Pid
	stopWatch := context.AfterFunc(ctx, func() { osproc.KillGroup(pid) })
	defer stopWatch()
	var done *wire.Message
	fr := wire.NewReader(stdout)
	for {
		kind, payload, err := fr.Next()
		if err != nil {
			if err != io.EOF {
				stopWatch()
				osproc.KillGroup(pid)
				io.Copy(io.Discard, stdout)
				cmd.Wait()
				osproc.ReapGroup(pid)
				return 0, err
			}
			break
		}
		if kind != wire.FrameMessage {
			continue
		}
		if m, err := wire.DecodeMessage(payload); err == nil && m.Type == wire.MsgDone {
			done = &m
		}
	}
	stopWatch() // from here the group may be reaped: nothing may kill it by pid any more
	waitErr := cmd.Wait()
	osproc.ReapGroup(pid)
	switch {
	case ctx.Err() != nil:
		return 0, ctx.Err()
	case done != nil && done.Err != "":
		return 0, errors.New(done.Err)
	case waitErr != nil:
		return 0, fmt.Errorf("the bare run died: %v: %s", waitErr, lastLine(stderr.String()+" "))
	case done == nil:
		return 0, errors.New("the bare run ended before it finished")
	}
	return time.Duration(done.WallNs), nil
}
