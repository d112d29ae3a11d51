package observe

import (
	"testing"
	"time"
)

func snapAt(ms int64) snapshot { return snapshot{at: ms * int64(time.Millisecond)} }

func TestSnapshotQueueSkipsOnlyWhatAWindowCovers(t *testing.T) {
	var q snapshotQueue
	for _, ms := range []int64{100, 200, 300, 400, 500} {
		q.add(snapAt(ms))
	}
	// The first parse starts the chain: it must hold the start mark, so it is the oldest.
	if s, _ := q.next(); s.at != snapAt(100).at {
		t.Fatalf("first pick at %v, want the oldest", time.Duration(s.at))
	}
	// Then the newest snapshot that still reaches back to it: 300 ms (200 ms later).
	if s, _ := q.next(); s.at != snapAt(300).at {
		t.Fatalf("second pick at %v, want 300ms", time.Duration(s.at))
	}
	if s, _ := q.next(); s.at != snapAt(500).at {
		t.Fatalf("third pick at %v, want 500ms", time.Duration(s.at))
	}
	if _, ok := q.next(); ok {
		t.Fatal("the queue should be empty")
	}
	// A snapshot too far after the last parsed one is still parsed: nothing newer joins up.
	q.add(snapAt(900))
	q.add(snapAt(1000))
	if s, _ := q.next(); s.at != snapAt(900).at {
		t.Fatalf("after a pause, pick at %v, want 900ms", time.Duration(s.at))
	}
	if q.gaps != 1 {
		t.Fatalf("gaps = %d: 500 ms to 900 ms is more than a window, so one gap", q.gaps)
	}
}

func TestSnapshotQueueWholeTraceWins(t *testing.T) {
	var q snapshotQueue
	q.add(snapAt(100))
	q.add(snapshot{at: snapAt(200).at, whole: true})
	if s, _ := q.next(); !s.whole {
		t.Fatal("the whole trace should replace what was waiting")
	}
	if _, ok := q.next(); ok {
		t.Fatal("nothing should be left")
	}
}

func TestSnapshotQueueIsBounded(t *testing.T) {
	var q snapshotQueue
	for ms := int64(1); ms <= 100; ms++ {
		q.add(snapAt(ms * 100))
	}
	if len(q.pending) != maxPending || q.dropped != 100-maxPending {
		t.Fatalf("%d pending, %d dropped; want %d and %d", len(q.pending), q.dropped, maxPending, 100-maxPending)
	}
	if s, _ := q.next(); s.at != snapAt(100).at {
		t.Fatal("the oldest snapshot, which holds the start, must be kept")
	}
}
