package scenarios

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// text is everything a scenario says of a run with p on cores cores.
func text(s Scenario, p Params, cores int) string {
	h := s.Explanation(p, cores)
	return h[0] + "\n" + h[1] + "\n" + strings.Join(s.LookFor(p, cores), "\n")
}

// TestExplanationsFollowTheKnobs: the numbers an explanation names are the run's, and it
// promises nothing the run cannot show.
func TestExplanationsFollowTheKnobs(t *testing.T) {
	p := DefaultParams()
	p.Calls, p.Latency, p.Chunks = 6, 250*time.Millisecond, 3
	seq, _ := ByID("io-sequential")
	if got := text(seq, p, 2); !strings.Contains(got, "6 × 250ms = 1.5s") {
		t.Errorf("io-sequential does not work out 6 calls of 250 ms:\n%s", got)
	}
	thr, _ := ByID("io-threads")
	if got := text(thr, p, 2); !strings.Contains(got, "6 calls of 250ms take about 250ms") {
		t.Errorf("io-threads:\n%s", got)
	}
	gor, _ := ByID("cpu-goroutines")
	if got := text(gor, p, 1); strings.Contains(got, "twice") || strings.Contains(got, "× as fast") || !strings.Contains(got, "no faster than sequential") {
		t.Errorf("cpu-goroutines on one core promises a speedup:\n%s", got)
	}
	if got := text(gor, p, 2); !strings.Contains(got, "2 chunks compute at once: up to 2×") {
		t.Errorf("cpu-goroutines on two cores:\n%s", got)
	}
	gil, _ := ByID("cpu-threads-gil")
	all := runtime.NumCPU()
	if got := text(gil, p, all); strings.Contains(got, "more cores (>)") {
		t.Errorf("cpu-threads-gil with all %d cores suggests more:\n%s", all, got)
	}
	if all > 1 && !strings.Contains(text(gil, p, 1), "more cores (>)") {
		t.Errorf("cpu-threads-gil on one of %d cores does not suggest more", all)
	}
	procs, _ := ByID("cpu-processes")
	if got := text(procs, p, 4); strings.Contains(got, "take turns") || strings.Contains(got, "▒") {
		t.Errorf("cpu-processes with a core for each of its 3 processes says they take turns:\n%s", got)
	}
	if got := text(procs, p, 2); !strings.Contains(got, "take turns") || !strings.Contains(got, "no column runs more than 2") {
		t.Errorf("cpu-processes with 3 processes on 2 cores:\n%s", got)
	}
	one := p
	one.Calls = 1
	asy, _ := ByID("io-asyncio")
	if got := text(asy, one, 2); strings.Contains(got, "▒") {
		t.Errorf("io-asyncio with one call promises ready coroutines:\n%s", got)
	}
	for _, s := range All() {
		for _, cores := range []int{1, 2, 8} {
			got := text(s, p, cores)
			if strings.Contains(got, "▓") || strings.Contains(got, "never overlap") {
				t.Errorf("%s promises what is not drawn:\n%s", s.ID, got)
			}
			if n := len(s.LookFor(p, cores)); n < 3 || n > 5 {
				t.Errorf("%s on %d cores has %d lines to look for", s.ID, cores, n)
			}
		}
	}
}
