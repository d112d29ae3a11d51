package model

import (
	"testing"
	"time"

	"timeslice/scenarios"
)

func finishedRun(id string, wall time.Duration) *Run {
	return &Run{Scenario: id, Wall: wall, Finished: true}
}

func TestLessonMatrixArithmetic(t *testing.T) {
	last := map[string]*Run{
		"io-sequential":   finishedRun("io-sequential", 4000*time.Millisecond),
		"io-threads":      finishedRun("io-threads", 1000*time.Millisecond),
		"io-asyncio":      finishedRun("io-asyncio", 1250*time.Millisecond),
		"cpu-sequential":  finishedRun("cpu-sequential", 2000*time.Millisecond),
		"cpu-threads-gil": finishedRun("cpu-threads-gil", 2100*time.Millisecond),
		"cpu-processes":   finishedRun("cpu-processes", 1100*time.Millisecond),
		"cpu-goroutines":  finishedRun("cpu-goroutines", 1000*time.Millisecond),
	}
	m := LessonMatrix(last)
	if !m.Complete() {
		t.Fatalf("matrix %+v should be complete", m)
	}
	for _, c := range []struct {
		b    scenarios.Bound
		s    scenarios.Style
		want float64
	}{
		{scenarios.IOBound, scenarios.Sequential, 1},
		{scenarios.IOBound, scenarios.Concurrent, 3.2},   // io-asyncio: 4000/1250
		{scenarios.IOBound, scenarios.Parallel, 4},       // io-threads
		{scenarios.CPUBound, scenarios.Sequential, 1},    //
		{scenarios.CPUBound, scenarios.Concurrent, 0.95}, // 2000/2100, rounded to 2 places
		{scenarios.CPUBound, scenarios.Parallel, 2},      // the better of processes (1.82) and goroutines (2)
	} {
		got, ok := m.Cell(c.b, c.s)
		if !ok || got != c.want {
			t.Errorf("%s/%s = %v (%v), want %v", c.b, c.s, got, ok, c.want)
		}
	}
}

func TestMatrixLeavesUnmeasuredCellsEmpty(t *testing.T) {
	failed := finishedRun("io-threads", time.Second)
	failed.Err = "the run died"
	m := LessonMatrix(map[string]*Run{
		"io-sequential": finishedRun("io-sequential", 4*time.Second),
		"io-threads":    failed,
	})
	if _, ok := m.Cell(scenarios.IOBound, scenarios.Parallel); ok {
		t.Error("a failed run must not give a speedup")
	}
	if _, ok := m.Cell(scenarios.CPUBound, scenarios.Sequential); ok {
		t.Error("cpu-sequential has not run")
	}
	if v, ok := m.Cell(scenarios.IOBound, scenarios.Sequential); !ok || v != 1 {
		t.Errorf("the baseline against itself is %v, want 1", v)
	}
	if m.Complete() {
		t.Error("matrix should not be complete")
	}
	if Speedup(nil, nil) != 0 || Speedup(finishedRun("x", 0), finishedRun("y", time.Second)) != 0 {
		t.Error("Speedup of missing or zero-wall runs must be 0")
	}
}

// TestSpeedupNeedsTheSameWork: a run is measured only against a baseline that did the same
// work; the cores either may use do not matter.
func TestSpeedupNeedsTheSameWork(t *testing.T) {
	run := func(id string, wall time.Duration, change func(p *scenarios.Params)) *Run {
		p := scenarios.DefaultParams()
		change(&p)
		return &Run{Scenario: id, Params: p.UserArgs(), Wall: wall, Finished: true}
	}
	same := func(*scenarios.Params) {}
	base := run("io-sequential", 4*time.Second, same)
	if sp := Speedup(run("io-threads", time.Second, func(p *scenarios.Params) { p.Cores = 1 }), base); sp != 4 {
		t.Fatalf("speedup %v on one core against the same calls, want 4", sp)
	}
	for name, change := range map[string]func(p *scenarios.Params){
		"calls":   func(p *scenarios.Params) { p.Calls = 5 },
		"latency": func(p *scenarios.Params) { p.Latency = 200 * time.Millisecond },
	} {
		if sp := Speedup(run("io-threads", time.Second, change), base); sp != 0 {
			t.Fatalf("other %s: speedup %v, want none", name, sp)
		}
	}
	cpu := run("cpu-sequential", 2*time.Second, same)
	for name, change := range map[string]func(p *scenarios.Params){
		"upto": func(p *scenarios.Params) { p.Upto = 200 }, "chunks": func(p *scenarios.Params) { p.Chunks = 2 },
		"work": func(p *scenarios.Params) { p.Work = time.Millisecond },
	} {
		if sp := Speedup(run("cpu-goroutines", time.Second, change), cpu); sp != 0 {
			t.Fatalf("other %s: speedup %v, want none", name, sp)
		}
	}
	if sp := Speedup(run("cpu-goroutines", time.Second, func(p *scenarios.Params) { p.Calls = 9 }), cpu); sp != 2 {
		t.Fatalf("calls do not change CPU-bound work: speedup %v, want 2", sp)
	}
}
