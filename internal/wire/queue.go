package wire

import (
	"encoding/json"
	"io"
	"slices"
	"sync"
	"time"
)

// LazyWait is the longest a frame queued with Queue.Lazy waits for company before it is
// written on its own.
const LazyWait = 100 * time.Millisecond

// Queue writes frames like Writer, but from a goroutine of its own, in the order they were
// given: a caller never waits for the reader. The child's work reports through it, so a slow
// observer (a pipe it has not emptied yet) never stops the work it is watching; the frames wait
// in memory instead. Close writes what is left and says whether every frame was written.
type Queue struct {
	w    *Writer
	wake chan struct{}
	done chan struct{}

	mu      sync.Mutex
	pending []queued
	// lazySince is when the oldest frame queued with Lazy and not yet written was queued, or
	// zero.
	lazySince time.Time
	eager     bool // a frame queued with Frame waits
	closed    bool
	err       error
}

type queued struct {
	kind    byte
	payload []byte
}

// NewQueue writes the stream's opening to w, then starts the goroutine that writes the frames
// queued on it.
func NewQueue(w io.Writer) (*Queue, error) {
	fw, err := NewWriter(w)
	if err != nil {
		return nil, err
	}
	q := &Queue{w: fw, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go q.loop()
	return q, nil
}

// Frame queues one frame, copying its payload, and has it written at once; it returns the
// error of an earlier frame that could not be written, if any.
func (q *Queue) Frame(kind byte, payload []byte) error {
	return q.queue(kind, payload, true)
}

// Lazy queues one frame like Frame, but lets it wait to be written with the next frame queued
// with Frame, or LazyWait at most: frames that may come late (the work's own measurements)
// then cost the reader one wake-up with the others rather than one each.
func (q *Queue) Lazy(kind byte, payload []byte) error {
	return q.queue(kind, payload, false)
}

func (q *Queue) queue(kind byte, payload []byte, now bool) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil || q.closed {
		return q.errLocked()
	}
	q.pending = append(q.pending, queued{kind, slices.Clone(payload)})
	switch {
	case now:
		q.eager = true
	case q.lazySince.IsZero():
		q.lazySince = time.Now() // and wake the writer, to wait for this one
	default:
		return nil // the writer already waits for an older one
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return nil
}

// Message queues one JSON message frame.
func (q *Queue) Message(m Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return q.Frame(FrameMessage, b)
}

// Close writes every frame still queued, stops the goroutine and returns the first write error.
func (q *Queue) Close() error {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	<-q.done
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}

func (q *Queue) errLocked() error {
	if q.err != nil {
		return q.err
	}
	return io.ErrClosedPipe
}

func (q *Queue) loop() {
	defer close(q.done)
	timer := time.NewTimer(LazyWait)
	defer timer.Stop()
	for {
		// Write what is queued once a frame is due: one queued with Frame, the oldest lazy
		// one after LazyWait, or everything once the queue is closed.
		q.mu.Lock()
		since, closed := q.lazySince, q.closed
		var batch []queued
		if q.eager || closed || (!since.IsZero() && time.Since(since) >= LazyWait) {
			batch, q.pending = q.pending, nil
			q.eager, q.lazySince, since = false, time.Time{}, time.Time{}
		}
		q.mu.Unlock()
		for _, f := range batch {
			if err := q.w.Frame(f.kind, f.payload); err != nil {
				q.mu.Lock()
				q.err = err
				q.mu.Unlock()
				return
			}
		}
		switch {
		case closed && len(batch) == 0:
			return
		case len(batch) > 0:
			continue
		case since.IsZero():
			<-q.wake
		default:
			timer.Reset(LazyWait - time.Since(since))
			select {
			case <-q.wake:
			case <-timer.C:
			}
		}
	}
}
