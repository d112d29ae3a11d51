package sim

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"timeslice/scenarios"
)

// Runner starts observed runs: each in a child process, the binary re-executed. It measures
// once, in a child of its own, how much computation a core does per millisecond, so every
// CPU-bound run does the same fixed amount of work.
type Runner struct {
	exe string

	mu         sync.Mutex
	itersPerMs int
}

// NewRunner returns a Runner that re-executes this program. It makes this process the reaper
// of its orphaned descendants, so worker processes of a killed child are still reaped here.
func NewRunner() (*Runner, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find this program to re-execute: %w", err)
	}
	// Best effort: without it, orphans go to init, which reaps them too on a normal system.
	unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
	return &Runner{exe: exe}, nil
}

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

// calibrated returns the computation per millisecond of one core, measuring it the first time.
func (r *Runner) calibrated() (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.itersPerMs > 0 {
		return r.itersPerMs, nil
	}
	cmd := exec.Command(r.exe, CalibrateCommand)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("calibration failed: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("calibration gave %q", bytes.TrimSpace(out))
	}
	r.itersPerMs = n
	return n, nil
}
