package osproc

import (
	"os"
	"runtime"
	"testing"
)

// wantProcs fails t unless GOMAXPROCS is want, saying at which step.
func wantProcs(t *testing.T, step string, want int) {
	t.Helper()
	if got := runtime.GOMAXPROCS(0); got != want {
		t.Fatalf("%s: GOMAXPROCS %d, want %d", step, got, want)
	}
}

func TestLeanProcsOneWhileIdleAllWhileObserving(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	os.Unsetenv("GOMAXPROCS")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(3)
	var l LeanProcs
	l.begin() // a session started before the policy: enabling must not take its Ps
	l.Enable()
	wantProcs(t, "enabled during a session", 3)
	l.end()
	wantProcs(t, "idle", 1)
	l.begin()
	l.begin()
	wantProcs(t, "observing", 3)
	l.end()
	wantProcs(t, "one of two sessions over", 3)
	l.end()
	wantProcs(t, "both over", 1)
}

func TestLeanProcsKeepsAGOMAXPROCSTheUserSet(t *testing.T) {
	t.Setenv("GOMAXPROCS", "3")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(3)
	var l LeanProcs
	l.Enable()
	wantProcs(t, "GOMAXPROCS=3 in the environment, idle", 3)
}

func TestLeanProcsOffByDefault(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	var l LeanProcs
	l.begin()
	l.end()
	wantProcs(t, "without enable", 2)
}
