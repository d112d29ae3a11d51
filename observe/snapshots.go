package observe

import "timeslice/internal/wire"

// snapshot is one trace snapshot from the child, stamped with when it was taken (mono.Now ns).
type snapshot struct {
	at    int64
	data  []byte
	whole bool // the whole trace, sent at the end when asked for
}

// maxPending bounds the snapshots waiting to be parsed; past it the oldest-but-one is dropped,
// which may leave a gap in the live lanes (the whole trace, when kept, mends it at the end).
const maxPending = 16

// reach is how far apart in time two parsed snapshots may be and still join without a gap: a
// snapshot reaches wire.SnapshotWindow back from when it was taken, and one snapshot period is
// kept in hand for delays on the way.
const reach = int64(wire.SnapshotWindow - wire.SnapshotEvery)

// snapshotQueue holds the snapshots not yet parsed and picks which to parse next, so the live
// view can skip snapshots when parsing is slow without ever skipping time: it parses the
// newest snapshot whose window still reaches back to the last one parsed.
type snapshotQueue struct {
	pending []snapshot
	lastAt  int64 // when the last snapshot handed out was taken; 0 before the first
	dropped int   // snapshots dropped because too many were waiting
	gaps    int   // times a snapshot did not reach back to the one before it
}

// add queues s. A whole trace makes every earlier snapshot unnecessary.
func (q *snapshotQueue) add(s snapshot) {
	if s.whole {
		q.pending = q.pending[:0]
	}
	q.pending = append(q.pending, s)
	if len(q.pending) > maxPending {
		q.pending = append(q.pending[:1], q.pending[2:]...)
		q.dropped++
	}
}

// next hands out the snapshot to parse now, dropping those it makes unnecessary, and false when
// none is waiting.
func (q *snapshotQueue) next() (snapshot, bool) {
	if len(q.pending) == 0 {
		return snapshot{}, false
	}
	pick := 0
	if q.lastAt != 0 {
		for i, s := range q.pending {
			if s.whole || s.at-q.lastAt <= reach {
				pick = i
			}
		}
	}
	s := q.pending[pick]
	if q.lastAt != 0 && !s.whole && s.at-q.lastAt > int64(wire.SnapshotWindow) {
		q.gaps++ // nothing joins up: the child took its snapshots too far apart
	}
	q.pending = append(q.pending[:0], q.pending[pick+1:]...)
	q.lastAt = s.at
	return s, true
}
