// Package wire is the protocol between the observed child and its observer: the hidden
// subcommands and flags that start a child, the frames the child writes on its stdout, the
// messages they carry and how often trace windows are taken and how far back the recorder keeps. It
// owns the encoding and nothing else: it never starts processes, reads traces or keeps state
// beyond one stream.
package wire

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// The child speaks to its observer over its stdout in frames: a kind byte, a uvarint length and
// that many bytes. The stream opens with Magic so stray output is caught at once.
const Magic = "timeslice-stream-1\n"

// Frame kinds.
const (
	// FrameMessage carries one JSON-encoded message.
	FrameMessage byte = 'M'
	// FrameTrace carries a window taken while the work runs: the trace header and the
	// flight recorder's generations that no window before it carried.
	FrameTrace byte = 'T'
	// FrameFinalTrace carries the whole trace, sent after the work ended when it was asked for.
	FrameFinalTrace byte = 'F'
	// FrameOnCPU carries one batch of a task's on-core spans, measured by the work itself
	// (internal/oncpu's AppendBatch form). Worker processes send them to the child in the same
	// framing, and the child passes them on.
	FrameOnCPU byte = 'C'
)

// maxFrame bounds one frame, so a corrupt length cannot make the reader allocate without limit.
const maxFrame = 256 << 20

// Message types: the Type of a Message.
const (
	MsgHello   = "hello"
	MsgLine    = "line"
	MsgPartial = "partial"
	MsgProcess = "process"
	MsgDone    = "done"
	MsgNote    = "note"
	// MsgSnapshot comes just before each trace window: when it was taken (AtNs since start).
	MsgSnapshot = "snapshot"
)

// Message is one JSON message from the child. Which fields are set depends on Type.
type Message struct {
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

// Writer writes frames; it is safe for concurrent use, since the work prints from many
// goroutines while the snapshotter sends traces.
type Writer struct {
	mu sync.Mutex
	w  *bufio.Writer
}

// NewWriter writes the stream's opening to w and returns a writer for its frames.
func NewWriter(w io.Writer) (*Writer, error) {
	fw := &Writer{w: bufio.NewWriterSize(w, 64<<10)}
	if _, err := fw.w.WriteString(Magic); err != nil {
		return nil, err
	}
	return fw, fw.w.Flush()
}

// Frame writes one frame and flushes it, so the observer sees it at once.
func (fw *Writer) Frame(kind byte, payload []byte) error {
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

// Message writes one JSON message frame.
func (fw *Writer) Message(m Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return fw.Frame(FrameMessage, b)
}

// Reader reads the frames a child writes.
type Reader struct {
	r       *bufio.Reader
	started bool
}

// NewReader reads frames from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10)}
}

// ErrBadStream is wrapped by every error about bytes that are not a valid stream.
var ErrBadStream = errors.New("corrupt stream from the child")

// Next returns the next frame. It returns io.EOF at a clean end between frames, and an error
// wrapping ErrBadStream for anything else that is not a well-formed frame.
func (fr *Reader) Next() (kind byte, payload []byte, err error) {
	if !fr.started {
		head := make([]byte, len(Magic))
		if n, err := io.ReadFull(fr.r, head); err != nil {
			if err == io.EOF {
				return 0, nil, io.EOF
			}
			return 0, nil, fmt.Errorf("%w: only %d bytes of its opening", ErrBadStream, n)
		}
		if string(head) != Magic {
			return 0, nil, fmt.Errorf("%w: it starts with %q", ErrBadStream, head)
		}
		fr.started = true
	}
	kind, err = fr.r.ReadByte()
	if err != nil {
		return 0, nil, err // io.EOF here is a clean end
	}
	if kind != FrameMessage && kind != FrameTrace && kind != FrameFinalTrace && kind != FrameOnCPU {
		return 0, nil, fmt.Errorf("%w: unknown frame kind %q", ErrBadStream, kind)
	}
	size, err := binary.ReadUvarint(fr.r)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: bad frame length: %v", ErrBadStream, noEOF(err))
	}
	if size > maxFrame {
		return 0, nil, fmt.Errorf("%w: frame of %d bytes is over the %d limit", ErrBadStream, size, maxFrame)
	}
	payload = make([]byte, size)
	if _, err := io.ReadFull(fr.r, payload); err != nil {
		return 0, nil, fmt.Errorf("%w: frame cut short: %v", ErrBadStream, noEOF(err))
	}
	return kind, payload, nil
}

// DecodeMessage parses a message frame's payload.
func DecodeMessage(payload []byte) (Message, error) {
	var m Message
	if err := json.Unmarshal(payload, &m); err != nil {
		return m, fmt.Errorf("%w: bad message: %v", ErrBadStream, err)
	}
	if m.Type == "" {
		return m, fmt.Errorf("%w: message without a type", ErrBadStream)
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

// ChildCommand is the hidden subcommand under which the binary runs a scenario's work as the
// observed child process.
const ChildCommand = "__child"

// CalibrateCommand is the hidden subcommand that measures how much computation a core does
// in a millisecond, once per observer, before the first CPU-bound run.
const CalibrateCommand = "__calibrate"

// SnapshotEvery is how often, at most, the child sends a window: the generations of its
// flight recorder it has not sent before. Each window cuts a new generation.
const SnapshotEvery = 100 * time.Millisecond

// SnapshotMaxEvery is the longest the child waits between two windows.
const SnapshotMaxEvery = 3 * time.Second

// snapshotRate is how many bytes of windows a second the child aims to send at most. A
// generation states every goroutine's status, so with thousands of goroutines each window is
// large whatever happened, and cutting it costs the child about a microsecond per goroutine:
// the child then waits longer between windows, and the observer has less to read.
const snapshotRate = 64 << 10

// SnapshotWait is how long the child waits after sending a window of size bytes before it
// takes the next: size at snapshotRate, within SnapshotEvery and SnapshotMaxEvery.
func SnapshotWait(size int) time.Duration {
	d := time.Duration(float64(size) / snapshotRate * float64(time.Second))
	return min(max(d, SnapshotEvery), SnapshotMaxEvery)
}

// RecorderKeeps is how far back the child's flight recorder keeps the trace: well over the
// longest wait between windows, so that no generation leaves it before it has been sent.
const RecorderKeeps = 2 * SnapshotMaxEvery

// WholeTraceFlag is the hidden child flag that keeps the whole runtime/trace besides the live
// snapshots and sends it at the end; the observer asks for it when the whole trace is wanted.
const WholeTraceFlag = "whole-trace"

// BareFlag is the hidden child flag that runs the same work without the flight recorder and
// without trace snapshots: the baseline the observer effect is measured against.
const BareFlag = "bare"
