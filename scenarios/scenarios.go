// Package scenarios holds timeslice's scenarios as data (ids, titles, explanations, what each is
// compared against) plus the work each one runs. The work runs inside the child process; it
// names its tasks through runtime/trace logs so the observer can draw one lane per task.
package scenarios

import (
	"context"
	"fmt"
	"strings"

	"timeslice/internal/oncpu"
	"timeslice/internal/termtext"
)

// Bound says what limits a scenario's work.
type Bound string

// The two kinds of work the article contrasts.
const (
	IOBound  Bound = "io"
	CPUBound Bound = "cpu"
)

// Style is how a scenario arranges its work.
type Style string

// The three columns of the lesson: one after another, concurrent on one core, parallel on many.
const (
	Sequential Style = "sequential"
	Concurrent Style = "concurrent"
	Parallel   Style = "parallel"
)

// Env is what the work may do besides computing: print, report results and worker processes,
// and where its threads' on-core measurements go. The child process provides it; tests provide
// a recording fake.
type Env interface {
	// Printf prints one output line; the observer time-stamps it.
	Printf(format string, args ...any)
	// Partial reports one chunk's partial sum, as soon as it is complete.
	Partial(chunk int, sum int64)
	// Process reports that a worker process with this pid now works on the task called name.
	Process(name string, pid int)
	// OnCPU is where the computing threads' on-core samples go (see package oncpu), or nil when
	// nothing measures them (a bare run).
	OnCPU() oncpu.Sink
}

// Scenario is one of timeslice's scenarios: what it is called, what it shows and how it runs.
type Scenario struct {
	// ID is the public name, used on the command line, in keys and in JSON.
	ID string
	// Title is a few words for the header.
	Title string
	// Summary is the one-line description `timeslice list` prints.
	Summary string
	// Bound and Style place the scenario in the lesson matrix.
	Bound Bound
	Style Style
	// Baseline is the id of the sequential scenario this one's speedup is measured against.
	Baseline string
	// OneCore is true when the child runs with GOMAXPROCS=1: its Go code uses one thread.
	OneCore bool
	// InWorkers is true when the work runs in worker processes of its own, one per lane: the
	// lanes come from the workers' own measurements and /proc, and the child's goroutines only
	// wait for the workers, so the child records no Go trace unless the whole one is asked for.
	InWorkers bool
	// Run does the work in the child process.
	Run func(ctx context.Context, env Env, p Params) error
	// Command is, for a watched program (see Program), the command line run as it is; Run
	// is then nil. Empty for timeslice's own scenarios.
	Command []string
}

var all = []Scenario{
	{
		ID: "io-sequential", Title: "I/O-bound, one call after another",
		Summary: "N API calls that each wait for a response, one after another",
		Bound:   IOBound, Style: Sequential, Baseline: "io-sequential", OneCore: true,
		Run: runIOSequential,
	},
	{
		ID: "io-threads", Title: "I/O-bound, one thread per call",
		Summary: "the same calls, each in its own thread (goroutine): the waits overlap",
		Bound:   IOBound, Style: Parallel, Baseline: "io-sequential",
		Run: runIOThreads,
	},
	{
		ID: "io-asyncio", Title: "I/O-bound, coroutines on one event loop",
		Summary: "the same calls as coroutines on a single-threaded event loop, switching at each await",
		Bound:   IOBound, Style: Concurrent, Baseline: "io-sequential", OneCore: true,
		Run: runIOAsyncio,
	},
	{
		ID: "cpu-sequential", Title: "CPU-bound, one chunk after another",
		Summary: "the sum of 1..N in chunks, computed one chunk after another on one thread",
		Bound:   CPUBound, Style: Sequential, Baseline: "cpu-sequential", OneCore: true,
		Run: runCPUSequential,
	},
	{
		ID: "cpu-threads-gil", Title: "CPU-bound, threads under a global lock",
		Summary: "one thread per chunk, but every step needs one global lock (like CPython's GIL)",
		Bound:   CPUBound, Style: Concurrent, Baseline: "cpu-sequential",
		Run: runCPUThreadsGIL,
	},
	{
		ID: "cpu-processes", Title: "CPU-bound, one process per chunk",
		Summary: "one OS process per chunk, as Python's multiprocessing does: parallel on all cores",
		Bound:   CPUBound, Style: Parallel, Baseline: "cpu-sequential", OneCore: true,
		InWorkers: true, Run: runCPUProcesses,
	},
	{
		ID: "cpu-goroutines", Title: "CPU-bound, goroutines on all cores",
		Summary: "one goroutine per chunk with every core available and no global lock: parallel",
		Bound:   CPUBound, Style: Parallel, Baseline: "cpu-sequential",
		Run: runCPUGoroutines,
	},
}

// All returns every scenario, in their public order (keys 1–7 follow it).
func All() []Scenario {
	out := make([]Scenario, len(all))
	copy(out, all)
	return out
}

// IDs returns the scenario ids in order.
func IDs() []string {
	ids := make([]string, len(all))
	for i, s := range all {
		ids[i] = s.ID
	}
	return ids
}

// ByID finds a scenario by its id.
func ByID(id string) (Scenario, bool) {
	for _, s := range all {
		if s.ID == id {
			return s, true
		}
	}
	return Scenario{}, false
}

// Lookup finds a scenario by its id, or says in one line which ids exist.
func Lookup(id string) (Scenario, error) {
	if s, ok := ByID(id); ok {
		return s, nil
	}
	return Scenario{}, fmt.Errorf("unknown scenario %q (try one of: %s)", termtext.Clip(id, 32), strings.Join(IDs(), ", "))
}
