package model

import (
	"slices"
	"testing"
)

func TestTaskThreads(t *testing.T) {
	k := Task{Intervals: []Interval{
		{State: StateRunning, Thread: 9}, {State: StateReady}, {State: StateRunning, Thread: 3},
		{State: StateRunning, Thread: 9}, {State: StateRunning}, {State: StateWaiting, Thread: 5},
	}}
	if got := k.Threads(); !slices.Equal(got, []int{3, 9}) {
		t.Errorf("Threads = %v, want [3 9]", got)
	}
}
