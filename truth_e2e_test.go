package main

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// chromeSlice is one "X" slice of a Chrome export, in microseconds.
type chromeSlice struct {
	Name     string  `json:"name"`
	Ph       string  `json:"ph"`
	Ts       float64 `json:"ts"`
	Dur      float64 `json:"dur"`
	Pid, Tid int
	Cat      string `json:"cat"`
}

// TestExportDrawsOnlyWhatCoresDid reads the Chrome export of real runs the way a checker of
// Perfetto files would, independently of the model: it sweeps every "running" slice's start
// and end per run and measures how long more slices overlapped than the run had cores. Four
// processes or goroutines on the machine's cores never exceed them (≤ 2 ms); under the global
// lock, more than one runs for at most 2 % of the run; coroutines of one event loop never run
// together (≤ 1 ms).
func TestExportDrawsOnlyWhatCoresDid(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "truth.json")
	r := runBinary(t, "run", "--json", "--work=5ms", "--latency=100ms", "--export-trace", js,
		"cpu-processes", "cpu-goroutines", "cpu-threads-gil", "io-asyncio")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		TraceEvents []struct {
			chromeSlice
			Args map[string]any `json:"args"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	names := map[int]string{}
	running := map[int][]chromeSlice{}
	var end = map[int]float64{}
	for _, ev := range file.TraceEvents {
		switch {
		case ev.Ph == "M" && ev.Name == "process_name":
			names[ev.Pid], _ = ev.Args["name"].(string)
		case ev.Ph == "X":
			end[ev.Pid] = max(end[ev.Pid], ev.Ts+ev.Dur)
			if strings.HasPrefix(ev.Name, "running") {
				running[ev.Pid] = append(running[ev.Pid], ev.chromeSlice)
			}
		}
	}
	cores := runtime.NumCPU()
	for pid, name := range names {
		id, _, _ := strings.Cut(name, " ")
		over, twoOrMore := overlapMs(running[pid], cores), overlapMs(running[pid], 1)
		t.Logf("%s: more than %d running for %.2f ms, more than one for %.1f ms of %.0f ms", id, cores, over, twoOrMore, end[pid]/1000)
		if over > 2 {
			t.Errorf("%s: more than %d tasks running for %.2f ms on a %d-core machine", id, cores, over, cores)
		}
		switch id {
		case "cpu-threads-gil":
			if twoOrMore > 0.02*end[pid]/1000 {
				t.Errorf("%s: more than one thread running for %.1f ms of %.0f ms under the lock", id, twoOrMore, end[pid]/1000)
			}
		case "io-asyncio":
			if twoOrMore > 1 {
				t.Errorf("%s: coroutines running together for %.2f ms", id, twoOrMore)
			}
		}
	}
	if len(names) != 4 {
		t.Fatalf("runs in the export: %v", names)
	}
}

// overlapMs is how long, in milliseconds, more than n of the slices overlapped.
func overlapMs(ss []chromeSlice, n int) float64 {
	type edge struct {
		at float64
		d  int
	}
	var edges []edge
	for _, s := range ss {
		edges = append(edges, edge{s.Ts, 1}, edge{s.Ts + s.Dur, -1})
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.d, b.d)) })
	cur, last, over := 0, 0.0, 0.0
	for _, e := range edges {
		if cur > n {
			over += e.at - last
		}
		cur += e.d
		last = e.at
	}
	return over / 1000
}
