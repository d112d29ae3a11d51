package procfs

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// The files under testdata/proc were copied from this machine's /proc while a small Go program
// ran: pid 5619 with seven threads, two of them spinning on core 0 (5619 and 5622) and one
// sleeping in 1 ms steps (5621); the main thread renamed itself "we ird) (x". Pid 5623 is a
// child it never reaped (a zombie). testdata/proc/edge holds hand-edited broken files.
const (
	recPID    = 5619
	recZombie = 5623
)

var recFS = ProcFS{Root: filepath.Join("testdata", "proc")}

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "proc", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSchedstatRecorded(t *testing.T) {
	got, err := ParseSchedstat(readFixture(t, "5619/task/5622/schedstat"))
	if err != nil {
		t.Fatal(err)
	}
	want := Schedstat{RunNs: 253445519, WaitNs: 284011902, Slices: 139}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestParseSchedstatBroken(t *testing.T) {
	for _, in := range []string{"", "0 0\n", "1 x 3\n", "1 -2 3\n", "99999999999999999999 1 1\n"} {
		if _, err := ParseSchedstat([]byte(in)); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: err = %v, want a one-line error", in, err)
		}
	}
	if _, err := ParseSchedstat(readFixture(t, "edge/schedstat-short")); err == nil {
		t.Error("short schedstat parsed")
	}
}

func TestParseStatRecorded(t *testing.T) {
	tests := []struct {
		file string
		want Stat
	}{
		{"5619/stat", Stat{PID: 5619, Comm: "we ird) (x", State: 'R', UTime: 50, NumThreads: 7}},
		{"5619/task/5622/stat", Stat{PID: 5622, Comm: "rec", State: 'R', UTime: 25, NumThreads: 7}},
		{"5619/task/5621/stat", Stat{PID: 5621, Comm: "rec", State: 'S', NumThreads: 7}},
		{"5623/stat", Stat{PID: 5623, Comm: "true", State: 'Z', NumThreads: 1}},
		{"edge/stat-parens", Stat{PID: 77, Comm: "a) b (c) d)", State: 'S', UTime: 7, STime: 3, NumThreads: 2, Processor: 1}},
	}
	for _, tt := range tests {
		got, err := ParseStat(readFixture(t, tt.file))
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.file, got, tt.want)
		}
	}
}

func TestParseStatBroken(t *testing.T) {
	tests := []struct{ file, want string }{
		{"edge/stat-truncated", "fields after the command name"},
		{"edge/stat-unclosed", "no parenthesised command name"},
	}
	for _, tt := range tests {
		_, err := ParseStat(readFixture(t, tt.file))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.file, err, tt.want)
		}
	}
	rec := string(readFixture(t, "5619/stat"))
	for _, in := range []string{
		"", ")", "(", ") (", "x (a) R",
		strings.Replace(rec, " R ", " RR ", 1),
		strings.Replace(rec, " 50 0 0 0 ", " 5x 0 0 0 ", 1),
		strings.Join(strings.Fields(rec)[:40], " "),
	} {
		if _, err := ParseStat([]byte(in)); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%.40q: err = %v, want a one-line error", in, err)
		}
	}
}

func TestParseStatusRecorded(t *testing.T) {
	got, err := ParseStatus(readFixture(t, "5619/task/5622/status"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Status{Voluntary: 24, Involuntary: 115}); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestParseStatusBroken(t *testing.T) {
	if _, err := ParseStatus(readFixture(t, "edge/status-missing")); err == nil {
		t.Error("status without nonvoluntary_ctxt_switches parsed")
	}
	if _, err := ParseStatus([]byte("voluntary_ctxt_switches:\tx\nnonvoluntary_ctxt_switches:\t1\n")); err == nil {
		t.Error("bad count parsed")
	}
	// A truncated last line without its newline still parses.
	st, err := ParseStatus([]byte("Name:\tx\nvoluntary_ctxt_switches:\t3\nnonvoluntary_ctxt_switches:\t4"))
	if err != nil || st != (Status{3, 4}) {
		t.Errorf("got %+v, %v", st, err)
	}
}

func TestProcFSRecorded(t *testing.T) {
	ts, err := recFS.readThread(recPID, 5622)
	if err != nil {
		t.Fatal(err)
	}
	want := threadSample{PID: recPID, TID: 5622, Schedstat: Schedstat{253445519, 284011902, 139}, State: 'R', Processor: 0}
	if ts != want {
		t.Errorf("ReadThread: got %+v, want %+v", ts, want)
	}
	tids, err := recFS.Threads(recPID)
	if err != nil || len(tids) != 7 || tids[0] != 5619 || tids[6] != 5629 {
		t.Errorf("Threads: %v, %v", tids, err)
	}
	vol, invol, err := recFS.Switches(recPID)
	if err != nil || vol != 262 || invol != 237 {
		t.Errorf("Switches: %d, %d, %v; want 262, 237", vol, invol, err)
	}
	ss, err := recFS.readSchedstat(recZombie)
	if err != nil || ss.RunNs != 888116 {
		t.Errorf("ReadSchedstat: %+v, %v", ss, err)
	}
	st, err := recFS.readStatus(recPID)
	if err != nil || st.Voluntary != 21 {
		t.Errorf("ReadStatus: %+v, %v", st, err)
	}
}

func TestProcFSGoneAndUnavailable(t *testing.T) {
	if _, err := recFS.readThread(recPID, 1); !errors.Is(err, ErrGone) {
		t.Errorf("missing thread: err = %v, want ErrGone", err)
	}
	if _, err := recFS.Threads(4); !errors.Is(err, ErrGone) {
		t.Errorf("missing process: err = %v, want ErrGone", err)
	}
	missing := ProcFS{Root: filepath.Join(t.TempDir(), "nothing")}
	_, err := missing.readStat(1)
	if err == nil || errors.Is(err, ErrGone) || !strings.Contains(err.Error(), "proc unavailable at") {
		t.Errorf("missing root: err = %v", err)
	}
	if err := missing.Available(); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("Available: %v", err)
	}
	if err := recFS.Available(); err != nil {
		t.Errorf("Available: %v", err)
	}
}

func TestReadThreadLive(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ts, err := readThreadNow(os.Getpid(), unix.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	if ts.RunNs <= 0 || ts.Processor < 0 || ts.State != 'R' {
		t.Errorf("own thread: %+v", ts)
	}
}

func FuzzParseStat(f *testing.F) {
	f.Add(readFixtureF(f, "5619/stat"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseStat(b)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			return
		}
		if st.State == 0 || st.Processor < 0 || st.NumThreads < 0 {
			t.Errorf("parsed nonsense: %+v", st)
		}
	})
}

func readFixtureF(f *testing.F, rel string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "proc", rel))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func BenchmarkReadThread(b *testing.B) {
	pid, tid := os.Getpid(), unix.Gettid()
	for b.Loop() {
		if _, err := readThreadNow(pid, tid); err != nil {
			b.Fatal(err)
		}
	}
}

// Readers only the tests use.

// threadSample is one reading of one thread: its schedstat plus state and core from its stat.
type threadSample struct {
	PID, TID int
	Schedstat
	State     byte
	Processor int
}

// readSchedstat reads /proc/<pid>/schedstat (the main thread only).
func (p ProcFS) readSchedstat(pid int) (Schedstat, error) {
	b, err := p.read(procFile{pid: pid, name: "schedstat"})
	if err != nil {
		return Schedstat{}, err
	}
	return ParseSchedstat(b)
}

// readStat reads /proc/<pid>/stat.
func (p ProcFS) readStat(pid int) (Stat, error) {
	b, err := p.read(procFile{pid: pid, name: "stat"})
	if err != nil {
		return Stat{}, err
	}
	return ParseStat(b)
}

// readStatus reads /proc/<pid>/status (its switch counts are the main thread's only).
func (p ProcFS) readStatus(pid int) (Status, error) {
	b, err := p.read(procFile{pid: pid, name: "status"})
	if err != nil {
		return Status{}, err
	}
	return ParseStatus(b)
}

// readThread reads one thread's schedstat and stat.
func (p ProcFS) readThread(pid, tid int) (threadSample, error) {
	ss, err := p.ReadThreadSchedstat(pid, tid)
	if err != nil {
		return threadSample{}, err
	}
	st, err := p.ReadThreadStat(pid, tid)
	if err != nil {
		return threadSample{}, err
	}
	return threadSample{PID: pid, TID: tid, Schedstat: ss, State: st.State, Processor: st.Processor}, nil
}

// readThreadNow reads one thread's schedstat and stat from /proc.
func readThreadNow(pid, tid int) (threadSample, error) { return ProcFS{}.readThread(pid, tid) }

// TestAppendFieldsIsBytesFields: the stat parser's own splitting gives what bytes.Fields gives
// for what /proc writes (spaces, a line end), and for the odd spacing of a broken file.
func TestAppendFieldsIsBytesFields(t *testing.T) {
	for _, s := range []string{"", " ", "\n", "1 2 3\n", "  R 1  2\t3 \n\n", "x", "a\n b\t\tc  ", string(readFixture(t, "5619/stat"))} {
		got, want := appendFields(nil, []byte(s)), bytes.Fields([]byte(s))
		if len(got) != len(want) {
			t.Fatalf("%q: %d fields, want %d", s, len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("%q: field %d is %q, want %q", s, i, got[i], want[i])
			}
		}
	}
}

// BenchmarkParseStat parses a recorded stat and schedstat, as a sampling round does for every
// thread that ran: it should allocate only the command name.
func BenchmarkParseStat(b *testing.B) {
	stat, err := os.ReadFile(filepath.Join("testdata", "proc", "5619", "stat"))
	if err != nil {
		b.Fatal(err)
	}
	sched := []byte("123456789 2345678 1234\n")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseStat(stat); err != nil {
			b.Fatal(err)
		}
		if _, err := ParseSchedstat(sched); err != nil {
			b.Fatal(err)
		}
	}
}
