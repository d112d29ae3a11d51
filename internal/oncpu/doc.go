// Package oncpu measures, from inside the work itself, when each of the work's threads was on a
// CPU core and on which one. The work calls Meter.Check every CheckEvery of computation or less;
// a stretch in which the monotonic clock ran on but the thread's own CPU clock did not is time
// the kernel kept the thread off its core. The meter reports spans (on core N, or off) in
// batches, which travel to the observer; there, Book keeps them per task and Split lays them
// over the intervals the Go trace or /proc gave.
//
// It needs no privileges: two clock reads and the thread id per check, and the core (getcpu)
// only after the thread was away. It never reads /proc, never decides what an interval means
// for a lane beyond on or off its core, and never draws.
package oncpu
