package observe

import (
	"bytes"
	"testing"
)

// window is a fake window: a 16-byte header, then body.
func window(at int64, body string) snapshot {
	return snapshot{at: at, data: append([]byte("go 1.26 trace\x00\x00\x00"), body...)}
}

func TestSnapshotQueueJoinsWhatWaits(t *testing.T) {
	var q snapshotQueue
	for i, body := range []string{"one", "two", "three"} {
		q.add(window(int64(i+1), body))
	}
	s, ok := q.next()
	if !ok || s.at != 3 || !bytes.Equal(s.data, window(0, "onetwothree").data) {
		t.Fatalf("next = %q at %d, %v; want the three windows joined under one header, at 3", s.data, s.at, ok)
	}
	if _, ok := q.next(); ok {
		t.Fatal("the queue should be empty")
	}
	q.add(window(4, "four"))
	if s, _ := q.next(); !bytes.Equal(s.data, window(0, "four").data) {
		t.Fatalf("a window alone: %q", s.data)
	}
}

func TestSnapshotQueueWholeTraceWins(t *testing.T) {
	var q snapshotQueue
	q.add(window(100, "window"))
	q.add(snapshot{at: 200, data: []byte("whole"), whole: true})
	if s, _ := q.next(); !s.whole || string(s.data) != "whole" {
		t.Fatal("the whole trace should replace what was waiting")
	}
	if _, ok := q.next(); ok {
		t.Fatal("nothing should be left")
	}
}

func TestSnapshotQueueIsBounded(t *testing.T) {
	var q snapshotQueue
	big := string(make([]byte, maxPendingBytes/4))
	for i := range 10 {
		q.add(window(int64(i), big))
	}
	if q.bytes > maxPendingBytes || q.dropped == 0 || len(q.pending)+q.dropped != 10 {
		t.Fatalf("%d bytes in %d windows waiting, %d dropped; want at most %d bytes", q.bytes, len(q.pending), q.dropped, maxPendingBytes)
	}
	if s, _ := q.next(); s.at != 9 {
		t.Fatalf("the newest window should be kept, got one at %d", s.at)
	}
}

func TestTraceAdvanceJoinsGODEBUG(t *testing.T) {
	for in, want := range map[string]string{
		"":                        traceAdvance,
		"gctrace=1":               "gctrace=1," + traceAdvance,
		"traceadvanceperiod=5000": "traceadvanceperiod=5000",
	} {
		if got := withTraceAdvance(in); got != want {
			t.Errorf("withTraceAdvance(%q) = %q; want %q", in, got, want)
		}
	}
}
