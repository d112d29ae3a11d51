package scenarios

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"timeslice/internal/oncpu"
)

// TestMain lets this test binary act as a worker process, as the real binary does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == WorkerCommand {
		os.Exit(WorkerMain(os.Args[2:]))
	}
	os.Exit(m.Run())
}

// recorder is an Env that keeps what the work reported.
type recorder struct {
	mu       sync.Mutex
	lines    []string
	partials []int64
	procs    map[string]int
	book     oncpu.Book
}

func (r *recorder) OnCPU() oncpu.Sink {
	return func(task string, batch []oncpu.Sample) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.book.Add(task, batch)
	}
}

func (r *recorder) Printf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

func (r *recorder) Partial(chunk int, sum int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.partials = append(r.partials, sum)
}

func (r *recorder) Process(name string, pid int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.procs == nil {
		r.procs = map[string]int{}
	}
	r.procs[name] = pid
}

// quick are parameters small enough for unit tests: short waits, little computation.
func quick() Params {
	p := DefaultParams()
	p.Latency = 20 * time.Millisecond
	p.Work = 50 * time.Microsecond
	p.ItersPerMs = 100
	return p
}

func runScenario(t *testing.T, id string, p Params) *recorder {
	t.Helper()
	s, err := Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	if err := s.Run(context.Background(), r, p); err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return r
}

func TestIOScenariosPrintEveryCall(t *testing.T) {
	for _, id := range []string{"io-sequential", "io-threads", "io-asyncio"} {
		t.Run(id, func(t *testing.T) {
			r := runScenario(t, id, quick())
			if len(r.lines) != 8 {
				t.Fatalf("got %d lines, want 8: %q", len(r.lines), r.lines)
			}
			for i := 1; i <= 4; i++ {
				sent := slices.Index(r.lines, fmt.Sprintf("call %d: request sent, waiting for response", i))
				got := slices.Index(r.lines, fmt.Sprintf("call %d: response received", i))
				if sent < 0 || got < 0 || got < sent {
					t.Fatalf("call %d: sent at %d, received at %d in %q", i, sent, got, r.lines)
				}
			}
		})
	}
}

func TestSequentialCallsDoNotOverlapButConcurrentOnesDo(t *testing.T) {
	seq := runScenario(t, "io-sequential", quick())
	for i, line := range seq.lines {
		want := "request sent"
		if i%2 == 1 {
			want = "response received"
		}
		if !strings.Contains(line, want) {
			t.Fatalf("sequential line %d = %q, want it to say %q", i, line, want)
		}
	}
	for _, id := range []string{"io-threads", "io-asyncio"} {
		r := runScenario(t, id, quick())
		for i, line := range r.lines[:4] {
			if !strings.Contains(line, "request sent") {
				t.Fatalf("%s: line %d = %q; every request should be sent before any response", id, i, line)
			}
		}
	}
}

func TestCPUScenariosGiveTheArticlesSums(t *testing.T) {
	for _, id := range []string{"cpu-sequential", "cpu-threads-gil", "cpu-processes", "cpu-goroutines"} {
		t.Run(id, func(t *testing.T) {
			r := runScenario(t, id, quick())
			got := slices.Clone(r.partials)
			slices.Sort(got)
			if !slices.Equal(got, []int64{325, 950, 1575, 2200}) {
				t.Fatalf("partials %v, want 325 950 1575 2200 in some order", r.partials)
			}
			if len(r.lines) != 4 {
				t.Fatalf("lines %q, want one per chunk", r.lines)
			}
		})
	}
}

// TestCPUWorkMeasuresItsThreads: every chunk of every CPU scenario, worker processes included,
// reports samples of its thread while it computes, which read as time on a core.
func TestCPUWorkMeasuresItsThreads(t *testing.T) {
	for _, id := range []string{"cpu-sequential", "cpu-threads-gil", "cpu-processes", "cpu-goroutines"} {
		t.Run(id, func(t *testing.T) {
			r := runScenario(t, id, quick())
			for i := 1; i <= 4; i++ {
				task := fmt.Sprintf("chunk %d", i)
				if id == "cpu-sequential" {
					task = "sequential" // one thread does them all, measured by one meter
				}
				tids := r.book.Threads(task)
				if len(tids) == 0 {
					t.Fatalf("%s: no on-core samples", task)
				}
				var on time.Duration
				for _, tid := range tids {
					spans := r.book.Spans(tid)
					for j, s := range spans {
						if s.End < s.Start || j > 0 && s.Start < spans[j-1].End {
							t.Fatalf("chunk %d: spans out of order: %v", i, spans)
						}
						if s.Core != oncpu.Off {
							on += time.Duration(s.End - s.Start)
						}
					}
				}
				if on <= 0 {
					t.Errorf("chunk %d: never on a core", i)
				}
			}
		})
	}
}

func TestProcessesReportTheirPids(t *testing.T) {
	r := runScenario(t, "cpu-processes", quick())
	if len(r.procs) != 4 {
		t.Fatalf("processes %v, want 4", r.procs)
	}
	for name, pid := range r.procs {
		if pid <= 0 || pid == os.Getpid() {
			t.Fatalf("%s has pid %d", name, pid)
		}
	}
}

func TestStoppedRunEndsPromptly(t *testing.T) {
	for _, s := range All() {
		t.Run(s.ID, func(t *testing.T) {
			p := DefaultParams()
			p.Latency = time.Minute
			p.Work = 10 * time.Millisecond
			p.ItersPerMs = 1000
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.Run(ctx, &recorder{}, p) }()
			time.Sleep(20 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if err == nil {
					t.Fatal("a stopped run should say it was stopped")
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the run did not stop")
			}
		})
	}
}

func TestSplitChunks(t *testing.T) {
	p := DefaultParams()
	p.Upto, p.Chunks = 10, 3
	got := p.SplitChunks()
	want := []Chunk{{0, 1, 4}, {1, 5, 7}, {2, 8, 10}}
	if !slices.Equal(got, want) {
		t.Fatalf("SplitChunks = %v, want %v", got, want)
	}
}

func TestValidateRejectsOutOfRange(t *testing.T) {
	for _, mutate := range []func(*Params){
		func(p *Params) { p.Calls = 0 },
		func(p *Params) { p.Latency = -time.Second },
		func(p *Params) { p.Chunks = 1_000_000 },
		func(p *Params) { p.Upto = 3; p.Chunks = 4 },
		func(p *Params) { p.Work = time.Hour },
	} {
		p := DefaultParams()
		mutate(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("Validate(%+v) accepted it", p)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLookupNamesTheChoices(t *testing.T) {
	_, err := Lookup("io-fibers")
	if err == nil || !strings.Contains(err.Error(), "io-sequential") {
		t.Fatalf("Lookup error %v should list the scenarios", err)
	}
	if got := IDs(); len(got) != 7 || got[0] != "io-sequential" || got[6] != "cpu-goroutines" {
		t.Fatalf("IDs() = %v", got)
	}
}

func BenchmarkBurnMillisecond(b *testing.B) {
	per := Calibrate()
	for b.Loop() {
		Burn(per)
	}
}
