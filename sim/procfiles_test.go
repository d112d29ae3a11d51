package sim

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestOpenFilesRereadTheKernelsRecord checks that a kept-open /proc file shows fresh counters
// on every read, and that a thread that has exited reads as gone.
func TestOpenFilesRereadTheKernelsRecord(t *testing.T) {
	o := newOpenFiles()
	defer o.close()
	p := ProcFS{open: o}
	tids := make(chan int)
	release := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
		tids <- unix.Gettid()
		for start := time.Now(); time.Since(start) < 30*time.Millisecond; {
		}
		tids <- unix.Gettid()
		<-release
	}()
	tid := <-tids
	first, err := p.ReadThreadSchedstat(os.Getpid(), tid)
	if err != nil {
		t.Fatal(err)
	}
	<-tids
	second, err := p.ReadThreadSchedstat(os.Getpid(), tid)
	if err != nil {
		t.Fatal(err)
	}
	if second.RunNs <= first.RunNs {
		t.Fatalf("on-CPU time did not grow through the open file: %d then %d", first.RunNs, second.RunNs)
	}
	if len(o.files) != 1 {
		t.Fatalf("%d files open, want the one kept", len(o.files))
	}
	close(release)
	gone := false
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && !gone; time.Sleep(10 * time.Millisecond) {
		_, err = p.ReadThreadSchedstat(os.Getpid(), tid)
		gone = errors.Is(err, ErrGone)
	}
	if !gone {
		t.Fatalf("an exited thread should read as gone, got %v", err)
	}
	if len(o.files) != 0 {
		t.Fatal(fmt.Sprint("the gone thread's file is still open: ", o.files))
	}
}
