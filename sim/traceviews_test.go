package sim

import (
	"testing"
	"time"
)

// TestSeamKeepsWhatAGoroutineWaitedFor: a window announces a goroutine blocked on the lock as
// plainly waiting; across the seam it must stay waiting for the lock, in one interval.
func TestSeamKeepsWhatAGoroutineWaitedFor(t *testing.T) {
	ms := time.Millisecond
	prev := &TraceView{From: 0, To: 100 * ms, Tasks: []Task{{Name: "chunk 1", Intervals: []Interval{
		{Start: 0, End: 40 * ms, State: StateRunning, Thread: 7},
		{Start: 40 * ms, End: 100 * ms, State: StateReady, Reason: reasonLock},
	}}}}
	next := &TraceView{From: 80 * ms, To: 180 * ms, Tasks: []Task{{Name: "chunk 1", Intervals: []Interval{
		{Start: 80 * ms, End: 130 * ms, State: StateWaiting}, // the window's announcement: no reason
		{Start: 130 * ms, End: 180 * ms, State: StateRunning, Thread: 7},
	}}}}
	got := MergeViews(prev, next).Tasks[0].Intervals
	want := []Interval{
		{Start: 0, End: 40 * ms, State: StateRunning, Thread: 7},
		{Start: 40 * ms, End: 130 * ms, State: StateReady, Reason: reasonLock},
		{Start: 130 * ms, End: 180 * ms, State: StateRunning, Thread: 7},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("interval %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if next.Tasks[0].Intervals[0].State != StateWaiting {
		t.Fatal("MergeViews changed its input")
	}
	// A window that opens at a generation cut, just after the last one's final event, joins the
	// same way; one that opens after a real gap is left apart.
	for _, c := range []struct {
		gap    time.Duration
		joined bool
	}{{40 * time.Microsecond, true}, {150 * ms, false}} {
		after := &TraceView{From: 100*ms + c.gap, To: 200 * ms, Tasks: []Task{{Name: "chunk 1", Intervals: []Interval{
			{Start: 100*ms + c.gap, End: 150 * ms, State: StateWaiting},
			{Start: 150 * ms, End: 200 * ms, State: StateRunning, Thread: 7},
		}}}}
		got := MergeViews(prev, after).Tasks[0].Intervals
		if c.joined {
			if len(got) != 3 || got[1] != (Interval{Start: 40 * ms, End: 150 * ms, State: StateReady, Reason: reasonLock}) {
				t.Errorf("gap %v: %+v; want the lock wait to run on to 150ms in one interval", c.gap, got)
			}
			continue
		}
		if len(got) != 4 || got[1].End != 100*ms || got[2].State != StateWaiting || got[2].Reason != "" {
			t.Errorf("gap %v: %+v; want the views left apart at 100ms", c.gap, got)
		}
	}
	// A real wait with no reason after a running interval stays as it is.
	plain := MergeViews(&TraceView{Tasks: []Task{{Name: "a", Intervals: []Interval{{Start: 0, End: 80 * ms, State: StateRunning}}}}},
		&TraceView{From: 80 * ms, Tasks: []Task{{Name: "a", Intervals: []Interval{{Start: 80 * ms, End: 90 * ms, State: StateWaiting}}}}})
	if iv := plain.Tasks[0].Intervals[1]; iv.State != StateWaiting {
		t.Fatalf("a plain wait became %v", iv.State)
	}
}
