package main

import (
	"fmt"
	"os"
	"syscall"

	"timeslice/scenarios"
	"timeslice/ui"
)

// loadTour reads the tour script the positional argument names, or gives the built-in tour
// (its numbers worked out from the knobs p);
// file is the script's path ("" for the built-in one). Only a regular file of at most
// ui.MaxTourBytes is read: a FIFO nobody writes, a device such as /dev/zero or a huge file is
// refused before a byte is read, and a scenario's name is not taken for a file's.
func loadTour(positional []string, p scenarios.Params) (t ui.Tour, file string, err error) {
	switch len(positional) {
	case 0:
		return ui.DefaultTour(p), "", nil
	case 1:
	default:
		return ui.Tour{}, "", fmt.Errorf("--tour takes at most one script file, got %d arguments", len(positional))
	}
	file = positional[0]
	if _, ok := scenarios.ByID(file); ok {
		return ui.Tour{}, "", fmt.Errorf("--tour takes a script file, and %s is a scenario: timeslice --tour plays them all, timeslice %s shows this one (a script of that name: --tour ./%s)", file, file, file)
	}
	// Opened without blocking, so a FIFO is seen for what it is rather than waited on.
	f, err := os.OpenFile(file, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return ui.Tour{}, "", fmt.Errorf("cannot read the tour: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return ui.Tour{}, "", fmt.Errorf("cannot read the tour: %w", err)
	case !st.Mode().IsRegular():
		return ui.Tour{}, "", fmt.Errorf("cannot read the tour %s: not a regular file", file)
	case st.Size() > ui.MaxTourBytes:
		return ui.Tour{}, "", fmt.Errorf("the tour %s has %d MB: a tour script may have at most %d KB", file, st.Size()>>20, ui.MaxTourBytes>>10)
	}
	t, err = ui.ParseTour(f)
	if err != nil {
		return ui.Tour{}, "", fmt.Errorf("%s: %w", file, err)
	}
	return t, file, nil
}
