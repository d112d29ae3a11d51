package observe

import "timeslice/internal/tracegen"

// snapshot is one trace window from the child (the generations it had not sent before), or the
// whole trace, stamped with when it was taken (mono.Now ns).
type snapshot struct {
	at    int64
	data  []byte
	whole bool // the whole trace, sent at the end when asked for
}

// maxPendingBytes bounds the windows waiting to be read; past it the oldest are dropped, which
// leaves a gap in the live lanes (the whole trace, when kept, mends it at the end).
const maxPendingBytes = 64 << 20

// snapshotQueue holds the windows not yet read. Each window holds only generations no window
// before it held, so none may be skipped: when reading is slow, the windows that wait are read
// together, joined into one.
type snapshotQueue struct {
	pending []snapshot
	bytes   int // the size of pending's data
	dropped int // windows dropped because too much was waiting
}

// add queues s. A whole trace makes every earlier window unnecessary.
func (q *snapshotQueue) add(s snapshot) {
	if s.whole {
		q.pending, q.bytes = q.pending[:0], 0
	}
	q.pending = append(q.pending, s)
	q.bytes += len(s.data)
	for len(q.pending) > 1 && q.bytes > maxPendingBytes {
		q.bytes -= len(q.pending[0].data)
		q.pending = q.pending[1:]
		q.dropped++
	}
}

// next hands out everything waiting as one snapshot: the whole trace if one came, else the
// windows joined, stamped with the newest's time; false when nothing is waiting.
func (q *snapshotQueue) next() (snapshot, bool) {
	if len(q.pending) == 0 {
		return snapshot{}, false
	}
	s := q.pending[0]
	for _, w := range q.pending[1:] {
		s.data = tracegen.Join(s.data, w.data)
		s.at = w.at
	}
	q.pending, q.bytes = q.pending[:0], 0
	return s, true
}
