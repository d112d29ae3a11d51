package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"timeslice/model"
)

// The Chrome trace-event format (the JSON Object Format that Perfetto and chrome://tracing
// open) as WriteChromeTraceFile writes it:
//
//   - each run is a process (pid 1, 2, ...) named after its scenario and flags;
//   - thread 0 of a run is "output": every printed line is an instant event ("ph":"i") there;
//   - each task is a thread (tid 1, 2, ...) named after the task, and each of its state
//     intervals is a complete slice ("ph":"X") named running, ready or waiting, with "ts" and
//     "dur" in microseconds since the run started and the core and reason in "args";
//   - the load of core N is a counter track "cpuN" ("ph":"C") of the run's process, in percent;
//   - the run's facts (model.Facts) are its process's label ("process_labels").
//
// Every track's events are written in time order.

// chromeEvent is one entry of the traceEvents array.
type chromeEvent struct {
	Name  string         `json:"name"`
	Cat   string         `json:"cat,omitempty"`
	Ph    string         `json:"ph"`
	Ts    float64        `json:"ts"`
	Dur   *float64       `json:"dur,omitempty"`
	Pid   int            `json:"pid"`
	Tid   int            `json:"tid"`
	Scope string         `json:"s,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

// chromeTrace is the whole file.
type chromeTrace struct {
	TraceEvents     []chromeEvent  `json:"traceEvents"`
	DisplayTimeUnit string         `json:"displayTimeUnit"`
	OtherData       map[string]any `json:"otherData,omitempty"`
}

// outputTid is the thread that carries a run's printed lines.
const outputTid = 0

// micros turns a duration into the format's microseconds, keeping nanosecond precision.
func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

// writeChromeTrace writes runs as one Chrome trace-event JSON file: a process per run, a
// thread per task with its states as complete slices, per-core load as counter tracks, and
// printed lines as instant events. Times are microseconds since each run started.
func writeChromeTrace(w io.Writer, runs ...*model.Run) error {
	out := chromeTrace{TraceEvents: []chromeEvent{}, DisplayTimeUnit: "ms",
		OtherData: map[string]any{"generator": "timeslice"}}
	for i, r := range runs {
		if r == nil {
			return fmt.Errorf("run %d is missing", i+1)
		}
		out.TraceEvents = append(out.TraceEvents, chromeRun(i+1, r)...)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// chromeRun is the events of one run, as process pid.
func chromeRun(pid int, r *model.Run) []chromeEvent {
	meta := func(name string, tid int, args map[string]any) chromeEvent {
		return chromeEvent{Name: name, Ph: "M", Pid: pid, Tid: tid, Args: args}
	}
	title := r.Scenario
	if len(r.Params) > 0 {
		title += " " + strings.Join(r.Params, " ")
	}
	evs := []chromeEvent{
		meta("process_name", outputTid, map[string]any{"name": title}),
		meta("process_sort_index", outputTid, map[string]any{"sort_index": pid}),
		meta("thread_name", outputTid, map[string]any{"name": "output"}),
		meta("thread_sort_index", outputTid, map[string]any{"sort_index": outputTid}),
	}
	if r.Facts != nil {
		evs = append(evs, meta("process_labels", outputTid, map[string]any{"labels": factsLabel(r.Facts)}))
	}
	lines := slices.Clone(r.Lines) // in arrival order, which can differ from their times
	slices.SortStableFunc(lines, func(a, b model.Line) int { return cmp.Compare(a.At, b.At) })
	for _, l := range lines {
		evs = append(evs, chromeEvent{Name: l.Text, Cat: "output", Ph: "i", Ts: micros(l.At),
			Pid: pid, Tid: outputTid, Scope: "t"})
	}
	for i, t := range r.Tasks {
		tid := i + 1
		evs = append(evs,
			meta("thread_name", tid, map[string]any{"name": t.Name}),
			meta("thread_sort_index", tid, map[string]any{"sort_index": tid}))
		ivs := slices.Clone(t.All())
		slices.SortStableFunc(ivs, func(a, b model.Interval) int { return cmp.Compare(a.Start, b.Start) })
		for _, iv := range ivs {
			if iv.State == model.StateUnknown || iv.State == model.StateDone || iv.End < iv.Start {
				continue
			}
			dur := micros(iv.Duration())
			evs = append(evs, chromeEvent{Name: iv.State.String(), Cat: string(t.Kind), Ph: "X",
				Ts: micros(iv.Start), Dur: &dur, Pid: pid, Tid: tid, Args: intervalArgs(iv)})
		}
	}
	samples := slices.Clone(r.Cores)
	slices.SortStableFunc(samples, func(a, b model.CoreSample) int { return cmp.Compare(a.At, b.At) })
	for _, s := range samples {
		for core, pct := range s.Percent {
			args := map[string]any{"percent": pct}
			if core < len(s.Ours) {
				// A counter track stacks its series: this run's share, then the others' on top.
				args = map[string]any{"this run": s.Ours[core], "other programs": max(pct-s.Ours[core], 0)}
			}
			evs = append(evs, chromeEvent{Name: fmt.Sprintf("cpu%d", core), Cat: "load", Ph: "C",
				Ts: micros(s.At), Pid: pid, Tid: outputTid, Args: args})
		}
	}
	return evs
}

// intervalArgs is what a slice's details pane shows: the core, OS thread and reason, where
// known; a mixed window's shares; and where the interval comes from.
func intervalArgs(iv model.Interval) map[string]any {
	args := map[string]any{}
	if iv.Source != model.SourceNone {
		args["source"] = iv.Source.String()
	}
	if iv.State == model.StateMixed {
		run, ready, wait := iv.Shares(iv.Duration())
		args["running_ms"], args["ready_ms"], args["waiting_ms"] = millis(run), millis(ready), millis(wait)
	}
	if iv.State == model.StateRunning || iv.State == model.StateMixed && iv.RunShare > 0 {
		if iv.Core != model.NoCore {
			args["core"] = iv.Core
		} else {
			args["core"] = "not seen"
		}
		if iv.Thread != 0 {
			args["thread"] = iv.Thread
		}
	}
	if iv.Reason != model.ReasonNone {
		args["reason"] = iv.Reason.String()
	}
	return args
}

// factsLabel is a run's facts as its process's label: "at once 2.00, busy cores 2, core moves 3,
// preemptions 12", leaving out what is not known.
func factsLabel(f *model.Facts) string {
	parts := []string{fmt.Sprintf("at once %.2f", f.AtOnce)}
	if f.BusyCores >= 0 {
		parts = append(parts, fmt.Sprintf("busy cores %d", f.BusyCores))
	}
	parts = append(parts, fmt.Sprintf("core moves %d", f.CoreMoves))
	if f.Preemptions >= 0 {
		parts = append(parts, fmt.Sprintf("preemptions %d", f.Preemptions))
	}
	return strings.Join(parts, ", ")
}
