package tracegen

import (
	"bytes"
	"runtime/trace"
	"testing"
	"time"
)

// snapshots takes n flight recorder snapshots of this process, 5 ms apart: each cuts a
// generation, and each repeats the generations of the ones before (the window is a minute).
func snapshots(t *testing.T, n int) [][]byte {
	t.Helper()
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: time.Minute, MaxBytes: 64 << 20})
	if err := fr.Start(); err != nil {
		t.Skipf("cannot trace: %v", err)
	}
	defer fr.Stop()
	var out [][]byte
	for range n {
		time.Sleep(5 * time.Millisecond)
		var buf bytes.Buffer
		if _, err := fr.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		out = append(out, buf.Bytes())
	}
	return out
}

func TestSinceKeepsOnlyNewerGenerations(t *testing.T) {
	snaps := snapshots(t, 3)
	_, oldest1, newest1 := Since(snaps[0], 0)
	if oldest1 == 0 || newest1 < oldest1 {
		t.Fatalf("first snapshot: generations %d–%d", oldest1, newest1)
	}
	part, oldest2, newest2 := Since(snaps[1], newest1)
	if oldest2 != newest1+1 || newest2 < oldest2 || len(part) >= len(snaps[1]) {
		t.Fatalf("second snapshot after %d: generations %d–%d, %d bytes of %d", newest1, oldest2, newest2, len(part), len(snaps[1]))
	}
	if !bytes.Equal(part[:traceHeaderLen], snaps[1][:traceHeaderLen]) {
		t.Error("the trimmed snapshot lost its header")
	}
	// The second snapshot's new part, then the third's, joined: the third's generations after the first's.
	third, _, newest3 := Since(snaps[2], newest2)
	joined := Join(part, third)
	want, _, _ := Since(snaps[2], newest1)
	if !bytes.Equal(joined, want) {
		t.Errorf("joined deltas: %d bytes, the third snapshot after the first: %d", len(joined), len(want))
	}
	if _, o, n := Since(joined, 0); o != oldest2 || n != newest3 {
		t.Errorf("joined deltas hold generations %d–%d; want %d–%d", o, n, oldest2, newest3)
	}
}

func TestSinceLeavesWhatItCannotReadWhole(t *testing.T) {
	first := snapshots(t, 1)[0]
	for name, data := range map[string][]byte{
		"empty":          nil,
		"not a trace":    []byte("hello, this is not a trace at all"),
		"cut short":      first[:len(first)-3],
		"unknown batch":  append(append([]byte(nil), first[:traceHeaderLen]...), 99, 1, 2, 3),
		"length too big": append(append([]byte(nil), first[:traceHeaderLen]...), evEventBatch, 1, 1, 1, 0x7f),
	} {
		if got, oldest, _ := Since(data, 1<<40); !bytes.Equal(got, data) || oldest != 0 {
			t.Errorf("%s: trimmed to %d bytes (oldest %d), want it whole", name, len(got), oldest)
		}
	}
	if got, oldest, newest := Since(first, 1<<40); !bytes.Equal(got, first) || oldest != 0 || newest == 0 {
		t.Errorf("a snapshot with nothing newer: %d of %d bytes, generations %d–%d; want it whole, oldest 0", len(got), len(first), oldest, newest)
	}
}

func TestJoinToNothingCopies(t *testing.T) {
	b := []byte("go 1.26 trace\x00\x00\x00rest")
	got := Join(nil, b)
	if !bytes.Equal(got, b) {
		t.Fatalf("Join(nil, b) = %q", got)
	}
	got[0] = 'X'
	if b[0] != 'g' {
		t.Fatal("Join(nil, b) shares b's bytes")
	}
}

// TestStreamKeepsTheGenerationsThatEnded: what trace.Start writes a Stream, taken after a few
// generations have ended, is a trace of whole generations that reads like a snapshot's, and
// everything written also reaches the tee.
func TestStreamKeepsTheGenerationsThatEnded(t *testing.T) {
	var tee bytes.Buffer
	s := NewStream(&tee)
	if err := trace.Start(s); err != nil {
		t.Skipf("cannot trace: %v", err)
	}
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: time.Minute})
	if err := fr.Start(); err != nil { // a snapshot ends a generation
		trace.Stop()
		t.Skipf("cannot record: %v", err)
	}
	var snap bytes.Buffer
	for range 3 {
		time.Sleep(5 * time.Millisecond)
		snap.Reset()
		fr.WriteTo(&snap)
	}
	fr.Stop()
	time.Sleep(10 * time.Millisecond)
	got := s.Take()
	trace.Stop()
	_, oldest, newest := Since(got, 0)
	if oldest == 0 || newest < oldest+1 {
		t.Fatalf("taken: %d bytes, generations %d–%d; want two or more", len(got), oldest, newest)
	}
	if _, _, snapNewest := Since(snap.Bytes(), 0); newest < snapNewest {
		t.Errorf("the stream's newest generation %d is older than the last snapshot's %d", newest, snapNewest)
	}
	if again := s.Take(); again != nil && len(again) > traceHeaderLen {
		if _, o, _ := Since(again, 0); o <= newest {
			t.Errorf("taken twice: generation %d", o)
		}
	}
	if s.TeeErr() != nil || tee.Len() < len(got)-traceHeaderLen {
		t.Errorf("the tee got %d bytes (error %v); the taken generations alone are %d", tee.Len(), s.TeeErr(), len(got))
	}
}
