package sim

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// The child speaks to its observer over its stdout in frames: a kind byte, a uvarint length and
// that many bytes. The stream opens with protocolMagic so stray output is caught at once.
const protocolMagic = "timeslice-stream-1\n"

// Frame kinds.
const (
	// frameMessage carries one JSON-encoded message.
	frameMessage byte = 'M'
	// frameTrace carries a flight-recorder snapshot taken while the work runs.
	frameTrace byte = 'T'
	// frameFinalTrace carries the whole trace, sent after the work ended when it was asked for.
	frameFinalTrace byte = 'F'
)

// maxFrame bounds one frame, so a corrupt length cannot make the reader allocate without limit.
const maxFrame = 256 << 20

// Message types.
const (
	msgHello   = "hello"
	msgLine    = "line"
	msgPartial = "partial"
	msgProcess = "process"
	msgDone    = "done"
	msgNote    = "note"
	// msgSnapshot comes just before each trace window: when it was taken (AtNs since start).
	msgSnapshot = "snapshot"
)

// message is one JSON message from the child. Which fields are set depends on Type.
type message struct {
	Type string `json:"type"`
	// hello
	Pid       int   `json:"pid,omitempty"`
	StartMono int64 `json:"start_mono,omitempty"`
	Procs     int   `json:"procs,omitempty"`
	// line
	AtNs int64  `json:"at_ns,omitempty"`
	Text string `json:"text,omitempty"`
	// partial
	Chunk int   `json:"chunk,omitempty"`
	Sum   int64 `json:"sum,omitempty"`
	// process (also Pid)
	Name string `json:"name,omitempty"`
	// done
	WallNs int64  `json:"wall_ns,omitempty"`
	CPUNs  int64  `json:"cpu_ns,omitempty"`
	Vol    int64  `json:"vol,omitempty"`   // voluntary context switches during the work
	Invol  int64  `json:"invol,omitempty"` // involuntary ones
	Err    string `json:"err,omitempty"`
}

// frameWriter writes frames; it is safe for concurrent use, since the work prints from many
// goroutines while the snapshotter sends traces.
type frameWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

// newFrameWriter writes the stream's opening to w and returns a writer for its frames.
func newFrameWriter(w io.Writer) (*frameWriter, error) {
	fw := &frameWriter{w: bufio.NewWriterSize(w, 64<<10)}
	if _, err := fw.w.WriteString(protocolMagic); err != nil {
		return nil, err
	}
	return fw, fw.w.Flush()
}

// frame writes one frame and flushes it, so the observer sees it at once.
func (fw *frameWriter) frame(kind byte, payload []byte) error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	var hdr [1 + binary.MaxVarintLen64]byte
	hdr[0] = kind
	n := binary.PutUvarint(hdr[1:], uint64(len(payload)))
	if _, err := fw.w.Write(hdr[:1+n]); err != nil {
		return err
	}
	if _, err := fw.w.Write(payload); err != nil {
		return err
	}
	return fw.w.Flush()
}

// message writes one JSON message frame.
func (fw *frameWriter) message(m message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return fw.frame(frameMessage, b)
}

// frameReader reads the frames a child writes.
type frameReader struct {
	r       *bufio.Reader
	started bool
}

// newFrameReader reads frames from r.
func newFrameReader(r io.Reader) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// errBadStream is wrapped by every error about bytes that are not a valid stream.
var errBadStream = errors.New("corrupt stream from the child")

// next returns the next frame. It returns io.EOF at a clean end between frames, and an error
// wrapping errBadStream for anything else that is not a well-formed frame.
func (fr *frameReader) next() (kind byte, payload []byte, err error) {
	if !fr.started {
		head := make([]byte, len(protocolMagic))
		if n, err := io.ReadFull(fr.r, head); err != nil {
			if err == io.EOF {
				return 0, nil, io.EOF
			}
			return 0, nil, fmt.Errorf("%w: only %d bytes of its opening", errBadStream, n)
		}
		if string(head) != protocolMagic {
			return 0, nil, fmt.Errorf("%w: it starts with %q", errBadStream, head)
		}
		fr.started = true
	}
	kind, err = fr.r.ReadByte()
	if err != nil {
		return 0, nil, err // io.EOF here is a clean end
	}
	if kind != frameMessage && kind != frameTrace && kind != frameFinalTrace {
		return 0, nil, fmt.Errorf("%w: unknown frame kind %q", errBadStream, kind)
	}
	size, err := binary.ReadUvarint(fr.r)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: bad frame length: %v", errBadStream, noEOF(err))
	}
	if size > maxFrame {
		return 0, nil, fmt.Errorf("%w: frame of %d bytes is over the %d limit", errBadStream, size, maxFrame)
	}
	payload = make([]byte, size)
	if _, err := io.ReadFull(fr.r, payload); err != nil {
		return 0, nil, fmt.Errorf("%w: frame cut short: %v", errBadStream, noEOF(err))
	}
	return kind, payload, nil
}

// decodeMessage parses a message frame's payload.
func decodeMessage(payload []byte) (message, error) {
	var m message
	if err := json.Unmarshal(payload, &m); err != nil {
		return m, fmt.Errorf("%w: bad message: %v", errBadStream, err)
	}
	if m.Type == "" {
		return m, fmt.Errorf("%w: message without a type", errBadStream)
	}
	return m, nil
}

// noEOF turns an end of file inside a frame into the unexpected end it is.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
