// Package osproc is what timeslice does to operating-system processes and to its own: start a
// child confined to some cores, kill and reap a child's whole process group, become the reaper
// of orphaned descendants, open a pseudo-terminal for a watched program's output, read a pipe or terminal without waking the Go runtime's monitor,
// and run on one scheduler P while nothing is observed. Every process-wide change here is made
// only when the program's entry point asks for it.
package osproc
