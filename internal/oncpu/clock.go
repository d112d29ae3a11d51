package oncpu

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"timeslice/internal/mono"
)

// monoNow reads CLOCK_MONOTONIC in nanoseconds, the clock every process on the machine shares.
func monoNow() int64 { return mono.Now() }

// threadCPU is the CPU time the calling thread has used, in nanoseconds. It is a raw system
// call: the Go scheduler need not hear of something this short.
func threadCPU() int64 {
	var ts unix.Timespec
	unix.RawSyscall(unix.SYS_CLOCK_GETTIME, unix.CLOCK_THREAD_CPUTIME_ID, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

// currentCore is the core the calling thread runs on now.
func currentCore() int {
	var cpu uint32
	if _, _, errno := unix.RawSyscall(unix.SYS_GETCPU, uintptr(unsafe.Pointer(&cpu)), 0, 0); errno != 0 {
		return Off
	}
	return int(cpu)
}

// currentThread is the kernel's id of the calling thread.
func currentThread() int {
	tid, _, _ := unix.RawSyscall(unix.SYS_GETTID, 0, 0, 0)
	return int(tid)
}
