// Package procfs reads the kernel's scheduling record of processes and threads from /proc
// (schedstat, stat, status) and samples it: a ProcSampler follows every thread of the observed
// child and every worker process it names, keeps their history, and classifies each sampled
// window of a worker process into running, ready and waiting intervals. It never parses
// traces, never starts or kills a process, and guesses no core it did not read.
package procfs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
)

// Schedstat is the kernel's scheduling record of one thread, from /proc/<pid>/schedstat or
// /proc/<pid>/task/<tid>/schedstat. For a process path it covers only the main thread.
type Schedstat struct {
	// RunNs is the time spent on a CPU, in nanoseconds.
	RunNs int64
	// WaitNs is the time spent runnable on a run queue, waiting for a CPU, in nanoseconds.
	WaitNs int64
	// Slices is the number of timeslices run on a CPU.
	Slices int64
}

// Stat is the part of /proc/<pid>/stat (or a task's stat) the sampler uses.
type Stat struct {
	// PID is field 1: the process or thread id.
	PID int
	// Comm is field 2 without its parentheses; it may hold spaces and parentheses.
	Comm string
	// State is field 3: R running or runnable, S sleeping, D disk wait, Z zombie, X dead, ...
	State byte
	// UTime and STime are fields 14 and 15: user and system CPU time in clock ticks.
	UTime, STime uint64
	// NumThreads is field 20: the number of threads in the process.
	NumThreads int
	// Processor is field 39: the CPU the thread last ran on.
	Processor int
}

// Status is the part of /proc/<pid>/status (or a task's status) the sampler uses.
type Status struct {
	// Voluntary counts switches where the thread gave up the CPU (sleep, I/O, lock).
	Voluntary int
	// Involuntary counts switches where the kernel took the CPU away (preemption).
	Involuntary int
}

// ErrGone means the process or thread no longer has a /proc entry: it has exited.
var ErrGone = errors.New("process has exited")

// statFieldsAfterComm is how many fields must follow the comm for field 39 to be present.
const statFieldsAfterComm = 37

// ParseSchedstat parses a schedstat file: on-CPU ns, run-queue wait ns, timeslices.
func ParseSchedstat(b []byte) (Schedstat, error) {
	var buf [4][]byte
	f := appendFields(buf[:0], b)
	if len(f) < 3 {
		return Schedstat{}, fmt.Errorf("schedstat: want 3 numbers, got %d", len(f))
	}
	var v [3]int64
	for i := range v {
		n, err := strconv.ParseInt(string(f[i]), 10, 64)
		if err != nil || n < 0 {
			return Schedstat{}, fmt.Errorf("schedstat: field %d is not a count: %q", i+1, clip(f[i]))
		}
		v[i] = n
	}
	return Schedstat{RunNs: v[0], WaitNs: v[1], Slices: v[2]}, nil
}

// ParseStat parses a stat file. The comm (field 2) may hold spaces and ')', so the fields after
// it start at the last ')'.
func ParseStat(b []byte) (Stat, error) {
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return Stat{}, errors.New("stat: no parenthesised command name")
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil {
		return Stat{}, fmt.Errorf("stat: pid is not a number: %q", clip(b[:open]))
	}
	var buf [64][]byte // a stat file has 52 fields today
	f := appendFields(buf[:0], b[closing+1:])
	if len(f) < statFieldsAfterComm {
		return Stat{}, fmt.Errorf("stat: %d fields after the command name, need %d", len(f), statFieldsAfterComm)
	}
	st := Stat{PID: pid, Comm: string(b[open+1 : closing])}
	if c := f[0][0] | 0x20; len(f[0]) != 1 || c < 'a' || c > 'z' {
		return Stat{}, fmt.Errorf("stat: state is not one letter: %q", clip(f[0]))
	}
	st.State = f[0][0]
	// f[i] is field i+3 of the file.
	var threads, cpu uint64
	for _, fld := range []struct {
		n    int
		bits int
		dst  *uint64
	}{{14, 64, &st.UTime}, {15, 64, &st.STime}, {20, 31, &threads}, {39, 31, &cpu}} {
		if *fld.dst, err = parseField(f, fld.n, fld.bits); err != nil {
			return Stat{}, err
		}
	}
	st.NumThreads, st.Processor = int(threads), int(cpu)
	return st, nil
}

// appendFields appends the fields of b, split at spaces and line ends, to dst. A sampler reads
// these files many times a second: unlike bytes.Fields, it allocates nothing while dst has room.
func appendFields(dst [][]byte, b []byte) [][]byte {
	start := -1
	for i, c := range b {
		switch space := c == ' ' || c == '\n' || c == '\t'; {
		case space && start >= 0:
			dst, start = append(dst, b[start:i]), -1
		case !space && start < 0:
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, b[start:])
	}
	return dst
}

// parseField parses field number field (1-based, as proc(5) numbers them) of a stat file as an
// unsigned number of at most bits bits, given the fields that follow the comm.
func parseField(f [][]byte, field, bits int) (uint64, error) {
	s := f[field-3]
	n, err := strconv.ParseUint(string(s), 10, bits)
	if err != nil {
		return 0, fmt.Errorf("stat: field %d is not a count: %q", field, clip(s))
	}
	return n, nil
}

// ParseStatus parses the context-switch counts out of a status file.
func ParseStatus(b []byte) (Status, error) {
	var st Status
	var haveVol, haveInvol bool
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		key, val, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		var dst *int
		switch string(key) {
		case "voluntary_ctxt_switches":
			dst, haveVol = &st.Voluntary, true
		case "nonvoluntary_ctxt_switches":
			dst, haveInvol = &st.Involuntary, true
		default:
			continue
		}
		n, err := strconv.ParseUint(string(bytes.TrimSpace(val)), 10, 62)
		if err != nil {
			return Status{}, fmt.Errorf("status: %s is not a count: %q", key, clip(val))
		}
		*dst = int(n)
	}
	if !haveVol || !haveInvol {
		return Status{}, errors.New("status: no voluntary_ctxt_switches and nonvoluntary_ctxt_switches lines")
	}
	return st, nil
}

// clip shortens bad input quoted in an error so the error stays one short line.
func clip(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 32 {
		return string(b[:32]) + "..."
	}
	return string(b)
}

// ProcFS reads the kernel's process record from a proc file system mounted at Root. The zero
// value reads /proc; tests point Root at recorded files.
type ProcFS struct {
	// Root is where the proc file system is mounted; empty means "/proc".
	Root string
	// open, when set, keeps files open between reads (see openFiles).
	open *openFiles
	// onRead, when set, is told the path of every file read; tests count reads with it.
	onRead func(path string)
}

func (p ProcFS) root() string {
	if p.Root == "" {
		return "/proc"
	}
	return p.Root
}

// Available returns nil if Root can be read, or an error saying why it cannot.
func (p ProcFS) Available() error {
	if _, err := os.ReadDir(p.root()); err != nil {
		return fmt.Errorf("proc unavailable at %s: %w", p.root(), unwrapPath(err))
	}
	return nil
}

// procFile names one file of a process's record: <pid>/task/<tid>/<name>, or <pid>/<name> when
// tid is 0. Sampling names thousands of files a second: as a key, it spares building each path.
type procFile struct {
	pid, tid int
	name     string
}

// path is where f is under root.
func (f procFile) path(root string) string {
	if f.tid == 0 {
		return root + "/" + strconv.Itoa(f.pid) + "/" + f.name
	}
	return root + "/" + strconv.Itoa(f.pid) + "/task/" + strconv.Itoa(f.tid) + "/" + f.name
}

// read reads one file of a process's record, telling an exited process (ErrGone) from an
// unreadable Root.
func (p ProcFS) read(f procFile) ([]byte, error) {
	if p.onRead != nil {
		p.onRead(f.path(p.root()))
	}
	var b []byte
	var err error
	if p.open != nil {
		b, err = p.open.read(f, p.root())
	} else {
		b, err = os.ReadFile(f.path(p.root()))
	}
	if err == nil {
		return b, nil
	}
	return nil, p.explain(f.pid, f.path(p.root()), err)
}

// explain turns a read error into ErrGone when the entry vanished and Root is still readable.
func (p ProcFS) explain(pid int, path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
		if aerr := p.Available(); aerr != nil {
			return aerr
		}
		return fmt.Errorf("%s: %w", path, ErrGone)
	}
	return fmt.Errorf("proc: %w", err)
}

// unwrapPath drops the path and operation from an *fs.PathError whose path the caller names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadThreadSchedstat reads /proc/<pid>/task/<tid>/schedstat.
func (p ProcFS) ReadThreadSchedstat(pid, tid int) (Schedstat, error) {
	b, err := p.read(procFile{pid, tid, "schedstat"})
	if err != nil {
		return Schedstat{}, err
	}
	return ParseSchedstat(b)
}

// ReadThreadStat reads /proc/<pid>/task/<tid>/stat.
func (p ProcFS) ReadThreadStat(pid, tid int) (Stat, error) {
	b, err := p.read(procFile{pid, tid, "stat"})
	if err != nil {
		return Stat{}, err
	}
	return ParseStat(b)
}

// ReadThreadStatus reads /proc/<pid>/task/<tid>/status.
func (p ProcFS) ReadThreadStatus(pid, tid int) (Status, error) {
	b, err := p.read(procFile{pid, tid, "status"})
	if err != nil {
		return Status{}, err
	}
	return ParseStatus(b)
}

// Threads lists the thread ids of a process, in increasing order.
func (p ProcFS) Threads(pid int) ([]int, error) {
	path := filepath.Join(p.root(), strconv.Itoa(pid), "task")
	ents, err := os.ReadDir(path)
	if err != nil {
		return nil, p.explain(pid, path, err)
	}
	tids := make([]int, 0, len(ents))
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	sort.Ints(tids)
	return tids, nil
}

// Switches sums the context switches of every live thread of a process, read now. Threads that
// have already exited are not counted: the kernel keeps no per-thread record of them.
func (p ProcFS) Switches(pid int) (voluntary, involuntary int, err error) {
	tids, err := p.Threads(pid)
	if err != nil {
		return 0, 0, err
	}
	for _, tid := range tids {
		st, err := p.ReadThreadStatus(pid, tid)
		if errors.Is(err, ErrGone) {
			continue
		}
		if err != nil {
			return 0, 0, err
		}
		voluntary += st.Voluntary
		involuntary += st.Involuntary
	}
	return voluntary, involuntary, nil
}
