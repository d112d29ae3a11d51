package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"timeslice/report"
)

// needPython skips a benchmark or test where python3 is not installed.
func needPython(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		tb.Skip("no python3 (.ci/run installs it)")
	}
}

// watchJSON watches one of examples/python's programs and returns its JSON, and its Chrome
// export's slices when export is set.
func watchJSON(tb testing.TB, script string, export bool) (report.Report, []chromeExportEvent) {
	tb.Helper()
	args := []string{"watch", "--json"}
	file := filepath.Join(tb.TempDir(), "watch.json")
	if export {
		args = append(args, "--export-trace", file)
	}
	r := runBinary(tb, append(args, "--", "python3", filepath.Join("examples", "python", script))...)
	if r.code != 0 {
		tb.Fatalf("%s: exit %d: %s", script, r.code, r.stderr)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		tb.Fatal(err)
	}
	if !export {
		return rep, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	var f struct {
		TraceEvents []chromeExportEvent `json:"traceEvents"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		tb.Fatal(err)
	}
	return rep, f.TraceEvents
}

// chromeExportEvent is one event of a Chrome export, with its arguments.
type chromeExportEvent struct {
	chromeSlice
	Args map[string]any `json:"args"`
}

// runningSlices are the export's "running" slices.
func runningSlices(evs []chromeExportEvent) []chromeSlice {
	var out []chromeSlice
	for _, e := range evs {
		if e.Ph == "X" && e.Name == "running" {
			out = append(out, e.chromeSlice)
		}
	}
	return out
}

// oneAtATime is, over the 1 ms stretches of a watched threads run's export in which its worker
// threads (every lane but a process's main one) ran at least 0.1 ms, the share in which one
// thread did at least four fifths of that running, and the share in which they ran more than
// 1.25 ms in all: what a student zoomed in to a millisecond a cell sees.
func oneAtATime(evs []chromeExportEvent) (one, over float64) {
	workers := map[int]bool{}
	for _, e := range evs {
		if e.Ph == "M" && e.Name == "thread_name" {
			if name, _ := e.Args["name"].(string); strings.Contains(name, "/") {
				workers[e.Tid] = true
			}
		}
	}
	bins := map[int]map[int]float64{} // ms → thread → µs of running
	for _, e := range evs {
		if e.Ph != "X" || !workers[e.Tid] || e.Dur <= 0 {
			continue
		}
		run := 0.0
		switch e.Name {
		case "running":
			run = e.Dur
		case "mixed":
			ms, _ := e.Args["running_ms"].(float64)
			run = ms * 1000
		}
		rate := run / e.Dur
		for t, end := e.Ts, e.Ts+e.Dur; t < end && rate > 0; {
			b := int(t / 1000)
			next := min(end, float64(b+1)*1000)
			if bins[b] == nil {
				bins[b] = map[int]float64{}
			}
			bins[b][e.Tid] += (next - t) * rate
			t = next
		}
	}
	n, ones, overs := 0, 0, 0
	for _, b := range bins {
		var sum, most float64
		for _, us := range b {
			sum += us
			most = max(most, us)
		}
		if sum < 100 {
			continue
		}
		n++
		if most >= 0.8*sum {
			ones++
		}
		if sum > 1250 {
			overs++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(ones) / float64(n), float64(overs) / float64(n)
}

// BenchmarkWatchCPython watches the article's CPU-bound and asyncio programs and reports what
// the issue asks them to show on a 2-core machine: four GIL threads keep about one core busy
// (cores-busy, CPU over wall), wait on the lock longer than the run lasts (lock/wall), and run
// one at a time zoomed in; a pool of four keeps at least 1.4 cores busy and never shows more
// running at once than there are cores; asyncio runs on exactly one thread in about 1 s. Also
// what reading the threads cost (sampler-%, of one core).
//
//	go test . -run '^$' -bench WatchCPython -benchtime=3x
func BenchmarkWatchCPython(b *testing.B) {
	needPython(b)
	var thrBusy, lockWall, one, over, poolBusy, poolMax, asyncThreads, asyncWall, cost, other []float64
	for range b.N {
		thr, evs := watchJSON(b, "cpu_threads.py", true)
		var lock float64
		for _, t := range thr.Tasks[1:] {
			if t.PID == thr.Tasks[0].PID {
				lock += t.LockMs
			}
		}
		o, v := oneAtATime(evs)
		thrBusy, lockWall = append(thrBusy, thr.CPUMs/thr.WallMs), append(lockWall, lock/thr.WallMs)
		one, over = append(one, o), append(over, v)

		pool, evs := watchJSON(b, "cpu_processes.py", true)
		most := 0
		for n := 1; n <= 8; n++ {
			if overlapMs(runningSlices(evs), n) == 0 {
				most = n
				break
			}
		}
		poolBusy, poolMax = append(poolBusy, pool.CPUMs/pool.WallMs), append(poolMax, float64(most))

		async, _ := watchJSON(b, "io_asyncio.py", false)
		ran := 0
		for _, t := range async.Tasks {
			if t.PID == async.Tasks[0].PID && t.RunningMs > 0 { // python's own threads, not a launcher's
				ran++
			}
		}
		asyncThreads, asyncWall = append(asyncThreads, float64(ran)), append(asyncWall, async.WallMs)
		for _, r := range []report.Report{thr, pool, async} {
			cost = append(cost, 100*r.Sampling.Cost)
			other = append(other, r.OtherLoad)
		}
	}
	b.ReportMetric(median(thrBusy), "threads-cores-busy")
	b.ReportMetric(median(lockWall), "threads-lock/wall")
	b.ReportMetric(median(one), "threads-one-at-a-time")
	b.ReportMetric(median(over), "threads-over-1.25")
	b.ReportMetric(median(poolBusy), "pool-cores-busy")
	b.ReportMetric(slices.Max(poolMax), "pool-most-running")
	b.ReportMetric(slices.Max(asyncThreads), "asyncio-threads-ran")
	b.ReportMetric(median(asyncWall), "asyncio-wall-ms")
	b.ReportMetric(median(cost), "sampler-%")
	b.ReportMetric(slices.Max(other), "most-other-load")
}

// BenchmarkGILAgainstCPython sets cpu-threads-gil's speedup over cpu-sequential beside
// CPython's: cpu_threads.py over cpu_sequential.py, watched, on the same machine, the four runs
// of each round interleaved. It reports the medians (model, cpython, and model/cpython, which
// should be within 5 % of 1), and the busiest the machine was with other programs.
//
//	go test . -run '^$' -bench GILAgainstCPython -benchtime=3x
func BenchmarkGILAgainstCPython(b *testing.B) {
	needPython(b)
	var model, cpython, other []float64
	for range b.N {
		pySeq, _ := watchJSON(b, "cpu_sequential.py", false)
		pyThr, _ := watchJSON(b, "cpu_threads.py", false)
		r := runBinary(b, "run", "--json", "cpu-sequential", "cpu-threads-gil")
		if r.code != 0 {
			b.Fatalf("run: exit %d: %s", r.code, r.stderr)
		}
		walls := map[string]float64{}
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			var rep report.Report
			if json.Unmarshal([]byte(line), &rep) == nil && rep.Scenario != "" {
				walls[rep.Scenario] = rep.WallMs
				other = append(other, rep.OtherLoad)
			}
		}
		model = append(model, walls["cpu-sequential"]/walls["cpu-threads-gil"])
		cpython = append(cpython, pySeq.WallMs/pyThr.WallMs)
		other = append(other, pySeq.OtherLoad, pyThr.OtherLoad)
	}
	b.ReportMetric(median(model), "model-speedup")
	b.ReportMetric(median(cpython), "cpython-speedup")
	b.ReportMetric(median(model)/median(cpython), "model/cpython")
	b.ReportMetric(slices.Max(other), "most-other-load")
}

// median is the middle of xs (the mean of the two middle ones for an even count).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
