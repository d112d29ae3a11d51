package procfs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
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

// TestOpenFilesReadOnce checks that a kept-open /proc file costs one read system call each time
// it is read: the kernel renders it afresh on every read, so a second read to find its end
// would double what sampling costs. The kernel's own count of this thread's read calls says.
func TestOpenFilesReadOnce(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := unix.Gettid()
	ioFile := fmt.Sprintf("/proc/self/task/%d/io", tid)
	readCalls := func() int {
		b, err := os.ReadFile(ioFile)
		if err != nil {
			t.Skip("no per-thread I/O counts:", err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "syscr: "); ok {
				n, _ := strconv.Atoi(v)
				return n
			}
		}
		t.Skip("no syscr in", ioFile)
		return 0
	}
	o := newOpenFiles()
	defer o.close()
	file := procFile{os.Getpid(), tid, "schedstat"}
	if _, err := o.read(file, "/proc"); err != nil { // opens it
		t.Fatal(err)
	}
	a := readCalls()
	b := readCalls()
	own := b - a // what reading the count costs
	const reads = 10
	for range reads {
		if _, err := o.read(file, "/proc"); err != nil {
			t.Fatal(err)
		}
	}
	if got := readCalls() - b - own; got != reads {
		t.Fatalf("%d reads of a kept-open file made %d read calls; want %d", reads, got, reads)
	}
}

// TestOpenFilesReadLongFilesWhole checks that a file longer than the buffer is read whole.
func TestOpenFilesReadLongFilesWhole(t *testing.T) {
	want, err := os.ReadFile("/proc/self/environ")
	if err != nil || len(want) < 40 {
		t.Skip("no /proc/self/environ to read:", err)
	}
	o := newOpenFiles()
	defer o.close()
	o.buf = make([]byte, 16) // far shorter than the file
	for range 2 {
		got, err := o.read(procFile{pid: os.Getpid(), name: "environ"}, "/proc")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("read %q; want %q", got, want)
		}
	}
}
