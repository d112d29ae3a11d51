package report

import (
	"strings"
	"testing"
	"time"

	"timeslice/model"
	"timeslice/scenarios"
)

// TestSentence: each finished run's sentence says what its numbers show, in plain words, with
// numbers from the run and its knobs.
func TestSentence(t *testing.T) {
	sc := func(id string) scenarios.Scenario { s, _ := scenarios.ByID(id); return s }
	run := func(id string, wall, cpu time.Duration, at float64, change func(p *scenarios.Params)) *model.Run {
		p := scenarios.DefaultParams()
		if change != nil {
			change(&p)
		}
		return &model.Run{Scenario: id, Params: p.UserArgs(), Wall: wall, CPU: cpu, Finished: true, Facts: &model.Facts{AtOnce: at}}
	}
	seq := run("io-sequential", 4010*time.Millisecond, 40*time.Millisecond, 0, nil)
	cpuSeq := run("cpu-sequential", 2*time.Second, 2*time.Second, 1, nil)
	short := func(p *scenarios.Params) { p.Latency = 200 * time.Millisecond }
	for _, c := range []struct {
		s    string
		r    *model.Run
		base *model.Run
		want []string
		not  []string
	}{
		{"io-sequential", seq, seq, []string{"one after another", "4.01 s", "4 × 1s = 4s"}, nil},
		{"io-threads", run("io-threads", 1004*time.Millisecond, 6*time.Millisecond, 0, nil), seq,
			[]string{"The 4 waits overlapped: 1.00 s instead of 4.01 s"}, nil},
		{"io-asyncio", run("io-asyncio", 205*time.Millisecond, 6*time.Millisecond, 0, short), nil,
			[]string{"overlapped", "0.20 s", "about 800ms"}, []string{"1s", "4.01"}},
		{"io-threads", run("io-threads", 4020*time.Millisecond, 6*time.Millisecond, 0, nil), seq, []string{"did not overlap"}, nil},
		{"cpu-sequential", cpuSeq, cpuSeq, []string{"one after another", "2.00 s"}, nil},
		{"cpu-threads-gil", run("cpu-threads-gil", 2040*time.Millisecond, 2*time.Second, 1.0, nil), cpuSeq,
			[]string{"Only one thread computed at a time", "no faster than one after another (0.98×)"}, nil},
		{"cpu-goroutines", run("cpu-goroutines", 1020*time.Millisecond, 2*time.Second, 2.0, nil), cpuSeq,
			[]string{"Up to 2 chunks computed at once", "1.96× as fast"}, nil},
		{"cpu-goroutines", run("cpu-goroutines", 2010*time.Millisecond, 2*time.Second, 1.0, func(p *scenarios.Params) { p.Cores = 1 }), cpuSeq,
			[]string{"One chunk computed at a time", "no faster"}, nil},
		// A baseline of other work gives no speedup.
		{"cpu-processes", run("cpu-processes", 1020*time.Millisecond, 2*time.Second, 2.0, func(p *scenarios.Params) { p.Chunks = 8 }), cpuSeq,
			[]string{"Up to 2 chunks computed at once."}, []string{"×"}},
	} {
		got := Sentence(sc(c.s), c.r, c.base)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.s, got, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: %q says %q", c.s, got, n)
			}
		}
	}
	if got := Sentence(sc("io-threads"), &model.Run{Scenario: "io-threads"}, nil); got != "" {
		t.Errorf("an unfinished run has a sentence: %q", got)
	}
}

// TestSentenceNeverContradictsItself: a run that computed one chunk at a time is never called
// faster for it; a speedup measured all the same is said not to be parallelism.
func TestSentenceNeverContradictsItself(t *testing.T) {
	for _, id := range []string{"cpu-goroutines", "cpu-threads-gil", "cpu-processes"} {
		s, _ := scenarios.ByID(id)
		p := scenarios.DefaultParams().UserArgs()
		r := &model.Run{Scenario: id, Params: p, Wall: 2950 * time.Millisecond, Finished: true, Facts: &model.Facts{AtOnce: 1.1}}
		base := &model.Run{Scenario: "cpu-sequential", Params: p, Wall: 5520 * time.Millisecond, Finished: true}
		got := Sentence(s, r, base)
		if !strings.Contains(got, "at a time") || !strings.Contains(got, "1.87× speedup is not parallelism") || strings.Contains(got, "as fast") {
			t.Errorf("%s: %q", id, got)
		}
	}
}
