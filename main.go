// Command timeslice shows, live, how a computer schedules work: which task runs, which waits
// for I/O, which waits for a core, and on which core it ran. See README.md.
package main

import "os"

func main() {
	os.Exit(dispatch(os.Args[1:]))
}
