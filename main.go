// Command timeslice shows, live, how a computer schedules work: which task runs, which waits
// for I/O, which waits for a core, and on which core it ran. See README.md, and
// docs/architecture.md for how the packages fit together.
//
// This package is only the entry points: the flags, the live view (interactive.go), the text
// and JSON runs (headless.go, bare.go), and the hidden commands a re-executed child answers.
// The process-wide settings (reaping orphaned workers, the scheduler Ps at rest, the garbage
// collector's pace) are made here and nowhere else.
package main

import "os"

func main() {
	os.Exit(dispatch(os.Args[1:]))
}
