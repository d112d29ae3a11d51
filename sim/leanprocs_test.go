package sim

import (
	"os"
	"runtime"
	"testing"
)

func TestLeanProcsOneWhileIdleAllWhileObserving(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	os.Unsetenv("GOMAXPROCS")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(3)
	var l leanProcs
	l.begin() // a session started before the policy: enabling must not take its Ps
	l.enable()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Fatalf("enabled during a session: GOMAXPROCS %d, want 3", got)
	}
	l.end()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Fatalf("idle: GOMAXPROCS %d, want 1", got)
	}
	l.begin()
	l.begin()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Fatalf("observing: GOMAXPROCS %d, want 3", got)
	}
	l.end()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Fatalf("one of two sessions over: GOMAXPROCS %d, want 3", got)
	}
	l.end()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Fatalf("both over: GOMAXPROCS %d, want 1", got)
	}
}

func TestLeanProcsKeepsAGOMAXPROCSTheUserSet(t *testing.T) {
	t.Setenv("GOMAXPROCS", "3")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(3)
	var l leanProcs
	l.enable()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Fatalf("GOMAXPROCS=3 in the environment, idle: GOMAXPROCS %d, want 3", got)
	}
}

func TestLeanProcsOffByDefault(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	var l leanProcs
	l.begin()
	l.end()
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Fatalf("without enable: GOMAXPROCS %d, want 2 untouched", got)
	}
}
