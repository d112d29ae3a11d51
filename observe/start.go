package observe

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"timeslice/internal/osproc"
	"timeslice/internal/wire"
	"timeslice/scenarios"
)

// startChild calibrates if the work needs it, then starts the child that runs scenario s with
// p, in a process group of its own, confined to p.Cores; extra flags (such as the bare flag)
// come before the scenario. It returns the child, its stdout and the tail of its stderr.
func (r *Runner) startChild(ctx context.Context, s scenarios.Scenario, p scenarios.Params, extra ...string) (*exec.Cmd, io.ReadCloser, *tailBuffer, error) {
	if s.Bound == scenarios.CPUBound && p.Work > 0 {
		n, err := r.calibrated(ctx)
		if err != nil {
			return nil, nil, nil, err
		}
		p.ItersPerMs = n
	}
	args := append(append(append([]string{wire.ChildCommand}, p.Args()...), extra...), s.ID)
	cmd := exec.Command(r.exe, args...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(procsFor(s, p)))
	if !slices.Contains(extra, "--"+wire.BareFlag) {
		cmd.Env = append(cmd.Env, "GODEBUG="+withTraceAdvance(os.Getenv("GODEBUG")))
	}
	cmd.SysProcAttr = osproc.GroupAttr()
	stderr := &tailBuffer{max: 2048}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = osproc.StartOnCores(cmd, p.Cores)
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("cannot start the child process: %w", err)
	}
	return cmd, stdout, stderr, nil
}

// traceAdvance is the GODEBUG setting that makes the Go runtime start a new trace generation
// by itself only every 2.1 s (the most it allows) rather than every second: the child cuts
// one with every window it sends, and each one restates every goroutine, which with
// thousands of goroutines costs the child and the observer alike.
const traceAdvance = "traceadvanceperiod=2147483647"

// withTraceAdvance is the GODEBUG value godebug with traceAdvance added, unless it sets the
// period itself.
func withTraceAdvance(godebug string) string {
	if strings.Contains(godebug, "traceadvanceperiod=") {
		return godebug
	}
	if godebug == "" {
		return traceAdvance
	}
	return godebug + "," + traceAdvance
}

// calibrated returns the computation per millisecond of one core, measuring it the first time
// in a child of its own, started and stopped as every other child is: in its own process group,
// killed with this process, and killed at once when ctx is cancelled.
func (r *Runner) calibrated(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.itersPerMs > 0 {
		return r.itersPerMs, nil
	}
	cmd := exec.Command(r.exe, wire.CalibrateCommand)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	cmd.SysProcAttr = osproc.GroupAttr()
	stderr := &tailBuffer{max: 2048}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return 0, fmt.Errorf("calibration failed: %w", err)
	}
	pid := cmd.Process.Pid
	stopWatch := context.AfterFunc(ctx, func() { osproc.KillGroup(pid) })
	out, readErr := io.ReadAll(stdout)
	stopWatch() // the child has closed its stdout: from here it may be reaped
	waitErr := cmd.Wait()
	osproc.ReapGroup(pid)
	switch {
	case ctx.Err() != nil:
		return 0, ctx.Err()
	case waitErr != nil:
		return 0, fmt.Errorf("calibration failed: %v: %s", waitErr, lastLine(stderr.String()+" "))
	case readErr != nil:
		return 0, fmt.Errorf("calibration failed: %w", readErr)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil || n <= 0 || n > scenarios.MaxItersPerMs {
		return 0, fmt.Errorf("calibration gave %q", bytes.TrimSpace(out))
	}
	r.itersPerMs = n
	return n, nil
}

// procsFor is the GOMAXPROCS a scenario's child runs with: one for the scenarios whose Go code
// uses one thread, else one per core it may use.
func procsFor(s scenarios.Scenario, p scenarios.Params) int {
	if s.OneCore {
		return 1
	}
	return p.CoresOrAll()
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// tailBuffer keeps the last max bytes written to it: the end of the child's stderr.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.buf) }
