// Package tracegen cuts a runtime/trace stream (a flight recorder snapshot, or what trace.Start
// writes) by generation: the trace is cut into generations, each readable on its own, and this
// package keeps those newer than a given one, or those that have ended. It reads only the
// batches' headers: never the events, which package tracelanes reads. The child uses it to send
// only the generations it has not sent before, the observer to read only those it has not read.
package tracegen

import (
	"bytes"
	"encoding/binary"
	"io"
	"sync"
)

// A runtime/trace stream (the format golang.org/x/exp/trace reads) is a 16-byte header, then
// batches of events. Each batch names its generation: the trace is cut into generations, each
// readable on its own, and every snapshot the child sends cuts one. These are the three byte
// values that open a batch or end a generation.
const (
	evEventBatch        = 1  // [generation, thread, time, length] then length bytes of events
	evExperimentalBatch = 49 // [experiment] then as an event batch
	evEndOfGeneration   = 52 // a lone byte after a generation's batches (since Go 1.26)
	traceHeaderLen      = 16 // "go 1.26 trace" padded with zero bytes
)

// Since drops from a trace the batches of generations up to and including after, so what is
// left is only what a snapshot adds to the previous one (generations count from 1: after 0
// keeps them all). Each generation the flight recorder hands out is complete in itself (it
// states every goroutine's status), so the new ones read alone, and their first moment is the
// cut where the previous ones end. It also returns the oldest generation kept and the newest in
// data. Anything it does not recognise makes it return data whole, with oldest and newest 0:
// the parser then reads it, or says what is wrong. When nothing in data is newer than after, it
// returns data whole too, with oldest 0.
func Since(data []byte, after uint64) (trimmed []byte, oldest, newest uint64) {
	if len(data) < traceHeaderLen || !bytes.HasPrefix(data, []byte("go 1.")) {
		return data, 0, 0
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:traceHeaderLen]...)
	var gen uint64 // the generation of the batch read last
	for pos := traceHeaderLen; pos < len(data); {
		start := pos
		switch data[pos] {
		case evEndOfGeneration:
			pos++
		case evEventBatch, evExperimentalBatch:
			if data[pos] == evExperimentalBatch {
				pos++ // the experiment
			}
			pos++
			var fields [4]uint64 // generation, thread, time, length
			for i := range fields {
				v, n := binary.Uvarint(data[min(pos, len(data)):])
				if n <= 0 {
					return data, 0, 0
				}
				fields[i], pos = v, pos+n
			}
			if fields[3] > uint64(len(data)-pos) {
				return data, 0, 0
			}
			gen, pos = fields[0], pos+int(fields[3])
			newest = max(newest, gen)
		default:
			return data, 0, 0
		}
		if gen > after {
			out = append(out, data[start:pos]...)
			if oldest == 0 || gen < oldest {
				oldest = gen
			}
		}
	}
	if len(out) == traceHeaderLen {
		return data, 0, newest // nothing newer than after: not a snapshot that follows, read it all
	}
	return out, oldest, newest
}

// Join appends to a the generations of b, a trace of the generations that follow a's: b's
// header is dropped. An empty a gives b.
func Join(a, b []byte) []byte {
	if len(a) == 0 {
		return append([]byte(nil), b...)
	}
	if len(b) < traceHeaderLen {
		return a
	}
	return append(a, b[traceHeaderLen:]...)
}

// Stream is an io.Writer for trace.Start: it keeps the generations the runtime writes it as
// each one ends, until taken, and copies everything written to it to a tee, when it has one.
// The runtime writes the trace's header first, then whole batches, each generation closed by
// a lone end-of-generation byte. It is safe for concurrent use.
type Stream struct {
	mu     sync.Mutex
	header []byte
	open   []byte // the generation being written
	ended  []byte // the generations that ended since the last Take
	tee    io.Writer
	teeErr error
}

// NewStream returns a Stream that copies what it is written to tee (nil for none).
func NewStream(tee io.Writer) *Stream { return &Stream{tee: tee} }

// Write takes in what the runtime writes: the header, a batch, or the end of a generation.
func (s *Stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tee != nil && s.teeErr == nil {
		_, s.teeErr = s.tee.Write(p)
	}
	switch {
	case s.header == nil:
		s.header = bytes.Clone(p)
	case len(p) == 1 && p[0] == evEndOfGeneration:
		s.ended = append(append(s.ended, s.open...), p...)
		s.open = s.open[:0]
	default:
		s.open = append(s.open, p...)
	}
	return len(p), nil
}

// Take returns the header and the generations that ended since the last Take, or nil when
// none did.
func (s *Stream) Take() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ended) == 0 {
		return nil
	}
	out := append(bytes.Clone(s.header), s.ended...)
	s.ended = s.ended[:0]
	return out
}

// TeeErr is the first error copying to the tee, or nil.
func (s *Stream) TeeErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.teeErr
}
