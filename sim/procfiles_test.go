package sim

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestOpenFilesRereadTheKernelsRecord checks that a kept-open /proc file shows fresh counters
// on every read, and that a process that has exited reads as gone, its file closed.
func TestOpenFilesRereadTheKernelsRecord(t *testing.T) {
	o := newOpenFiles()
	defer o.close()
	p := ProcFS{open: o}

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := unix.Gettid()
	first, err := p.ReadThreadSchedstat(os.Getpid(), tid)
	if err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); time.Since(start) < 30*time.Millisecond; {
	}
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

	cmd := exec.Command("sleep", "0.05")
	if err := cmd.Start(); err != nil {
		t.Skip("cannot start sleep:", err)
	}
	pid := cmd.Process.Pid
	if _, err := p.ReadThreadSchedstat(pid, pid); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() // exited and reaped: its /proc entry is gone
	if _, err := p.ReadThreadSchedstat(pid, pid); !errors.Is(err, ErrGone) {
		t.Fatalf("an exited process should read as gone, got %v", err)
	}
	if len(o.files) != 1 {
		t.Fatalf("%d files open: the gone process's file should be closed", len(o.files))
	}
}
