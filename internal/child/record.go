package child

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/trace"

	"timeslice/internal/mono"
	"timeslice/internal/tracegen"
	"timeslice/internal/wire"
)

// traceBudget bounds the whole trace the child sends at the end of a run, when it keeps one.
// A bigger one is not sent, and the run says so.
const traceBudget = 32 << 20

// recording is the child's record of its own scheduling, sent in windows while the work runs
// and once more at the end, each window holding the generations not sent before: those the
// runtime ends by itself every 2.1 s (GODEBUG traceadvanceperiod, set by the observer), read
// from the trace as it is written, and, when a window is due before the runtime ends one, the
// flight recorder's, which ends one there and then. Ending a generation restates every
// goroutine, which with thousands of them costs milliseconds, so the windows of such a run
// are the runtime's own. When asked for, the whole trace is written to a temporary file too
// and sent at the end instead.
type recording struct {
	recent *trace.FlightRecorder
	stream *tracegen.Stream
	whole  *os.File // nil unless the whole trace is kept
	sent   uint64   // the newest generation sent in a window so far
}

// startRecording starts the flight recorder and the trace, kept whole if whole is set.
func startRecording(whole bool) (*recording, error) {
	r := &recording{recent: trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: wire.RecorderKeeps, MaxBytes: traceBudget})}
	if err := r.recent.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the flight recorder: %w", err)
	}
	var tee io.Writer
	if whole {
		f, err := os.CreateTemp("", "timeslice-*.trace")
		if err != nil {
			r.recent.Stop()
			return nil, fmt.Errorf("cannot keep the trace: %w", err)
		}
		os.Remove(f.Name()) // the open file lives on until it is closed, and nothing is left behind
		r.whole, tee = f, f
	}
	r.stream = tracegen.NewStream(tee)
	if err := trace.Start(r.stream); err != nil {
		if r.whole != nil {
			r.whole.Close()
		}
		r.recent.Stop()
		return nil, fmt.Errorf("cannot start the trace: %w", err)
	}
	return r, nil
}

// ended returns the generations the runtime ended by itself that were not sent before, and
// when they were taken (mono.Now ns); nil when there are none.
func (r *recording) ended() (data []byte, taken int64) {
	taken = mono.Now()
	all := r.stream.Take()
	if all == nil {
		return nil, taken
	}
	data, _, newest := tracegen.Since(all, r.sent)
	if newest <= r.sent {
		return nil, taken
	}
	r.sent = newest
	return data, taken
}

// window ends a generation and returns the generations not sent before, through the one just
// ended, and when it was taken (mono.Now ns); buf holds what the flight recorder wrote. A
// generation is complete in itself, so the window reads on its own, and the observer joins it
// to the ones before. Data is nil when there is nothing new, and all the recorder wrote when
// it cannot be cut by generation.
func (r *recording) window(buf *bytes.Buffer) (data []byte, taken int64, err error) {
	buf.Reset()
	taken = mono.Now()
	if _, err = r.recent.WriteTo(buf); err != nil {
		return nil, taken, err
	}
	data, _, newest := tracegen.Since(buf.Bytes(), r.sent)
	switch {
	case newest == 0: // not cut by generation: the observer reads it all
	case newest <= r.sent:
		return nil, taken, nil
	default:
		r.sent = newest
	}
	return data, taken, nil
}

// finish stops recording and returns the whole trace (whole true), or the last window (whole
// false, taken when; nil when nothing is left to send) when the whole trace was not kept or is
// over traceBudget, with a note saying why in the second case.
func (r *recording) finish() (data []byte, whole bool, taken int64, note string, err error) {
	defer r.recent.Stop()
	var buf bytes.Buffer
	if r.whole == nil {
		trace.Stop()
		if data, taken, err = r.window(&buf); err != nil {
			return nil, false, 0, "", fmt.Errorf("cannot read the trace: %w", err)
		}
		return data, false, taken, "", nil
	}
	trace.Stop()
	defer r.whole.Close()
	size, err := r.whole.Seek(0, io.SeekEnd)
	if err == nil && r.stream.TeeErr() != nil {
		err = r.stream.TeeErr()
	}
	if err == nil && size <= traceBudget {
		data = make([]byte, size)
		if _, err = r.whole.ReadAt(data, 0); err == nil {
			return data, true, 0, "", nil
		}
	}
	if data, taken, err = r.window(&buf); err != nil {
		return nil, false, 0, "", fmt.Errorf("cannot read the trace: %w", err)
	}
	return data, false, taken, fmt.Sprintf("the whole trace (%d bytes) is over the %d-byte budget; lanes come from the live snapshots", size, traceBudget), nil
}
