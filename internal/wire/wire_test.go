package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// stream builds a valid stream with a hello, a line and a trace frame.
func stream(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	fw.Message(Message{Type: MsgHello, Pid: 42, StartMono: 7, Procs: 2})
	fw.Message(Message{Type: MsgLine, AtNs: 1000, Text: "call 1: request sent"})
	fw.Frame(FrameTrace, []byte("not really a trace"))
	fw.Message(Message{Type: MsgDone, WallNs: 5, CPUNs: 3})
	return buf.Bytes()
}

func TestFramesRoundTrip(t *testing.T) {
	fr := NewReader(bytes.NewReader(stream(t)))
	var kinds []byte
	var msgs []Message
	for {
		kind, payload, err := fr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, kind)
		if kind == FrameMessage {
			m, err := DecodeMessage(payload)
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, m)
		}
	}
	if string(kinds) != "MMTM" {
		t.Fatalf("kinds %q, want MMTM", kinds)
	}
	if msgs[0].Pid != 42 || msgs[1].Text != "call 1: request sent" || msgs[2].WallNs != 5 {
		t.Fatalf("messages %+v", msgs)
	}
}

func TestTruncatedStreamIsAClearError(t *testing.T) {
	full := stream(t)
	for cut := 1; cut < len(full); cut++ {
		fr := NewReader(bytes.NewReader(full[:cut]))
		var err error
		for err == nil {
			_, _, err = fr.Next()
		}
		atFrameEdge := err == io.EOF
		if !atFrameEdge && !errors.Is(err, ErrBadStream) {
			t.Fatalf("cut at %d: error %v does not say the stream is corrupt", cut, err)
		}
	}
}

func TestGarbageIsRejected(t *testing.T) {
	for _, in := range [][]byte{
		[]byte("panic: runtime error\n"),
		append([]byte(Magic), 'X', 1, 0),
		append([]byte(Magic), 'M', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
	} {
		fr := NewReader(bytes.NewReader(in))
		_, _, err := fr.Next()
		if !errors.Is(err, ErrBadStream) {
			t.Errorf("%q: got %v, want a corrupt-stream error", in, err)
		}
	}
	if _, err := DecodeMessage([]byte(`{"text":"no type"}`)); !errors.Is(err, ErrBadStream) {
		t.Errorf("message without type: %v", err)
	}
}

// FuzzFrameReader feeds arbitrary bytes to the decoder: it must end in EOF or a corrupt-stream
// error, never panic or hang.
func FuzzFrameReader(f *testing.F) {
	f.Add(stream(f))
	f.Add([]byte(Magic))
	f.Add(append([]byte(Magic), 'M', 2, '{', '}'))
	f.Fuzz(func(t *testing.T, in []byte) {
		fr := NewReader(bytes.NewReader(in))
		for i := 0; i < 1000; i++ {
			kind, payload, err := fr.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !errors.Is(err, ErrBadStream) {
					t.Fatalf("error %v is not a corrupt-stream error", err)
				}
				return
			}
			if kind == FrameMessage {
				DecodeMessage(payload)
			}
		}
	})
}

func TestSnapshotWaitFollowsTheWindowsSize(t *testing.T) {
	for _, c := range []struct {
		size int
		want time.Duration
	}{
		{0, SnapshotEvery},
		{5 << 10, SnapshotEvery}, // a few busy goroutines: as often as windows go
		{64 << 20, SnapshotMaxEvery},
	} {
		if got := SnapshotWait(c.size); got != c.want {
			t.Errorf("SnapshotWait(%d) = %v; want %v", c.size, got, c.want)
		}
	}
	// Ten thousand sleeping goroutines make windows of 165 KB: one every two or three seconds.
	if got := SnapshotWait(165 << 10); got < 2*time.Second || got > 3*time.Second {
		t.Errorf("SnapshotWait(165 KB) = %v; want 2 to 3 s", got)
	}
	if RecorderKeeps <= SnapshotMaxEvery {
		t.Errorf("the recorder keeps %v, not more than the longest wait %v: a generation could leave it unsent", RecorderKeeps, SnapshotMaxEvery)
	}
}
