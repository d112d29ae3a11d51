//go:build !amd64 && !arm64

package procfs

// On other architectures no call numbers are known: a blocked thread's reason then comes
// from nothing, and it waits for no reason the model names.
var lockCalls, ioCalls, timerCalls = callSet(), callSet(), callSet()
