package wire

import (
	"encoding/json"
	"io"
	"slices"
	"sync"
)

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
	closed  bool
	err     error
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

// Frame queues one frame, copying its payload; it returns the error of an earlier frame that
// could not be written, if any.
func (q *Queue) Frame(kind byte, payload []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil || q.closed {
		return q.errLocked()
	}
	q.pending = append(q.pending, queued{kind, slices.Clone(payload)})
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
	for {
		q.mu.Lock()
		batch, closed := q.pending, q.closed
		q.pending = nil
		q.mu.Unlock()
		for _, f := range batch {
			if err := q.w.Frame(f.kind, f.payload); err != nil {
				q.mu.Lock()
				q.err = err
				q.mu.Unlock()
				return
			}
		}
		if closed && len(batch) == 0 {
			return
		}
		if len(batch) == 0 {
			<-q.wake
		}
	}
}
