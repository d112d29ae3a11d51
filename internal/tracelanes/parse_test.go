package tracelanes

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"iter"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/trace"
	"slices"
	"sync"
	"testing"
	"time"

	"timeslice/model"
	"timeslice/scenarios"
)

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "record the test inputs in testdata anew")
	}
}

// updating reports whether the test run was asked to record its inputs anew.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// spinFor keeps the calling goroutine busy for d.
func spinFor(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

// traceWorkloads are small runs recorded as test inputs, each named after its file.
var traceWorkloads = map[string]func(ctx context.Context){
	// Two calls that each sleep 30 ms, at once.
	"sleep": func(ctx context.Context) {
		var wg sync.WaitGroup
		for _, name := range []string{"call 1", "call 2"} {
			wg.Go(func() {
				scenarios.WorkOn(ctx, name)
				time.Sleep(30 * time.Millisecond)
				scenarios.Finish(ctx)
			})
		}
		wg.Wait()
	},
	// Two spinners that take turns holding a mutex, as threads take turns holding a global lock.
	"lock": func(ctx context.Context) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		deadline := time.Now().Add(60 * time.Millisecond)
		for _, name := range []string{"thread 1", "thread 2"} {
			wg.Go(func() {
				scenarios.WorkOn(ctx, name)
				for time.Now().Before(deadline) {
					mu.Lock()
					spinFor(3 * time.Millisecond)
					mu.Unlock()
				}
				scenarios.Finish(ctx)
			})
		}
		wg.Wait()
	},
	// One goroutine that works on two chunks, one after the other.
	"chunks": func(ctx context.Context) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			scenarios.WorkOn(ctx, "chunk 1")
			spinFor(5 * time.Millisecond)
			scenarios.WorkOn(ctx, "chunk 2")
			spinFor(5 * time.Millisecond)
		}()
		<-done
	},
	// Three spinners sharing one core: the scheduler preempts them in turn.
	"spin": func(ctx context.Context) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		var wg sync.WaitGroup
		deadline := time.Now().Add(100 * time.Millisecond)
		for _, name := range []string{"spin 1", "spin 2", "spin 3"} {
			wg.Go(func() {
				scenarios.WorkOn(ctx, name)
				for time.Now().Before(deadline) {
				}
				scenarios.Finish(ctx)
			})
		}
		wg.Wait()
	},
	// Three coroutines on an event loop locked to its thread.
	"loop": func(ctx context.Context) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			runLoop(ctx, []string{"call 1", "call 2", "call 3"}, 10*time.Millisecond)
		}()
		<-done
	},
}

// runLoop is a minimal event loop: each coroutine works 1 ms, awaits wait, works 1 ms more.
// Coroutines are iter.Pull goroutines, switched to on the loop's own thread.
func runLoop(ctx context.Context, names []string, wait time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	type co struct {
		name   string
		resume func() (time.Duration, bool)
		at     time.Time
	}
	var ready, waiting []*co
	for _, name := range names {
		body := iter.Seq[time.Duration](func(yield func(time.Duration) bool) {
			spinFor(time.Millisecond)
			if yield(wait) {
				spinFor(time.Millisecond)
			}
		})
		next, stop := iter.Pull(body)
		defer stop()
		ready = append(ready, &co{name: name, resume: next})
		scenarios.MarkCoroutine(ctx, name, scenarios.CoroutineReady)
	}
	for len(ready)+len(waiting) > 0 {
		for i := 0; i < len(waiting); i++ {
			if c := waiting[i]; !time.Now().Before(c.at) {
				scenarios.MarkCoroutine(ctx, c.name, scenarios.CoroutineReady)
				ready = append(ready, c)
				waiting = append(waiting[:i], waiting[i+1:]...)
				i--
			}
		}
		if len(ready) == 0 {
			time.Sleep(time.Millisecond)
			continue
		}
		c := ready[0]
		ready = ready[1:]
		scenarios.MarkCoroutine(ctx, c.name, scenarios.CoroutineRunning)
		d, ok := c.resume()
		if !ok {
			scenarios.MarkCoroutine(ctx, c.name, scenarios.CoroutineDone)
			continue
		}
		scenarios.MarkCoroutine(ctx, c.name, scenarios.CoroutineWaiting)
		c.at = time.Now().Add(d)
		waiting = append(waiting, c)
	}
}

// recordTrace runs work under runtime/trace, after the start mark, and returns the trace.
func recordTrace(tb testing.TB, work func(ctx context.Context)) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		tb.Skipf("cannot trace: %v", err)
	}
	ctx := context.Background()
	scenarios.MarkStart(ctx)
	work(ctx)
	trace.Stop()
	return buf.Bytes()
}

// TestRecordTraces records the test inputs: go test ./internal/tracelanes -run TestRecordTraces -update
func TestRecordTraces(t *testing.T) {
	if !updating() {
		t.Skip("run with -update to record testdata/*.trace")
	}
	for name, work := range traceWorkloads {
		writeTrace(t, name, recordTrace(t, work))
	}
	recordWindows(t)
}

// recordWindows records two flight recorder snapshots of one run: the second is taken after
// the window has moved past the start mark and the first chunk's naming.
func recordWindows(t *testing.T) {
	ctx := context.Background()
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: time.Millisecond, MaxBytes: 1})
	if err := fr.Start(); err != nil {
		t.Fatal(err)
	}
	defer fr.Stop()
	snapshot := func(name string) {
		var buf bytes.Buffer
		if _, err := fr.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		writeTrace(t, name, buf.Bytes())
	}
	done := make(chan struct{})
	step := make(chan struct{})
	go func() {
		defer close(done)
		scenarios.MarkStart(ctx)
		scenarios.WorkOn(ctx, "chunk 1")
		spinFor(5 * time.Millisecond)
		step <- struct{}{}
		<-step
		spinFor(5 * time.Millisecond)
		scenarios.WorkOn(ctx, "chunk 2")
		spinFor(5 * time.Millisecond)
	}()
	<-step
	snapshot("window1")
	time.Sleep(20 * time.Millisecond)
	step <- struct{}{}
	<-done
	snapshot("window2")
}

func writeTrace(t *testing.T, name string, data []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".trace")
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes", path, len(data))
}

// loadView parses testdata/name.trace and checks what must hold for every view.
func loadView(t *testing.T, name string) *TraceView {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".trace"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := ParseTrace(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	checkView(t, v)
	return v
}

// checkView checks that every lane's intervals are non-empty, sorted, do not overlap and
// lie within the snapshot's span.
func checkView(t *testing.T, v *TraceView) {
	t.Helper()
	if v.events == 0 || v.From > v.To {
		t.Errorf("events %d, span %v..%v", v.events, v.From, v.To)
	}
	for _, task := range v.Tasks {
		end := v.From
		for i, iv := range task.Intervals {
			if iv.Start < end || iv.End <= iv.Start || iv.End > v.To {
				t.Errorf("%s: interval %d [%v, %v) out of order or span [%v, %v]", task.Name, i, iv.Start, iv.End, v.From, v.To)
			}
			if iv.Core != model.NoCore {
				t.Errorf("%s: interval %d has core %d", task.Name, i, iv.Core)
			}
			end = iv.End
		}
	}
}

// laneOf returns the lane called name, failing the test if there is none.
func laneOf(t *testing.T, v *TraceView, name string, kind model.TaskKind) model.Task {
	t.Helper()
	for _, k := range v.Tasks {
		if k.Name == name {
			if k.Kind != kind {
				t.Errorf("%s: kind %s, want %s", name, k.Kind, kind)
			}
			return k
		}
	}
	t.Fatalf("no task %q in %d tasks", name, len(v.Tasks))
	return model.Task{}
}

// reasonNamed is the reason that reads as words.
func reasonNamed(t *testing.T, words string) model.Reason {
	for r := model.ReasonNone; r <= model.ReasonOther; r++ {
		if r.String() == words {
			return r
		}
	}
	t.Fatalf("no reason reads %q", words)
	return model.ReasonNone
}

// intervalsIn returns the task's intervals in state s for reason.
func intervalsIn(k model.Task, s model.State, reason string) []model.Interval {
	var out []model.Interval
	for _, iv := range k.Intervals {
		if iv.State == s && iv.Reason.String() == reason {
			out = append(out, iv)
		}
	}
	return out
}

func TestParseTraceSleepers(t *testing.T) {
	v := loadView(t, "sleep")
	if !v.Found || v.StartMono <= 0 {
		t.Errorf("start mark: found %v, mono %d", v.Found, v.StartMono)
	}
	if len(v.Tasks) != 2 {
		t.Errorf("%d tasks, want 2 (call 1, call 2)", len(v.Tasks))
	}
	for _, name := range []string{"call 1", "call 2"} {
		k := laneOf(t, v, name, model.KindGoroutine)
		sleeps := intervalsIn(k, model.StateWaiting, "sleep")
		if len(sleeps) != 1 || sleeps[0].Duration() < 29*time.Millisecond || sleeps[0].Duration() > 60*time.Millisecond {
			t.Errorf("%s: sleeps %v, want one of about 30 ms", name, sleeps)
		}
		if len(k.Threads()) == 0 {
			t.Errorf("%s: no running thread", name)
		}
		if last := k.Intervals[len(k.Intervals)-1]; last.State != model.StateDone || last.End != v.To {
			t.Errorf("%s: ends %+v, want done until %v", name, last, v.To)
		}
	}
}

func TestParseTraceLock(t *testing.T) {
	v := loadView(t, "lock")
	var running, locked time.Duration
	for _, name := range []string{"thread 1", "thread 2"} {
		k := laneOf(t, v, name, model.KindGoroutine)
		running += k.Totals().Running
		for _, iv := range intervalsIn(k, model.StateReady, "lock") {
			locked += iv.Duration()
		}
		for _, iv := range k.Intervals {
			if iv.State == model.StateWaiting {
				t.Errorf("%s: waiting %+v; a mutex wait is ready for the lock", name, iv)
			}
		}
	}
	// The lock lets one spinner run at a time: together they run about as long as the run.
	if locked < 20*time.Millisecond || running < 40*time.Millisecond || running > v.To+5*time.Millisecond {
		t.Errorf("running %v, ready for the lock %v, run %v", running, locked, v.To)
	}
}

func TestParseTraceSequentialNames(t *testing.T) {
	v := loadView(t, "chunks")
	c1, c2 := laneOf(t, v, "chunk 1", model.KindGoroutine), laneOf(t, v, "chunk 2", model.KindGoroutine)
	if c1.Totals().Running < 4*time.Millisecond || c2.Totals().Running < 4*time.Millisecond {
		t.Errorf("running %v and %v, want about 5 ms each", c1.Totals().Running, c2.Totals().Running)
	}
	done := c1.Intervals[len(c1.Intervals)-1]
	if done.State != model.StateDone || done.Start != c2.Intervals[0].Start || done.End != v.To {
		t.Errorf("chunk 1 ends %+v; chunk 2 starts %v; want done from then to %v", done, c2.Intervals[0].Start, v.To)
	}
	if c1.Threads()[0] != c2.Threads()[0] {
		t.Errorf("one goroutine, threads %v and %v", c1.Threads(), c2.Threads())
	}
}

func TestParseTracePreemption(t *testing.T) {
	v := loadView(t, "spin")
	var running time.Duration
	n := 0
	for _, name := range []string{"spin 1", "spin 2", "spin 3"} {
		k := laneOf(t, v, name, model.KindGoroutine)
		running += k.Totals().Running
		n += v.Preemptions[name]
		if len(intervalsIn(k, model.StateReady, "preempted")) == 0 {
			t.Errorf("%s: never preempted", name)
		}
	}
	// Three spinners share one core for 100 ms.
	if n < 3 || running < 90*time.Millisecond || running > v.To {
		t.Errorf("%d preemptions, running %v in %v", n, running, v.To)
	}
}

func TestParseTraceCoroutines(t *testing.T) {
	v := loadView(t, "loop")
	var runs []model.Interval
	threads := map[int]bool{}
	for _, name := range []string{"call 1", "call 2", "call 3"} {
		k := laneOf(t, v, name, model.KindCoroutine)
		for _, th := range k.Threads() {
			threads[th] = true
		}
		awaits := intervalsIn(k, model.StateWaiting, "await")
		if len(awaits) != 1 || awaits[0].Duration() < 10*time.Millisecond {
			t.Errorf("%s: awaits %v, want one of at least 10 ms", name, awaits)
		}
		if k.Intervals[len(k.Intervals)-1].State != model.StateDone {
			t.Errorf("%s: not done at the end", name)
		}
		runs = append(runs, intervalsIn(k, model.StateRunning, "")...)
	}
	if len(threads) != 1 {
		t.Errorf("coroutines ran on threads %v, want one", threads)
	}
	// One thread runs one coroutine at a time.
	slices.SortFunc(runs, func(a, b model.Interval) int { return cmp.Compare(a.Start, b.Start) })
	for i := 1; i < len(runs); i++ {
		if runs[i].Start < runs[i-1].End {
			t.Errorf("running %+v overlaps %+v", runs[i], runs[i-1])
		}
	}
	if len(runs) < 6 {
		t.Errorf("%d running slices, want at least 2 per coroutine", len(runs))
	}
}

func TestParseTraceAfterWindow(t *testing.T) {
	first := loadView(t, "window1")
	data, err := os.ReadFile("testdata/window2.trace")
	if err != nil {
		t.Fatal(err)
	}
	alone, err := ParseTrace(data)
	if err != nil {
		t.Fatal(err)
	}
	if alone.Found || alone.StartMono != 0 || alone.From != 0 {
		t.Errorf("window without the start mark: found %v, mono %d, from %v", alone.Found, alone.StartMono, alone.From)
	}
	next, err := ParseTraceAfter(data, first)
	if err != nil {
		t.Fatal(err)
	}
	checkView(t, next)
	if !next.Found || next.StartMono != first.StartMono || next.From <= 0 {
		t.Errorf("after: found %v, mono %d (want %d), from %v", next.Found, next.StartMono, first.StartMono, next.From)
	}
	merged := MergeViews(first, next)
	checkView(t, merged)
	c1 := laneOf(t, merged, "chunk 1", model.KindGoroutine)
	c2 := laneOf(t, merged, "chunk 2", model.KindGoroutine)
	// chunk 1 was named before the second window began, yet its lane runs on without a gap.
	for i := 1; i < len(c1.Intervals); i++ {
		if c1.Intervals[i].Start != c1.Intervals[i-1].End {
			t.Errorf("chunk 1: gap before %+v", c1.Intervals[i])
		}
	}
	if c1.Totals().Running < 9*time.Millisecond || c2.Intervals[0].Start != intervalsIn(c1, model.StateDone, "")[0].Start {
		t.Errorf("chunk 1 running %v; chunk 2 starts %v", c1.Totals().Running, c2.Intervals[0].Start)
	}
}

func TestParseTraceBadInput(t *testing.T) {
	if _, err := ParseTrace(nil); err == nil {
		t.Error("empty input: no error")
	}
	if _, err := ParseTrace([]byte("go 1.26 trace\x00\x00\x00 garbage")); err == nil {
		t.Error("garbage: no error")
	}
	data, err := os.ReadFile("testdata/lock.trace")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{16, len(data) / 3, len(data) / 2, len(data) - 1} {
		if _, err := ParseTrace(data[:n]); err == nil {
			t.Errorf("truncated to %d of %d bytes: no error", n, len(data))
		}
	}
	// Corrupt bytes may or may not be noticed, but never panic.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		bad := slices.Clone(data)
		for range 4 {
			bad[16+rng.IntN(len(bad)-16)] = byte(rng.Uint32())
		}
		ParseTrace(bad)
	}
}

func TestMergeViews(t *testing.T) {
	ms := time.Millisecond
	iv := func(from, to int, s model.State, reason string) model.Interval {
		return model.Interval{Start: time.Duration(from) * ms, End: time.Duration(to) * ms, State: s, Core: model.NoCore, Reason: reasonNamed(t, reason)}
	}
	prev := &TraceView{From: 0, To: 100 * ms, Found: true, StartMono: 42, Tasks: []model.Task{
		{Name: "a", Kind: model.KindGoroutine, Intervals: []model.Interval{iv(0, 40, model.StateRunning, ""), iv(40, 100, model.StateWaiting, "sleep")}},
		{Name: "b", Kind: model.KindGoroutine, Intervals: []model.Interval{iv(10, 30, model.StateRunning, ""), iv(30, 100, model.StateReady, "preempted")}},
		{Name: "c", Kind: model.KindGoroutine, Intervals: []model.Interval{iv(0, 20, model.StateRunning, ""), iv(20, 100, model.StateDone, "")}},
	}}
	next := &TraceView{From: 60 * ms, To: 150 * ms, Found: true, StartMono: 42, Tasks: []model.Task{
		{Name: "a", Kind: model.KindGoroutine, Intervals: []model.Interval{iv(60, 120, model.StateWaiting, ""), iv(120, 150, model.StateRunning, "")}},
		{Name: "b", Kind: model.KindGoroutine, Intervals: []model.Interval{iv(60, 70, model.StateReady, ""), iv(70, 150, model.StateRunning, "")}},
		{Name: "d", Kind: model.KindCoroutine, Intervals: []model.Interval{iv(70, 150, model.StateRunning, "")}},
	}}
	got := MergeViews(prev, next)
	want := map[string][]model.Interval{
		"a": {iv(0, 40, model.StateRunning, ""), iv(40, 120, model.StateWaiting, "sleep"), iv(120, 150, model.StateRunning, "")},
		"b": {iv(10, 30, model.StateRunning, ""), iv(30, 70, model.StateReady, "preempted"), iv(70, 150, model.StateRunning, "")},
		"c": {iv(0, 20, model.StateRunning, ""), iv(20, 150, model.StateDone, "")},
		"d": {iv(70, 150, model.StateRunning, "")},
	}
	var names []string
	for _, k := range got.Tasks {
		names = append(names, k.Name)
		if !slices.Equal(k.Intervals, want[k.Name]) {
			t.Errorf("%s: got %v\nwant %v", k.Name, k.Intervals, want[k.Name])
		}
	}
	if !slices.Equal(names, []string{"a", "b", "c", "d"}) || got.From != 0 || got.To != 150*ms || got.StartMono != 42 {
		t.Errorf("tasks %v, span %v..%v, mono %d", names, got.From, got.To, got.StartMono)
	}
	if got.Preemptions["b"] != 1 {
		t.Errorf("preemptions %v, want b:1", got.Preemptions)
	}
	if MergeViews(nil, next) != next {
		t.Error("nil prev: want next itself")
	}
}

func BenchmarkParseTrace(b *testing.B) {
	cases := []struct {
		name string
		work func(ctx context.Context)
	}{
		{"tasks=4", func(ctx context.Context) {
			traceWorkloads["lock"](ctx)
			traceWorkloads["sleep"](ctx)
		}},
		{"goroutines=1000", func(ctx context.Context) {
			var wg sync.WaitGroup
			for i := range 1000 {
				wg.Go(func() {
					scenarios.WorkOn(ctx, fmt.Sprintf("call %d", i+1))
					time.Sleep(time.Millisecond)
					scenarios.Finish(ctx)
				})
			}
			wg.Wait()
		}},
	}
	for _, c := range cases {
		data := recordTrace(b, c.work)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := ParseTrace(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cloneView is a copy of v sharing nothing with it, for tests that join one view to several:
// MergeViews takes its inputs over.
func cloneView(v *TraceView) *TraceView {
	c := *v
	c.Tasks = make([]model.Task, len(v.Tasks))
	for i, t := range v.Tasks {
		t.Intervals = slices.Clone(t.Intervals)
		c.Tasks[i] = t
	}
	c.Preemptions = maps.Clone(v.Preemptions)
	c.marks = slices.Clone(v.marks)
	return &c
}
