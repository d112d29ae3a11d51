package wire

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"sync"
	"testing"
	"time"
)

// slowPipe blocks every write until released, as a pipe whose reader is busy does.
type slowPipe struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	release chan struct{}
}

func (p *slowPipe) Write(b []byte) (int, error) {
	<-p.release
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.Write(b)
}

// TestQueueNeverWaitsForTheReader: frames queued while the reader is stuck are all written,
// in order, once it reads again; the caller never waited.
func TestQueueNeverWaitsForTheReader(t *testing.T) {
	p := &slowPipe{release: make(chan struct{})}
	opened := make(chan *Queue)
	go func() {
		q, err := NewQueue(p)
		if err != nil {
			t.Error(err)
		}
		opened <- q
	}()
	p.release <- struct{}{} // the opening
	q := <-opened
	for i := range 100 {
		if err := q.Message(Message{Type: MsgLine, Text: string(rune('a' + i%26))}); err != nil {
			t.Fatal(err)
		}
	}
	close(p.release) // the reader catches up
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	r := NewReader(bytes.NewReader(p.buf.Bytes()))
	for i := range 100 {
		kind, payload, err := r.Next()
		if err != nil || kind != FrameMessage {
			t.Fatalf("frame %d: %q %v", i, kind, err)
		}
		m, err := DecodeMessage(payload)
		if err != nil || m.Text != string(rune('a'+i%26)) {
			t.Fatalf("frame %d out of order: %+v %v", i, m, err)
		}
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the last frame: %v", err)
	}
}

type failing struct{ n int }

func (f *failing) Write(b []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, errors.New("broken pipe")
	}
	return len(b), nil
}

// TestQueueReportsAWriteError: once a frame cannot be written, later frames and Close say so.
func TestQueueReportsAWriteError(t *testing.T) {
	q, err := NewQueue(&failing{n: 1})
	if err != nil {
		t.Fatal(err)
	}
	q.Message(Message{Type: MsgLine, Text: "x"})
	if err := q.Close(); err == nil {
		t.Fatal("Close after a failed write returned nil")
	}
	if err := q.Message(Message{Type: MsgLine}); err == nil {
		t.Fatal("a frame after Close was accepted")
	}
}

// stampedPipe records when each write arrived.
type stampedPipe struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan time.Time
}

func (p *stampedPipe) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case p.wrote <- time.Now():
	default:
	}
	return p.buf.Write(b)
}

// TestLazyFramesWaitForCompanyButNotForever: a frame queued with Lazy is not written before
// LazyWait on its own, is written with the next frame queued with Frame, and every frame goes
// out in the order it was queued.
func TestLazyFramesWaitForCompanyButNotForever(t *testing.T) {
	p := &stampedPipe{wrote: make(chan time.Time, 1)}
	q, err := NewQueue(p)
	if err != nil {
		t.Fatal(err)
	}
	<-p.wrote // the opening

	// Alone, a lazy frame waits LazyWait, then goes out without anything else queued.
	queued := time.Now()
	q.Lazy(FrameOnCPU, []byte("lazy 1"))
	select {
	case at := <-p.wrote:
		if waited := at.Sub(queued); waited < LazyWait {
			t.Errorf("a lazy frame alone was written after %v, before LazyWait (%v)", waited, LazyWait)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a lazy frame alone was never written")
	}

	// With company, lazy frames go out with the next frame that is due, in order.
	q.Lazy(FrameOnCPU, []byte("lazy 2"))
	q.Lazy(FrameOnCPU, []byte("lazy 3"))
	q.Message(Message{Type: MsgLine, Text: "due"})
	q.Lazy(FrameOnCPU, []byte("lazy 4")) // written when the queue closes
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	r := NewReader(bytes.NewReader(p.buf.Bytes()))
	var got []string
	for {
		kind, payload, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if kind == FrameMessage {
			m, _ := DecodeMessage(payload)
			payload = []byte(m.Text)
		}
		got = append(got, string(payload))
	}
	want := []string{"lazy 1", "lazy 2", "lazy 3", "due", "lazy 4"}
	if !slices.Equal(got, want) {
		t.Fatalf("frames written %q, want %q", got, want)
	}
}
