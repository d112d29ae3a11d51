package sim

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// stream builds a valid stream with a hello, a line and a trace frame.
func stream(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, err := newFrameWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	fw.message(message{Type: msgHello, Pid: 42, StartMono: 7, Procs: 2})
	fw.message(message{Type: msgLine, AtNs: 1000, Text: "call 1: request sent"})
	fw.frame(frameTrace, []byte("not really a trace"))
	fw.message(message{Type: msgDone, WallNs: 5, CPUNs: 3})
	return buf.Bytes()
}

func TestFramesRoundTrip(t *testing.T) {
	fr := newFrameReader(bytes.NewReader(stream(t)))
	var kinds []byte
	var msgs []message
	for {
		kind, payload, err := fr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, kind)
		if kind == frameMessage {
			m, err := decodeMessage(payload)
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
		fr := newFrameReader(bytes.NewReader(full[:cut]))
		var err error
		for err == nil {
			_, _, err = fr.next()
		}
		atFrameEdge := err == io.EOF
		if !atFrameEdge && !errors.Is(err, errBadStream) {
			t.Fatalf("cut at %d: error %v does not say the stream is corrupt", cut, err)
		}
	}
}

func TestGarbageIsRejected(t *testing.T) {
	for _, in := range [][]byte{
		[]byte("panic: runtime error\n"),
		append([]byte(protocolMagic), 'X', 1, 0),
		append([]byte(protocolMagic), 'M', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
	} {
		fr := newFrameReader(bytes.NewReader(in))
		_, _, err := fr.next()
		if !errors.Is(err, errBadStream) {
			t.Errorf("%q: got %v, want a corrupt-stream error", in, err)
		}
	}
	if _, err := decodeMessage([]byte(`{"text":"no type"}`)); !errors.Is(err, errBadStream) {
		t.Errorf("message without type: %v", err)
	}
}

// FuzzFrameReader feeds arbitrary bytes to the decoder: it must end in EOF or a corrupt-stream
// error, never panic or hang.
func FuzzFrameReader(f *testing.F) {
	f.Add(stream(f))
	f.Add([]byte(protocolMagic))
	f.Add(append([]byte(protocolMagic), 'M', 2, '{', '}'))
	f.Fuzz(func(t *testing.T, in []byte) {
		fr := newFrameReader(bytes.NewReader(in))
		for i := 0; i < 1000; i++ {
			kind, payload, err := fr.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !errors.Is(err, errBadStream) {
					t.Fatalf("error %v is not a corrupt-stream error", err)
				}
				return
			}
			if kind == frameMessage {
				decodeMessage(payload)
			}
		}
	})
}
