package ui

import (
	"os"

	"timeslice/report"
)

// RecordedTerminal is a terminal whose output is also recorded: bubbletea, given it with
// tea.WithOutput, still sees a terminal (its Fd), so it learns the size and follows resizes,
// while every byte it draws also goes to the cast. An io.MultiWriter would hide the terminal.
type RecordedTerminal struct {
	f    *os.File
	cast *report.CastWriter
}

// RecordTerminal returns f (usually os.Stdout) with its output also recorded by cast.
func RecordTerminal(f *os.File, cast *report.CastWriter) *RecordedTerminal {
	return &RecordedTerminal{f: f, cast: cast}
}

// Write writes p to the terminal, then records it.
func (t *RecordedTerminal) Write(p []byte) (int, error) {
	n, err := t.f.Write(p)
	t.cast.Write(p[:n])
	return n, err
}

// Read reads from the terminal.
func (t *RecordedTerminal) Read(p []byte) (int, error) { return t.f.Read(p) }

// Fd is the terminal's file descriptor.
func (t *RecordedTerminal) Fd() uintptr { return t.f.Fd() }

// Close does nothing: the terminal belongs to the caller, and the cast is closed on its own.
func (t *RecordedTerminal) Close() error { return nil }
