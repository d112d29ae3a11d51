package observe

import (
	"slices"
	"testing"
	"time"

	"timeslice/internal/oncpu"
	"timeslice/model"
)

// TestAWorkerIsDoneOnceItWent: a worker process's meter stops once its partial sum is on its
// way; the kernel sees it gone a round or two later. Its lane is the meter's up to its last
// sample, then what /proc saw of it exiting, then done: the window in which it went, which
// /proc cannot place in time, is not drawn as unobserved.
func TestAWorkerIsDoneOnceItWent(t *testing.T) {
	ms := time.Millisecond
	const start = int64(1_000_000_000)
	at := func(d time.Duration) int64 { return start + int64(d) }
	sampled := model.Task{Name: "chunk 1", Kind: model.KindProcess, Intervals: []model.Interval{
		{Start: 0, End: 40 * ms, State: model.StateMixed, RunShare: 0.5, ReadyShare: 0.5, Core: 0, Source: model.SourceSampled},
		{Start: 40 * ms, End: 80 * ms, State: model.StateMixed, RunShare: 0.6, ReadyShare: 0.4, Core: 1, Source: model.SourceSampled},
		{Start: 80 * ms, End: 120 * ms, State: model.StateMixed, RunShare: 0.3, Core: 1, Source: model.SourceSampled},
		// 120–160 ms: the window in which it went, unobserved; then the kernel saw it gone.
		{Start: 160 * ms, End: 200 * ms, State: model.StateDone, Core: model.NoCore, Source: model.SourceSampled},
	}}
	spans := []oncpu.Span{
		{Tid: 7, Core: 0, Start: at(2 * ms), End: at(50 * ms)},
		{Tid: 7, Core: oncpu.Off, Start: at(50 * ms), End: at(60 * ms)},
		{Tid: 7, Core: 1, Start: at(60 * ms), End: at(90 * ms)},
	}
	for _, top := range []*[]model.Interval{nil, new([]model.Interval)} {
		got := exactProcess(sampled, spans, start, top).Intervals
		want := []model.Interval{
			{Start: 0, End: 2 * ms, State: model.StateMixed, RunShare: 0.5, ReadyShare: 0.5, Core: 0, Source: model.SourceSampled},
			{Start: 2 * ms, End: 50 * ms, State: model.StateRunning, Core: 0, Thread: 7, Source: model.SourceExact},
			{Start: 50 * ms, End: 60 * ms, State: model.StateReady, Reason: model.ReasonCore, Core: model.NoCore, Source: model.SourceExact},
			{Start: 60 * ms, End: 90 * ms, State: model.StateRunning, Core: 1, Thread: 7, Source: model.SourceExact},
			{Start: 90 * ms, End: 120 * ms, State: model.StateMixed, RunShare: 0.3, Core: 1, Source: model.SourceSampled},
			{Start: 120 * ms, End: 200 * ms, State: model.StateDone, Core: model.NoCore, Source: model.SourceSampled},
		}
		if !slices.Equal(got, want) {
			t.Fatalf("lane:\n got %v\nwant %v", got, want)
		}
	}
	// With no spans to lay over it (a live lane whose measured part is already final), the
	// window is done all the same, and the lane handed in is not changed.
	if got := exactProcess(sampled, nil, start, nil).Intervals; got[len(got)-1].Start != 120*ms || sampled.Intervals[3].Start != 160*ms {
		t.Fatalf("without spans: lane ends %v; the lane handed in now ends %v", got[len(got)-1], sampled.Intervals[3])
	}
	// Measured into the window in which it went: done from its meter's last sample.
	atWork := append(slices.Clone(spans), oncpu.Span{Tid: 7, Core: 1, Start: at(90 * ms), End: at(140 * ms)})
	got := exactProcess(sampled, atWork, start, nil).Intervals
	if n := len(got); got[n-2].End != 140*ms || got[n-1].Start != 140*ms || got[n-1].State != model.StateDone {
		t.Fatalf("a worker measured into the window it went in: lane ends %v", got[n-2:])
	}
}
