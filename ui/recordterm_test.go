package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"timeslice/report"
)

func TestRecordedTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file := filepath.Join(t.TempDir(), "term.cast")
	c, err := report.CreateCast(file, report.CastHeader{Width: 80, Height: 24})
	if err != nil {
		t.Fatal(err)
	}
	term := RecordTerminal(w, c)
	var _ interface {
		Read([]byte) (int, error)
		Write([]byte) (int, error)
		Close() error
		Fd() uintptr
	} = term
	if term.Fd() != w.Fd() {
		t.Error("Fd is not the terminal's")
	}
	fmt.Fprint(term, "frame")
	if err := term.Close(); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 5)
	if _, err := r.Read(got); err != nil || string(got) != "frame" {
		t.Errorf("the terminal got %q, %v", got, err)
	}
	c.Close()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, evs, err := report.ReadCast(f); err != nil || len(evs) != 1 || evs[0].Data != "frame" {
		t.Errorf("the cast got %+v, %v", evs, err)
	}
}
