// Package model is the Run: what one scenario run did, task by task and state by state (with
// the typed Reason for each), the lines it printed and the load of every core; the facts the
// comparison reads from a run (Facts), the lesson matrix built from finished runs, and the one
// mapping of time onto screen cells (Scale). It never observes, reads files or draws: the
// observer builds Runs, the reports and the live view read them.
package model

import (
	"slices"
	"time"
)

// State is what a task was doing during an interval.
type State uint8

// The states a lane can show. Unknown is drawn as unknown: never as a guess.
const (
	// StateUnknown means nothing was observed for the task at that time.
	StateUnknown State = iota
	// StateRunning means the task was on a CPU core.
	StateRunning
	// StateReady means the task could run but waited for a core, the global lock or the event loop.
	StateReady
	// StateWaiting means the task waited for I/O or a timer.
	StateWaiting
	// StateDone means the task has finished.
	StateDone
)

// String names the state in words, as the legend and the JSON use them.
func (s State) String() string {
	switch s {
	case StateRunning:
		return "running"
	case StateReady:
		return "ready"
	case StateWaiting:
		return "waiting"
	case StateDone:
		return "done"
	}
	return "unknown"
}

// NoCore marks an interval whose core is not known.
const NoCore = -1

// Interval is one span of a task in one state, in time since the run started.
type Interval struct {
	Start, End time.Duration
	State      State
	// Core is the CPU core the task ran on (Running only), or NoCore when not known.
	Core int
	// Thread is the OS thread id that ran the task (Running only), or 0 when not known.
	Thread int
	// Reason says why the task entered the state, when the observation says.
	Reason Reason
}

// Duration is the length of the interval.
func (iv Interval) Duration() time.Duration { return iv.End - iv.Start }

// TaskKind says what a lane stands for.
type TaskKind string

// The kinds of tasks a scenario can have.
const (
	// KindGoroutine is a goroutine, observed through the Go scheduler's trace.
	KindGoroutine TaskKind = "goroutine"
	// KindCoroutine is a coroutine of the single-threaded event loop, observed through the loop's own annotations.
	KindCoroutine TaskKind = "coroutine"
	// KindProcess is an OS process, observed through /proc.
	KindProcess TaskKind = "process"
)

// Task is one lane: a call, a chunk, a thread, a coroutine or a process.
type Task struct {
	Name      string
	Kind      TaskKind
	Intervals []Interval
	// Preemptions counts how often the Go scheduler took the task off its core against its
	// will (from the trace; goroutine lanes only).
	Preemptions int
}

// Totals sums the time a task spent in each state.
type Totals struct {
	Running, Ready, Waiting time.Duration
}

// Totals adds up the task's intervals by state.
func (t Task) Totals() Totals {
	var tot Totals
	for _, iv := range t.Intervals {
		switch iv.State {
		case StateRunning:
			tot.Running += iv.Duration()
		case StateReady:
			tot.Ready += iv.Duration()
		case StateWaiting:
			tot.Waiting += iv.Duration()
		}
	}
	return tot
}

// Cores lists, in increasing order, the cores the task was seen running on.
func (t Task) Cores() []int {
	seen := map[int]bool{}
	for _, iv := range t.Intervals {
		if iv.State == StateRunning && iv.Core != NoCore {
			seen[iv.Core] = true
		}
	}
	out := make([]int, 0, len(seen))
	for c := 0; len(out) < len(seen); c++ {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}

// Threads lists, in increasing order, the distinct OS threads the task was seen running on.
func (t Task) Threads() []int {
	var out []int
	for _, iv := range t.Intervals {
		if iv.State == StateRunning && iv.Thread != 0 && !slices.Contains(out, iv.Thread) {
			out = append(out, iv.Thread)
		}
	}
	slices.Sort(out)
	return out
}

// StateAt returns the interval that covers time at, and false if none does.
func (t Task) StateAt(at time.Duration) (Interval, bool) {
	for _, iv := range t.Intervals {
		if iv.Start <= at && at < iv.End {
			return iv, true
		}
	}
	return Interval{}, false
}

// Switches are context switch counts: voluntary (the task blocked, e.g. to wait) and
// involuntary (the kernel took its core away).
type Switches struct {
	Voluntary   int `json:"voluntary"`
	Involuntary int `json:"involuntary"`
}

// Line is one line the scenario printed, with the time since the run started.
type Line struct {
	At   time.Duration
	Text string
}

// CoreSample is the load of every core over a short window ending at At, in percent (0–100).
type CoreSample struct {
	At      time.Duration
	Percent []float64
}

// Result is what a CPU-bound scenario computed.
type Result struct {
	// Partials are the chunks' partial sums in the order they completed.
	Partials []int64
	// Total is the sum of the partials.
	Total int64
}

// Run is everything observed of one scenario run: its tasks with their state intervals, its
// printed lines, core load samples, results and summary. A Run handed out by a Session is
// never changed afterwards: each update is a fresh value.
type Run struct {
	Scenario string
	// Params are the command-line style flags the run was started with ("--calls=4", ...).
	Params []string
	// Procs is the GOMAXPROCS the child ran with.
	Procs int
	// Elapsed is the time since the run started, as of this snapshot.
	Elapsed time.Duration
	// Wall is the work's wall time, set once the run has finished.
	Wall time.Duration
	// CPU is the CPU time (user+system) the child and its own children used during the work.
	CPU   time.Duration
	Tasks []Task
	Lines []Line
	Cores []CoreSample
	// CoresNote says why core load is unavailable, when it is.
	CoresNote string
	Result    *Result
	// TraceNote says why the lanes may be incomplete, when the trace could not be read.
	TraceNote string
	// Switches are the context switches of the child's threads and its worker processes during
	// the work, as the kernel counts them: sampled from /proc while the run goes on, and the
	// child's own count (getrusage) once it has finished.
	Switches Switches
	// Finished is true once the child has exited and everything it sent has been read.
	Finished bool
	// Err says why the run failed, when it did ("child killed by signal 9", ...).
	Err string
	// GoTrace is the child's whole raw runtime/trace (`go tool trace` opens it); it is kept
	// only when the observer was asked for it.
	GoTrace []byte
	// ProcPeriod is how often /proc was sampled for the process lanes: each sampled window of
	// a process lane is about this long. Zero when nothing was sampled.
	ProcPeriod time.Duration
	// Facts are what the comparison says of the run, worked out from everything above by
	// FactsOf; nil when they have not been.
	Facts *Facts
}

// Until is r as it was at time at: every interval cut there, lines and samples up to it, and
// its facts worked out again for what is left, when r has them. The wall time stays, so a
// picture's time scale does not change with at.
func (r *Run) Until(at time.Duration) *Run {
	c := *r
	c.Tasks = make([]Task, 0, len(r.Tasks))
	for _, tk := range r.Tasks {
		t := tk
		t.Intervals = nil
		for _, iv := range tk.Intervals {
			if iv.Start < at {
				iv.End = min(iv.End, at)
				t.Intervals = append(t.Intervals, iv)
			}
		}
		c.Tasks = append(c.Tasks, t)
	}
	c.Lines = nil
	for _, l := range r.Lines {
		if l.At <= at {
			c.Lines = append(c.Lines, l)
		}
	}
	c.Cores = nil
	for _, s := range r.Cores {
		if s.At <= at {
			c.Cores = append(c.Cores, s)
		}
	}
	if r.Facts != nil {
		c.Facts = FactsOf(&c)
	}
	return &c
}
