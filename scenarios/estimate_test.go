package scenarios

import (
	"math"
	"testing"
	"time"
)

func TestEstimateFollowsTheKnobs(t *testing.T) {
	p := DefaultParams() // 4 calls of 1 s; 1..100 in 4 chunks of 20 ms an element
	byID := func(id string) Scenario { s, _ := ByID(id); return s }
	for _, tc := range []struct {
		id    string
		cores int
		want  time.Duration
	}{
		{"io-sequential", 2, 4 * time.Second},
		{"io-threads", 2, time.Second},
		{"io-asyncio", 1, time.Second},
		{"cpu-sequential", 2, 2 * time.Second},
		{"cpu-threads-gil", 2, 2 * time.Second},
		{"cpu-goroutines", 2, time.Second},
		{"cpu-processes", 2, time.Second},
		{"cpu-processes", 1, 2 * time.Second},
		{"cpu-goroutines", 8, 500 * time.Millisecond}, // four chunks use four cores at most
	} {
		if got := byID(tc.id).Estimate(p, tc.cores, 0); got != tc.want {
			t.Errorf("%s on %d cores: %v, want %v", tc.id, tc.cores, got, tc.want)
		}
	}
	// A pinned computation rate twice the machine's makes every element cost twice --work.
	pinned := p
	pinned.ItersPerMs = 8000
	if got := byID("cpu-sequential").Estimate(pinned, 2, 4000); got != 4*time.Second {
		t.Errorf("pinned at twice the machine's rate: %v, want 4s", got)
	}
	// The knobs: far over the bound, and named.
	huge := p
	huge.Upto, huge.Work = MaxUpto, MaxWork
	if got := byID("cpu-goroutines").Estimate(huge, 2, 0); got != 5_000_000*time.Second {
		t.Errorf("--upto 1000000 --work 10s on 2 cores: %v", got)
	}
	long := p
	long.Calls, long.Latency = MaxCalls, MaxLatency
	if got := byID("io-sequential").Estimate(long, 2, 0); got.String() != "166h40m0s" {
		t.Errorf("--calls 10000 --latency 1m: %v", got)
	}
	// Every knob at its limit, pinned a million times faster than the machine: saturated.
	huge.ItersPerMs = MaxItersPerMs
	if got := byID("cpu-sequential").Estimate(huge, 1, 1); got != time.Duration(math.MaxInt64) {
		t.Errorf("at every limit: %v, want the largest duration", got)
	}
}

func TestWorkCannotOverflowIntoNothing(t *testing.T) {
	p := DefaultParams()
	p.Work, p.ItersPerMs = 999*time.Nanosecond, 4000
	if err := p.Validate(); err == nil {
		t.Error("--work 999ns was accepted: it is below the smallest unit of work")
	}
	if got := p.elementIters(); got != 3 {
		t.Errorf("999ns at 4000 a millisecond: %d steps, want 3", got)
	}
	p.Work, p.ItersPerMs = time.Microsecond, 100
	if got := p.elementIters(); got != 1 {
		t.Errorf("1µs at 100 a millisecond: %d steps, want at least 1", got)
	}
	p.Work, p.ItersPerMs = MaxWork, MaxItersPerMs
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := p.elementIters(); got != 10_000_000_000 {
		t.Errorf("at the limits: %d steps, want 1e10", got)
	}
	p.ItersPerMs = MaxItersPerMs + 1
	if err := p.Validate(); err == nil {
		t.Error("a computation rate past MaxItersPerMs was accepted")
	}
}

// TestParamsOfReadsWhatARunReports: the knobs a run reports come back as they were; anything
// else is not knobs.
func TestParamsOfReadsWhatARunReports(t *testing.T) {
	p := DefaultParams()
	p.Calls, p.Latency, p.Chunks, p.Cores, p.ItersPerMs = 7, 250*time.Millisecond, 3, 1, 1234
	for _, args := range [][]string{p.UserArgs(), p.Args()} {
		got, ok := ParamsOf(args)
		want := p
		if len(args) == len(p.UserArgs()) {
			want.ItersPerMs = 0
		}
		if !ok || got != want {
			t.Fatalf("ParamsOf(%q) = %+v, %v; want %+v", args, got, ok, want)
		}
	}
	for _, bad := range [][]string{nil, {"python3", "x.py"}, {"--calls=many"}, {"--bogus=1"}, {"--calls"}} {
		if _, ok := ParamsOf(bad); ok {
			t.Errorf("ParamsOf(%q) took it for knobs", bad)
		}
	}
}
