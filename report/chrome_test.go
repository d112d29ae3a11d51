package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"timeslice/model"
)

// chromeStats is what checkChromeTrace found in a file.
type chromeStats struct {
	processes []string       // process names, in pid order
	threads   map[int]string // thread names by tid, over all processes
	slices    map[string]int // complete slices per thread name
	counters  map[string]int // counter events per counter name
	instants  []string       // instant event names
	labels    []string       // process labels, in pid order
}

// checkChromeTrace parses data as a Chrome trace-event JSON object and checks it against the
// format: every event has a phase, a name, a pid and a tid; complete slices have ts and a
// non-negative dur and do not overlap on their thread; counters carry numeric args; instants
// have a scope; metadata names processes and threads; ts never decreases along a track.
func checkChromeTrace(t *testing.T, data []byte) chromeStats {
	t.Helper()
	var file struct {
		TraceEvents []map[string]any `json:"traceEvents"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&file); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if file.TraceEvents == nil {
		t.Fatal("no traceEvents array")
	}
	st := chromeStats{threads: map[int]string{}, slices: map[string]int{}, counters: map[string]int{}}
	num := func(i int, ev map[string]any, key string) float64 {
		t.Helper()
		n, ok := ev[key].(json.Number)
		if !ok {
			t.Fatalf("event %d: %q missing or not a number: %v", i, key, ev)
		}
		f, err := n.Float64()
		if err != nil {
			t.Fatalf("event %d: %q: %v", i, key, err)
		}
		return f
	}
	lastTs := map[string]float64{}
	lastEnd := map[string]float64{}
	tidNames := map[[2]int]string{}
	for i, ev := range file.TraceEvents {
		ph, _ := ev["ph"].(string)
		name, _ := ev["name"].(string)
		if ph == "" || name == "" {
			t.Fatalf("event %d: no ph or name: %v", i, ev)
		}
		pid, tid := int(num(i, ev, "pid")), int(num(i, ev, "tid"))
		args, _ := ev["args"].(map[string]any)
		if ph == "M" {
			switch name {
			case "process_name":
				st.processes = append(st.processes, fmt.Sprint(args["name"]))
			case "process_labels":
				st.labels = append(st.labels, fmt.Sprint(args["labels"]))
			case "thread_name":
				tidNames[[2]int{pid, tid}] = fmt.Sprint(args["name"])
				st.threads[tid] = fmt.Sprint(args["name"])
			}
			continue
		}
		ts := num(i, ev, "ts")
		track := fmt.Sprintf("%d/%d", pid, tid)
		switch ph {
		case "X":
			dur := num(i, ev, "dur")
			if dur < 0 {
				t.Fatalf("event %d: negative dur %v", i, dur)
			}
			switch name {
			case "running", "ready", "waiting":
			default:
				t.Fatalf("event %d: slice named %q, want a state", i, name)
			}
			thread, ok := tidNames[[2]int{pid, tid}]
			if !ok {
				t.Fatalf("event %d: slice on thread %d/%d, which has no thread_name before it", i, pid, tid)
			}
			if ts < lastEnd[track]-1e-6 {
				t.Fatalf("event %d on %s: starts at %v, before the previous slice ends at %v", i, thread, ts, lastEnd[track])
			}
			lastEnd[track] = ts + dur
			st.slices[thread]++
		case "C":
			track = fmt.Sprintf("%d/%s", pid, name)
			if len(args) == 0 {
				t.Fatalf("event %d: counter without values", i)
			}
			for k, v := range args {
				if _, ok := v.(json.Number); !ok {
					t.Fatalf("event %d: counter value %s=%v is not a number", i, k, v)
				}
			}
			st.counters[name]++
		case "i":
			if s, _ := ev["s"].(string); s != "t" && s != "p" && s != "g" {
				t.Fatalf("event %d: instant scope %q", i, s)
			}
			st.instants = append(st.instants, name)
		default:
			t.Fatalf("event %d: unexpected phase %q", i, ph)
		}
		if ts < lastTs[track] {
			t.Fatalf("event %d: ts %v goes back on track %s (previous %v)", i, ts, track, lastTs[track])
		}
		lastTs[track] = ts
	}
	return st
}

func TestChromeTraceFormat(t *testing.T) {
	ms := time.Millisecond
	r := &model.Run{Scenario: "io-threads", Params: []string{"--calls=2"}, Finished: true,
		Tasks: []model.Task{
			{Name: "call 1", Kind: model.KindGoroutine, Intervals: []model.Interval{
				{Start: 0, End: 1 * ms, State: model.StateRunning, Core: 1, Thread: 42},
				{Start: 1 * ms, End: 100 * ms, State: model.StateWaiting, Core: model.NoCore, Reason: model.ReasonSleep},
				{Start: 100 * ms, End: 101 * ms, State: model.StateReady, Core: model.NoCore, Reason: model.ReasonChanReceive},
				{Start: 101 * ms, End: 102 * ms, State: model.StateRunning, Core: model.NoCore},
			}},
			{Name: "call 2", Kind: model.KindGoroutine, Intervals: []model.Interval{
				// Out of order on purpose: the export sorts each track.
				{Start: 2 * ms, End: 90 * ms, State: model.StateWaiting, Core: model.NoCore, Reason: model.ReasonSleep},
				{Start: 1 * ms, End: 2 * ms, State: model.StateRunning, Core: 0},
				{Start: 90 * ms, End: 200 * ms, State: model.StateUnknown, Core: model.NoCore},
			}},
		},
		Lines: []model.Line{{At: 1 * ms, Text: `call 1: sent "GET /"`}, {At: 100 * ms, Text: "call 1: done"},
			{At: 99 * ms, Text: "call 2: done, arrived late"}},
		Cores: []model.CoreSample{{At: 100 * ms, Percent: []float64{12.5, 3}}, {At: 50 * ms, Percent: []float64{40, 0}}},
	}
	r.Facts = model.FactsOf(r)
	var buf bytes.Buffer
	if err := writeChromeTrace(&buf, r, r); err != nil {
		t.Fatal(err)
	}
	st := checkChromeTrace(t, buf.Bytes())
	if want := "at once 0.03, busy cores 0, core moves 0, preemptions 0"; len(st.labels) != 2 || st.labels[0] != want {
		t.Errorf("process labels %q, want two of %q", st.labels, want)
	}
	if want := "io-threads --calls=2"; len(st.processes) != 2 || st.processes[0] != want {
		t.Errorf("processes %q, want two named %q", st.processes, want)
	}
	if st.slices["call 1"] != 2*4 || st.slices["call 2"] != 2*2 {
		t.Errorf("slices per task %v, want call 1: 8, call 2: 4 (unknown is left out)", st.slices)
	}
	if st.counters["cpu0"] != 4 || st.counters["cpu1"] != 4 {
		t.Errorf("counters %v, want cpu0 and cpu1 with 4 samples each", st.counters)
	}
	if len(st.instants) != 6 || st.instants[0] != `call 1: sent "GET /"` || st.instants[1] != "call 2: done, arrived late" {
		t.Errorf("instants %q", st.instants)
	}
	if !strings.Contains(buf.String(), `"core":1`) || !strings.Contains(buf.String(), `"reason":"sleep"`) || !strings.Contains(buf.String(), `"reason":"chan receive"`) {
		t.Errorf("slice args lack core or reason:\n%s", buf.String())
	}
}

func TestChromeTraceEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := writeChromeTrace(&buf); err != nil {
		t.Fatal(err)
	}
	checkChromeTrace(t, buf.Bytes())
	if err := writeChromeTrace(&buf, nil); err == nil {
		t.Error("a nil run was accepted")
	}
}
