package tracelanes

import (
	"slices"
	"testing"
	"time"

	"timeslice/model"
)

// TestSeamKeepsWhatAGoroutineWaitedFor: a window announces a goroutine blocked on the lock as
// plainly waiting; across the seam it must stay waiting for the lock, in one interval.
func TestSeamKeepsWhatAGoroutineWaitedFor(t *testing.T) {
	ms := time.Millisecond
	prev := &TraceView{From: 0, To: 100 * ms, Tasks: []model.Task{{Name: "chunk 1", Intervals: []model.Interval{
		{Start: 0, End: 40 * ms, State: model.StateRunning, Thread: 7},
		{Start: 40 * ms, End: 100 * ms, State: model.StateReady, Reason: model.ReasonLock},
	}}}}
	next := &TraceView{From: 80 * ms, To: 180 * ms, Tasks: []model.Task{{Name: "chunk 1", Intervals: []model.Interval{
		{Start: 80 * ms, End: 130 * ms, State: model.StateWaiting}, // the window's announcement: no reason
		{Start: 130 * ms, End: 180 * ms, State: model.StateRunning, Thread: 7},
	}}}}
	got := MergeViews(cloneView(prev), cloneView(next)).Tasks[0].Intervals
	want := []model.Interval{
		{Start: 0, End: 40 * ms, State: model.StateRunning, Thread: 7},
		{Start: 40 * ms, End: 130 * ms, State: model.StateReady, Reason: model.ReasonLock},
		{Start: 130 * ms, End: 180 * ms, State: model.StateRunning, Thread: 7},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("interval %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// A window that opens at a generation cut, just after the last one's final event, joins the
	// same way; one that opens after a real gap is left apart.
	for _, c := range []struct {
		gap    time.Duration
		joined bool
	}{{40 * time.Microsecond, true}, {150 * ms, false}} {
		after := &TraceView{From: 100*ms + c.gap, To: 200 * ms, Tasks: []model.Task{{Name: "chunk 1", Intervals: []model.Interval{
			{Start: 100*ms + c.gap, End: 150 * ms, State: model.StateWaiting},
			{Start: 150 * ms, End: 200 * ms, State: model.StateRunning, Thread: 7},
		}}}}
		got := MergeViews(cloneView(prev), after).Tasks[0].Intervals
		if c.joined {
			if len(got) != 3 || got[1] != (model.Interval{Start: 40 * ms, End: 150 * ms, State: model.StateReady, Reason: model.ReasonLock}) {
				t.Errorf("gap %v: %+v; want the lock wait to run on to 150ms in one interval", c.gap, got)
			}
			continue
		}
		if len(got) != 4 || got[1].End != 100*ms || got[2].State != model.StateWaiting || got[2].Reason != model.ReasonNone {
			t.Errorf("gap %v: %+v; want the views left apart at 100ms", c.gap, got)
		}
	}
	// A real wait with no reason after a running interval stays as it is.
	plain := MergeViews(&TraceView{Tasks: []model.Task{{Name: "a", Intervals: []model.Interval{{Start: 0, End: 80 * ms, State: model.StateRunning}}}}},
		&TraceView{From: 80 * ms, Tasks: []model.Task{{Name: "a", Intervals: []model.Interval{{Start: 80 * ms, End: 90 * ms, State: model.StateWaiting}}}}})
	if iv := plain.Tasks[0].Intervals[1]; iv.State != model.StateWaiting {
		t.Fatalf("a plain wait became %v", iv.State)
	}
}

// TestOverlapKeepsWhatTheEarlierViewSaw: processors start a new generation a little apart, so a
// window can open before the last one's final event. A goroutine the new window opens as waiting
// (no reason) but that the last window saw preempted, running and then blocking on the lock in
// that overlap keeps what the last window saw, and its lock wait runs on without a break. One
// the new window announces running keeps the last window's lock wait until that window ends;
// one with an event of its own in the overlap is taken from that event.
func TestOverlapKeepsWhatTheEarlierViewSaw(t *testing.T) {
	ms := time.Millisecond
	prev := &TraceView{From: 0, To: 100 * ms, Tasks: []model.Task{
		{Name: "chunk 1", Intervals: []model.Interval{
			{Start: 0, End: 85 * ms, State: model.StateRunning, Thread: 7},
			{Start: 85 * ms, End: 90 * ms, State: model.StateReady, Reason: model.ReasonPreempted},
			{Start: 90 * ms, End: 92 * ms, State: model.StateRunning, Thread: 7},
			{Start: 92 * ms, End: 100 * ms, State: model.StateReady, Reason: model.ReasonLock},
		}},
		{Name: "chunk 2", Intervals: []model.Interval{
			{Start: 0, End: 100 * ms, State: model.StateReady, Reason: model.ReasonLock},
		}},
		{Name: "chunk 3", Intervals: []model.Interval{
			{Start: 0, End: 100 * ms, State: model.StateReady, Reason: model.ReasonLock},
		}},
	}}
	next := &TraceView{From: 80 * ms, To: 180 * ms, Tasks: []model.Task{
		{Name: "chunk 1", Intervals: []model.Interval{
			{Start: 80 * ms, End: 130 * ms, State: model.StateWaiting},
			{Start: 130 * ms, End: 180 * ms, State: model.StateRunning, Thread: 7},
		}},
		{Name: "chunk 2", Intervals: []model.Interval{
			{Start: 80 * ms, End: 180 * ms, State: model.StateRunning, Thread: 8},
		}},
		{Name: "chunk 3", Intervals: []model.Interval{
			{Start: 80 * ms, End: 90 * ms, State: model.StateWaiting},
			{Start: 90 * ms, End: 180 * ms, State: model.StateRunning, Thread: 9},
		}},
	}}
	merged := MergeViews(prev, cloneView(next))
	wants := [][]model.Interval{{
		{Start: 0, End: 85 * ms, State: model.StateRunning, Thread: 7},
		{Start: 85 * ms, End: 90 * ms, State: model.StateReady, Reason: model.ReasonPreempted},
		{Start: 90 * ms, End: 92 * ms, State: model.StateRunning, Thread: 7},
		{Start: 92 * ms, End: 130 * ms, State: model.StateReady, Reason: model.ReasonLock},
		{Start: 130 * ms, End: 180 * ms, State: model.StateRunning, Thread: 7},
	}, {
		{Start: 0, End: 100 * ms, State: model.StateReady, Reason: model.ReasonLock},
		{Start: 100 * ms, End: 180 * ms, State: model.StateRunning, Thread: 8},
	}, {
		{Start: 0, End: 90 * ms, State: model.StateReady, Reason: model.ReasonLock},
		{Start: 90 * ms, End: 180 * ms, State: model.StateRunning, Thread: 9},
	}}
	for i, want := range wants {
		if got := merged.Tasks[i].Intervals; !slices.Equal(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", next.Tasks[i].Name, got, want)
		}
	}
}
