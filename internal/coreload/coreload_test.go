package coreload

import (
	"errors"
	"strings"
	"testing"

	"github.com/shirou/gopsutil/v3/cpu"
)

// replay returns a time source that hands out the readings one per call.
func replay(readings ...[]cpu.TimesStat) CoreTimes {
	i := 0
	return func() ([]cpu.TimesStat, error) {
		r := readings[i]
		i++
		return r, nil
	}
}

func TestCoreSamplerPercent(t *testing.T) {
	s := NewCoreSampler(replay(
		[]cpu.TimesStat{
			{CPU: "cpu0", User: 100, System: 10, Idle: 500, Iowait: 5, Guest: 40},
			{CPU: "cpu1", User: 50, Idle: 900},
		},
		[]cpu.TimesStat{
			// 0.06 s user (of which 0.04 guest, already inside user), 0.02 system, 0.01 steal,
			// 0.01 iowait (counts as idle) and 0.10 idle: 9 busy of 20.
			{CPU: "cpu0", User: 100.06, System: 10.02, Steal: 0.01, Idle: 500.10, Iowait: 5.01, Guest: 40.04},
			{CPU: "cpu1", User: 50, Idle: 900.25},
		},
		[]cpu.TimesStat{
			{CPU: "cpu0", User: 100.31, System: 10.02, Steal: 0.01, Idle: 500.10, Iowait: 5.01, Guest: 40.04},
			{CPU: "cpu1", User: 50, Idle: 900.25},
		},
	))
	got, err := s.Sample()
	if got != nil || err != nil {
		t.Fatalf("first call: %v, %v; want the reference reading only", got, err)
	}
	got, err = s.Sample()
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{45, 0}
	if !near(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// No time passed on cpu1: 0, not a division by zero.
	got, _ = s.Sample()
	if want := []float64{100, 0}; !near(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCoreSamplerBackwardsAndCoreCount(t *testing.T) {
	s := NewCoreSampler(replay(
		[]cpu.TimesStat{{CPU: "cpu0", User: 10, Idle: 10}, {CPU: "cpu1", User: 10, Idle: 10}},
		// cpu0 wrapped or was reset: every delta clamps to 0. cpu1 went down in idle only.
		// cpu2 came online: no previous reading yet.
		[]cpu.TimesStat{{CPU: "cpu0", User: 1, Idle: 1}, {CPU: "cpu1", User: 10.5, Idle: 9}, {CPU: "cpu2", User: 3, Idle: 3}},
		// cpu1 went offline; cores are matched by name, not position.
		[]cpu.TimesStat{{CPU: "cpu0", User: 1.1, Idle: 1.3}, {CPU: "cpu2", User: 3.2, Idle: 3.2}},
	))
	if _, err := s.Sample(); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Sample()
	if want := []float64{0, 100, 0}; !near(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	got, _ = s.Sample()
	if want := []float64{25, 50}; !near(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCoreSamplerErrors(t *testing.T) {
	s := NewCoreSampler(func() ([]cpu.TimesStat, error) { return nil, errors.New("open /proc/stat: permission denied") })
	_, err := s.Sample()
	if err == nil || err.Error() != "per-core load unavailable: open /proc/stat: permission denied" {
		t.Errorf("err = %v", err)
	}
	s = NewCoreSampler(func() ([]cpu.TimesStat, error) { return nil, nil })
	if _, err := s.Sample(); err == nil || !strings.HasPrefix(err.Error(), "per-core load unavailable: ") {
		t.Errorf("err = %v", err)
	}
}

func TestCoreSamplerLive(t *testing.T) {
	s := NewCoreSampler(nil)
	if _, err := s.Sample(); err != nil {
		t.Skip(err)
	}
	got, err := s.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no cores")
	}
	for _, p := range got {
		if p < 0 || p > 100 {
			t.Errorf("percent %v out of range", p)
		}
	}
}

func near(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if d := got[i] - want[i]; d > 1e-6 || d < -1e-6 {
			return false
		}
	}
	return true
}

func BenchmarkCoreSample(b *testing.B) {
	s := NewCoreSampler(nil)
	for b.Loop() {
		if _, err := s.Sample(); err != nil {
			b.Fatal(err)
		}
	}
}
