package child

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/trace"

	"timeslice/internal/mono"
	"timeslice/internal/wire"
)

// traceBudget bounds the whole trace the child sends at the end of a run, when it keeps one.
// A bigger one is not sent, and the run says so.
const traceBudget = 32 << 20

// recording is the child's record of its own scheduling: a flight recorder whose recent window
// is sent while the work runs and once more at the end, and, when asked for, the whole trace
// written to a temporary file and sent at the end instead.
type recording struct {
	recent *trace.FlightRecorder
	whole  *os.File // nil unless the whole trace is kept
}

// startRecording starts the flight recorder, and the whole trace if whole is set.
func startRecording(whole bool) (*recording, error) {
	r := &recording{recent: trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: wire.SnapshotWindow, MaxBytes: traceBudget})}
	if err := r.recent.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the flight recorder: %w", err)
	}
	if !whole {
		return r, nil
	}
	f, err := os.CreateTemp("", "timeslice-*.trace")
	if err != nil {
		r.recent.Stop()
		return nil, fmt.Errorf("cannot keep the trace: %w", err)
	}
	os.Remove(f.Name()) // the open file lives on until it is closed, and nothing is left behind
	if err := trace.Start(f); err != nil {
		f.Close()
		r.recent.Stop()
		return nil, fmt.Errorf("cannot start the trace: %w", err)
	}
	r.whole = f
	return r, nil
}

// snapshot writes the flight recorder's recent window to buf and returns when it was taken
// (mono.Now ns): the window reaches at least wire.SnapshotWindow back from then.
func (r *recording) snapshot(buf *bytes.Buffer) (taken int64, err error) {
	buf.Reset()
	taken = mono.Now()
	_, err = r.recent.WriteTo(buf)
	return taken, err
}

// finish stops recording and returns the whole trace (whole true), or the last window (whole
// false, taken when) when the whole trace was not kept or is over traceBudget, with a note
// saying why in the second case.
func (r *recording) finish() (data []byte, whole bool, taken int64, note string, err error) {
	defer r.recent.Stop()
	var buf bytes.Buffer
	if r.whole == nil {
		if taken, err = r.snapshot(&buf); err != nil {
			return nil, false, 0, "", fmt.Errorf("cannot read the trace: %w", err)
		}
		return buf.Bytes(), false, taken, "", nil
	}
	trace.Stop()
	defer r.whole.Close()
	size, err := r.whole.Seek(0, io.SeekEnd)
	if err == nil && size <= traceBudget {
		data = make([]byte, size)
		if _, err = r.whole.ReadAt(data, 0); err == nil {
			return data, true, 0, "", nil
		}
	}
	if taken, err = r.snapshot(&buf); err != nil {
		return nil, false, 0, "", fmt.Errorf("cannot read the trace: %w", err)
	}
	return buf.Bytes(), false, taken, fmt.Sprintf("the whole trace (%d bytes) is over the %d-byte budget; lanes come from the live snapshots", size, traceBudget), nil
}
