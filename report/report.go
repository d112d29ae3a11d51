// Package report writes finished Runs for people and programs: the JSON lines of
// `timeslice run --json`, the text summary and lines, the lesson matrix as a table, the Chrome
// trace-event export, the files exports go to, and asciicast recordings of what a terminal
// showed. It never observes a run or computes a scheduling fact: it prints what the model holds.
package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"timeslice/internal/termtext"
	"timeslice/model"
)

// Report is the JSON form of a finished Run: one line per scenario of `timeslice run --json`.
type Report struct {
	Scenario string       `json:"scenario"`
	Params   []string     `json:"params"`
	Procs    int          `json:"gomaxprocs"`
	WallMs   float64      `json:"wall_ms"`
	CPUMs    float64      `json:"cpu_ms"`
	Lines    []string     `json:"lines"`
	Tasks    []TaskReport `json:"tasks"`
	Partials []int64      `json:"partials,omitempty"`
	// Total is absent unless the run is complete (model.Run.Total); Missing then lists the
	// chunks, from 1, that gave no partial sum.
	Total    *int64         `json:"total,omitempty"`
	Missing  []int          `json:"missing,omitempty"`
	Switches model.Switches `json:"context_switches"`
	// AtOnce is the most tasks running at the same time, averaged over any model.AtOnceWindow.
	AtOnce float64 `json:"at_once"`
	// BusyCores is the most cores over half busy in one load sample; null without samples.
	BusyCores *int `json:"busy_cores"`
	// CoreMoves counts the times a task ran on another core than the last time it ran.
	CoreMoves int `json:"core_moves"`
	// OtherLoad is the share of the machine (0–1) other programs used while the run ran.
	OtherLoad float64 `json:"other_load"`
	Error     string  `json:"error,omitempty"`
	// Command and ExitCode are, for a watched program, the command line and its exit status;
	// its Scenario is then "watch" and Label what the live view calls it ("py: cpu_threads").
	Command  []string `json:"command,omitempty"`
	Label    string   `json:"label,omitempty"`
	ExitCode *int     `json:"exit_code,omitempty"`
	// Sampling says, for a watched program, how its threads were read from /proc.
	Sampling *SamplingReport `json:"sampling,omitempty"`
}

// SamplingReport is how a watched program's threads were read: every period_ms on average,
// rounds times, at cost (a share of one core).
type SamplingReport struct {
	PeriodMs float64 `json:"period_ms"`
	Rounds   int     `json:"rounds"`
	Cost     float64 `json:"cost"`
}

// TaskReport is one task's totals in a Report.
type TaskReport struct {
	Name      string         `json:"name"`
	Kind      model.TaskKind `json:"kind"`
	RunningMs float64        `json:"running_ms"`
	ReadyMs   float64        `json:"ready_ms"`
	WaitingMs float64        `json:"waiting_ms"`
	// LockMs is the part of ReadyMs spent waiting for a lock (the global lock; a watched
	// thread blocked in a futex), IOMs the part of WaitingMs spent waiting for input or output
	// or a timer.
	LockMs float64 `json:"lock_ms"`
	IOMs   float64 `json:"io_ms"`
	// Cores are the CPU cores the task was seen running on.
	Cores []int `json:"cores"`
	// Threads are the OS thread ids the task ran on, where the trace says.
	Threads []int `json:"threads,omitempty"`
	// Preemptions is how often the Go scheduler preempted the task.
	Preemptions int `json:"preemptions"`
	// PID and TID are, for a watched program's lane, the kernel's process and thread ids.
	PID int `json:"pid,omitempty"`
	TID int `json:"tid,omitempty"`
}

// taskEnd is when t's last interval ends.
func taskEnd(t model.Task) time.Duration {
	last, _ := t.Last()
	return last.End
}

// millis turns a duration into milliseconds with microsecond precision.
func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// New builds the JSON form of r.
func New(r *model.Run) Report {
	rep := Report{Scenario: r.Scenario, Params: r.Params, Procs: r.Procs, WallMs: millis(r.Wall), CPUMs: millis(r.CPU),
		Lines: make([]string, len(r.Lines)), Tasks: make([]TaskReport, len(r.Tasks)), Error: r.Err, Switches: r.Switches,
		OtherLoad: math.Round(r.OtherLoad()*1000) / 1000}
	for i, l := range r.Lines {
		rep.Lines[i] = l.Text
	}
	for i, t := range r.Tasks {
		tl := t.Tally(0, taskEnd(t))
		rep.Tasks[i] = TaskReport{Name: t.Name, Kind: t.Kind, RunningMs: millis(tl.Running), ReadyMs: millis(tl.Ready),
			WaitingMs: millis(tl.Waiting), LockMs: millis(tl.Lock), IOMs: millis(tl.IO), Cores: t.Cores(),
			Threads: t.Threads(), Preemptions: t.Preemptions, PID: t.PID, TID: t.TID}
	}
	if r.Command != nil {
		rep.Scenario, rep.Label, rep.Command = "watch", r.Scenario, r.Command
		if r.Finished {
			code := r.ExitCode
			rep.ExitCode = &code
		}
	}
	if s := r.Sampling; s != nil {
		rep.Sampling = &SamplingReport{PeriodMs: millis(s.Period), Rounds: s.Rounds, Cost: math.Round(s.Cost*10000) / 10000}
	}
	if f := r.Facts; f != nil {
		rep.AtOnce, rep.CoreMoves = math.Round(f.AtOnce*100)/100, f.CoreMoves
		if f.BusyCores >= 0 {
			busy := f.BusyCores
			rep.BusyCores = &busy
		}
	}
	if r.Result != nil {
		rep.Partials, rep.Missing = r.Result.Partials, r.Result.Missing
		if total, ok := r.Total(); ok {
			rep.Total = &total
		}
	}
	return rep
}

// NoTotal says why a CPU-bound run has no total: "no total: chunks 3, 4 missing", or that the
// run failed or has not finished.
func NoTotal(r *model.Run) string {
	switch {
	case r.Result != nil && len(r.Result.Missing) == 1:
		return fmt.Sprintf("no total: chunk %d missing", r.Result.Missing[0])
	case r.Result != nil && len(r.Result.Missing) > 1:
		parts := make([]string, len(r.Result.Missing))
		for i, c := range r.Result.Missing {
			parts[i] = fmt.Sprint(c)
		}
		return "no total: chunks " + strings.Join(parts, ", ") + " missing"
	case r.Err != "":
		return "no total: the run failed"
	}
	return "no total yet"
}

// FormatLine is how a printed line reads in text output: the time since start, then the text,
// cleaned of control characters (what a program prints reaches the terminal as plain text).
func FormatLine(l model.Line) string {
	return fmt.Sprintf("%+7.2fs  %s", l.At.Seconds(), termtext.Clean(l.Text))
}

// WriteSummary prints r's summary as text: wall and CPU time, what happened in one sentence
// (Sentence), results, then one row per task. speedup is the speedup against the baseline,
// or 0 when the baseline has not run; sentence is the run's, or "".
func WriteSummary(w io.Writer, r *model.Run, baseline string, speedup float64, sentence string) {
	fmt.Fprintf(w, "%s: wall %.3f s, CPU %.3f s, GOMAXPROCS %d", r.Scenario, r.Wall.Seconds(), r.CPU.Seconds(), r.Procs)
	if speedup > 0 {
		fmt.Fprintf(w, ", %.2f× against %s", speedup, baseline)
	}
	fmt.Fprintln(w)
	if sentence != "" {
		fmt.Fprintf(w, "  %s\n", sentence)
	}
	if r.Err != "" {
		fmt.Fprintf(w, "  error: %s\n", termtext.Clean(r.Err))
	}
	if o := r.OtherLoad(); o > model.OtherLoadWarning {
		fmt.Fprintf(w, "  other programs used %.0f %% of the machine during this run: its times and speedups may be off\n", 100*o)
	}
	if r.Result != nil {
		if total, ok := r.Total(); ok {
			fmt.Fprintf(w, "  partials in completion order: %v  total: %d\n", r.Result.Partials, total)
		} else {
			fmt.Fprintf(w, "  partials in completion order: %v  %s\n", r.Result.Partials, NoTotal(r))
		}
	}
	for _, t := range r.Tasks {
		tot := t.Totals()
		cores := make([]string, 0, 4)
		for _, c := range t.Cores() {
			cores = append(cores, fmt.Sprintf("cpu%d", c))
		}
		where := strings.Join(cores, ",")
		if where == "" {
			where = "core not seen"
		}
		fmt.Fprintf(w, "  %-12s running %8.1f ms  ready %8.1f ms  waiting %8.1f ms  %s\n",
			termtext.Clean(t.Name), millis(tot.Running), millis(tot.Ready), millis(tot.Waiting), where)
	}
}
