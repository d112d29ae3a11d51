// Package model is the Run: what one scenario run did, task by task and state by state (with
// the typed Reason for each), the lines it printed and the load of every core; the facts the
// comparison reads from a run (Facts), the lesson matrix built from finished runs, and the one
// mapping of time onto screen cells (Scale). It never observes, reads files or draws: the
// observer builds Runs, the reports and the live view read them.
package model

import (
	"cmp"
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
	// StateMixed is a sampled window in which the task was in more than one state: the kernel
	// counted how long it ran, was ready and waited, but not in which order. Its Interval says
	// how much of it was each (RunShare, ReadyShare; the rest waiting), and it is drawn as
	// such over its whole span, never as running first and ready after.
	StateMixed
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
	case StateMixed:
		return "mixed"
	}
	return "unknown"
}

// Source says where an interval comes from, from the most exact to the least.
type Source uint8

// The sources of an interval.
const (
	// SourceNone means the interval's source is not recorded.
	SourceNone Source = iota
	// SourceExact is the work's own measurement: its thread's CPU clock against the monotonic
	// clock, checked every fraction of a millisecond of computation (package oncpu).
	SourceExact
	// SourceTrace is the Go scheduler's record, runtime/trace: exact about goroutines, but a
	// goroutine it calls running is only on a thread, which the kernel may have taken off its core.
	SourceTrace
	// SourceSampled is the kernel's counters read from /proc at intervals: how long a task ran,
	// waited for a core and slept in each window, not when within it.
	SourceSampled
)

// String names the source, as the Chrome export and the README do.
func (s Source) String() string {
	switch s {
	case SourceExact:
		return "exact"
	case SourceTrace:
		return "trace"
	case SourceSampled:
		return "sampled"
	}
	return ""
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
	// Source says where the interval comes from.
	Source Source
	// RunShare and ReadyShare are, for StateMixed, the parts of the interval the task spent
	// running and ready (0–1; the rest it waited); Core and Thread are then those of its
	// running part. Unused in every other state.
	RunShare, ReadyShare float32
}

// Duration is the length of the interval.
func (iv Interval) Duration() time.Duration { return iv.End - iv.Start }

// Shares splits d, a part of the interval, into the time the task spent running, ready and
// waiting in it: all of it in the interval's own state, or the shares of a mixed window.
func (iv Interval) Shares(d time.Duration) (running, ready, waiting time.Duration) {
	switch iv.State {
	case StateRunning:
		return d, 0, 0
	case StateReady:
		return 0, d, 0
	case StateWaiting:
		return 0, 0, d
	case StateMixed:
		running = time.Duration(float64(d) * float64(iv.RunShare))
		ready = min(time.Duration(float64(d)*float64(iv.ReadyShare)), d-running)
		return running, ready, d - running - ready
	}
	return 0, 0, 0
}

// TaskKind says what a lane stands for.
type TaskKind string

// The kinds of tasks a scenario can have.
const (
	// KindGoroutine is a goroutine, observed through the Go scheduler's trace.
	KindGoroutine TaskKind = "goroutine"
	// KindCoroutine is a coroutine of the single-threaded event loop, observed through the loop's own annotations.
	KindCoroutine TaskKind = "coroutine"
	// KindProcess is an OS process, observed through /proc: a worker process of a scenario, or
	// the main thread of a process of a watched program.
	KindProcess TaskKind = "process"
	// KindThread is one more OS thread of a watched program's process, observed through /proc.
	KindThread TaskKind = "thread"
)

// Task is one lane: a call, a chunk, a thread, a coroutine or a process.
type Task struct {
	Name string
	Kind TaskKind
	// Intervals are what the task did, in time order, never overlapping. In a Run handed out
	// while its run goes on, the newest of them, which may still change, are held apart
	// (WithOpen): read such a task through its methods, or All.
	Intervals []Interval
	// Preemptions counts how often the Go scheduler took the task off its core against its
	// will (from the trace; goroutine lanes only).
	Preemptions int
	// PID and TID are, for a lane of a watched program, the kernel's ids of its process and
	// thread; 0 for every other lane.
	PID, TID int
	// index lets Tally add up long stretches quickly (Indexed); nil for none.
	index *taskIndex
	// open are the intervals after Intervals that may still change (WithOpen); nil for none.
	open []Interval
}

// WithOpen returns t with open after its intervals: a task of a run still going on, whose
// Intervals are final and may be shared with the same task handed out before (the next one
// adds to them, past their end, and never writes them again), and whose open intervals may
// come out otherwise in the next. Handing out a lane then costs what is new, not its history.
func (t Task) WithOpen(open []Interval) Task {
	t.Intervals, t.open = slices.Clip(t.Intervals), nil
	if len(open) > 0 {
		t.open = open
	}
	return t
}

// All is every interval of the task in order: Intervals, then the open ones (WithOpen). It is
// Intervals itself when none are open, else a new slice.
func (t *Task) All() []Interval {
	if len(t.open) == 0 {
		return t.Intervals
	}
	return append(slices.Clip(t.Intervals), t.open...)
}

// Flat returns t with its open intervals (WithOpen) moved to the end of Intervals.
func (t Task) Flat() Task {
	if len(t.open) == 0 {
		return t
	}
	t.Intervals, t.open, t.index = t.All(), nil, nil
	return t
}

// First and Last are the task's first and last intervals, open ones included; ok is false
// when it has none.
func (t *Task) First() (iv Interval, ok bool) {
	s := t.seq()
	if s.len() == 0 {
		return Interval{}, false
	}
	return s.at(0), true
}

// Last: see First.
func (t *Task) Last() (iv Interval, ok bool) {
	s := t.seq()
	if s.len() == 0 {
		return Interval{}, false
	}
	return s.at(s.len() - 1), true
}

// StateSince returns the interval covering at, and when the task entered its state there:
// the start of the adjoining intervals before it in the same state (and, running, on the same
// core). ok is false when no interval covers at.
func (t *Task) StateSince(at time.Duration) (iv Interval, since time.Duration, ok bool) {
	s := t.seq()
	i := s.search(at)
	if i == s.len() || s.at(i).Start > at {
		return Interval{}, 0, false
	}
	iv = s.at(i)
	since = iv.Start
	for j := i - 1; j >= 0; j-- {
		p := s.at(j)
		if p.End != since || p.State != iv.State || iv.State == StateRunning && p.Core != iv.Core {
			break
		}
		since = p.Start
	}
	return iv, since, true
}

// intervalSeq is a task's intervals as one sequence: its final ones, then its open ones.
type intervalSeq struct{ final, open []Interval }

func (t *Task) seq() intervalSeq { return intervalSeq{t.Intervals, t.open} }

func (s intervalSeq) len() int { return len(s.final) + len(s.open) }

func (s intervalSeq) at(i int) Interval {
	if i < len(s.final) {
		return s.final[i]
	}
	return s.open[i-len(s.final)]
}

// search is the index of the first interval that ends after at: s.len() when none does.
func (s intervalSeq) search(at time.Duration) int {
	endsAfter := func(iv Interval, t time.Duration) int { return cmp.Compare(iv.End, t+1) }
	if len(s.open) > 0 && (len(s.final) == 0 || s.final[len(s.final)-1].End <= at) {
		i, _ := slices.BinarySearchFunc(s.open, at, endsAfter)
		return len(s.final) + i
	}
	i, _ := slices.BinarySearchFunc(s.final, at, endsAfter)
	return i
}

// Totals sums the time a task spent in each state.
type Totals struct {
	Running, Ready, Waiting time.Duration
}

// Totals adds up the task's intervals by state; a mixed window adds each of its shares.
func (t Task) Totals() Totals {
	var tot Totals
	for _, part := range [][]Interval{t.Intervals, t.open} {
		for _, iv := range part {
			run, ready, wait := iv.Shares(iv.Duration())
			tot.Running += run
			tot.Ready += ready
			tot.Waiting += wait
		}
	}
	return tot
}

// Cores lists, in increasing order, the cores the task was seen running on.
func (t Task) Cores() []int {
	var out []int
	rest := t.Intervals
	if x := t.index; x.valid(t.Intervals) {
		out, rest = slices.Clone(x.ranOn), t.Intervals[x.n:]
	}
	for _, iv := range rest {
		out = ranOn(out, iv)
	}
	for _, iv := range t.open {
		out = ranOn(out, iv)
	}
	slices.Sort(out)
	if out == nil {
		out = []int{} // none, never null in the JSON
	}
	return out
}

// Threads lists, in increasing order, the distinct OS threads the task was seen running on.
func (t Task) Threads() []int {
	starts := t.ThreadStarts()
	out := make([]int, 0, len(starts))
	for _, s := range starts {
		out = append(out, s.Thread)
	}
	slices.Sort(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// ThreadStart is when an OS thread first ran a task.
type ThreadStart struct {
	Thread int
	At     time.Duration
}

// ThreadStarts lists the OS threads the task was seen running on, with when each first did,
// in that order.
func (t Task) ThreadStarts() []ThreadStart {
	var out []ThreadStart
	rest := t.Intervals
	if x := t.index; x.valid(t.Intervals) {
		out, rest = slices.Clone(x.ranBy), t.Intervals[x.n:]
	}
	for _, iv := range rest {
		out = ranBy(out, iv)
	}
	for _, iv := range t.open {
		out = ranBy(out, iv)
	}
	return out
}

// ran reports whether the task ran during iv.
func ran(iv Interval) bool {
	return iv.State == StateRunning || iv.State == StateMixed && iv.RunShare > 0
}

// ranOn adds iv's core to cores if the task ran on it there and it is not in cores yet.
func ranOn(cores []int, iv Interval) []int {
	if ran(iv) && iv.Core != NoCore && !slices.Contains(cores, iv.Core) {
		return append(cores, iv.Core)
	}
	return cores
}

// ranBy adds iv's thread to starts if it ran the task there and is not in starts yet.
func ranBy(starts []ThreadStart, iv Interval) []ThreadStart {
	if ran(iv) && iv.Thread != 0 && !slices.ContainsFunc(starts, func(s ThreadStart) bool { return s.Thread == iv.Thread }) {
		return append(starts, ThreadStart{iv.Thread, iv.Start})
	}
	return starts
}

// StateAt returns the interval that covers time at, and false if none does.
func (t Task) StateAt(at time.Duration) (Interval, bool) {
	iv, _, ok := t.StateSince(at)
	return iv, ok
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

// CoreSample is the load of every core over a short window ending at At, in percent (0–100):
// all of it (Percent, as the kernel counts the core's busy time), and the part this run's own
// threads and processes used (Ours; nil when not known). The rest was other programs'.
type CoreSample struct {
	At      time.Duration
	Percent []float64
	Ours    []float64
}

// otherShare is the share of the machine (0–1) that programs other than the run used over
// the samples: busy time not the run's own, over every core's time.
func otherShare(samples []CoreSample) float64 {
	var other, total float64
	for i, s := range samples {
		if i == 0 || len(s.Ours) != len(s.Percent) {
			continue
		}
		window := float64(s.At - samples[i-1].At)
		for c, p := range s.Percent {
			other += max(p-s.Ours[c], 0) / 100 * window
			total += window
		}
	}
	if total <= 0 {
		return 0
	}
	return other / total
}

// Result is what a CPU-bound scenario computed.
type Result struct {
	// Partials are the chunks' partial sums in the order they completed.
	Partials []int64
	// Total is the sum of the partials: the run's answer only when the run is complete (see
	// Run.Total).
	Total int64
	// Missing are the chunks (numbered from 1) that gave no partial sum, once the run has
	// finished.
	Missing []int
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
	// Facts are what the comparison says of the run, worked out from everything above by
	// FactsOf; nil when they have not been.
	Facts *Facts
	// census lets Census add up every task at once (CensusBuilder.WithCensus); nil for none.
	census *censusIndex
	// Command is, for a watched program, the command line that was run as it is and observed
	// from outside; nil for timeslice's own scenarios.
	Command []string
	// ExitCode is a watched program's exit status once it has finished: its exit code, or 128+N
	// when signal N ended it, as a shell reports it.
	ExitCode int
	// Sampling says, for a watched program, how its threads were read; nil otherwise.
	Sampling *Sampling
}

// Sampling is how a watched program's threads were read from /proc: how often, and what the
// reading cost the observer.
type Sampling struct {
	// Period is the time between two readings of every thread, on average.
	Period time.Duration
	// Rounds is how many times every thread was read.
	Rounds int
	// Cost is the CPU time the readings took, as a share of one core over the run.
	Cost float64
}

// OtherLoad is the share of the machine (0–1) that other programs used while r ran, from its
// core samples: when it is large, r's times (and speedups against other runs) are not the
// work's alone. Zero when the samples do not tell.
func (r *Run) OtherLoad() float64 { return otherShare(r.Cores) }

// OtherLoadWarning is the share of the machine other programs may use during a run before its
// summary says its figures may be off.
const OtherLoadWarning = 0.10

// Total is the sum a CPU-bound run computed, with ok true, once the run has finished without
// an error and every chunk gave its partial sum. A failed or unfinished run has no total: the
// sum of what arrived is not the answer.
func (r *Run) Total() (total int64, ok bool) {
	if r == nil || r.Result == nil || !r.Finished || r.Err != "" || len(r.Result.Missing) > 0 {
		return 0, false
	}
	return r.Result.Total, true
}

// Until is r as it was at time at: every interval cut there, lines and samples up to it, and
// its facts worked out again for what is left, when r has them. The wall time stays, so a
// picture's time scale does not change with at.
func (r *Run) Until(at time.Duration) *Run {
	c := *r
	c.census = nil // of the whole run, not of what is left of it
	c.Tasks = make([]Task, 0, len(r.Tasks))
	for _, tk := range r.Tasks {
		t := tk.Flat()
		t.Intervals, t.index = nil, nil
		for _, iv := range tk.All() {
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
