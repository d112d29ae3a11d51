package osproc

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestQuietReaderReadsEverythingThenEOF(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	q := QuietReader(r)
	if _, ok := q.(*quietReader); !ok {
		t.Fatalf("a pipe is read as %T, not quietly", q)
	}
	// Chunks with pauses between them, so that reads find the pipe empty and must wait
	// through the poller, and one chunk larger than the pipe's buffer.
	var chunks [][]byte
	for i := range 20 {
		chunks = append(chunks, bytes.Repeat([]byte{byte('a' + i)}, 1+i*97))
	}
	chunks[10] = bytes.Repeat([]byte("big"), 100_000)
	want := bytes.Join(chunks, nil)
	go func() {
		defer w.Close()
		for _, c := range chunks {
			w.Write(c)
			time.Sleep(time.Millisecond)
		}
	}()
	got, err := io.ReadAll(q)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want %d, or they differ", len(got), len(want))
	}
	if n, err := q.Read(make([]byte, 8)); n != 0 || err != io.EOF {
		t.Fatalf("after the writer closed: %d, %v; want 0, EOF", n, err)
	}
}

func TestQuietReaderReadOfClosedPipeFails(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	q := QuietReader(r)
	done := make(chan error, 1)
	go func() {
		_, err := q.Read(make([]byte, 8))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // the read is waiting on the poller
	r.Close()
	select {
	case err := <-done:
		var pe *os.PathError
		if !errors.As(err, &pe) || pe.Op != "read" {
			t.Fatalf("read of a pipe closed under it: %v; want a read error", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a read of a pipe closed under it did not return")
	}
}

func TestQuietReaderLeavesBlockingFilesAlone(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	r.Fd() // makes the pipe blocking
	if q := QuietReader(r); q != io.Reader(r) {
		t.Fatalf("a blocking pipe became %T", q)
	}
}

func TestQuietReaderLeavesOtherReadersAlone(t *testing.T) {
	in := strings.NewReader("not a file")
	if q := QuietReader(in); q != io.Reader(in) {
		t.Fatalf("a strings.Reader became %T", q)
	}
	if n, err := (&quietReader{}).Read(nil); n != 0 || err != nil {
		t.Fatalf("an empty read: %d, %v", n, err)
	}
}
