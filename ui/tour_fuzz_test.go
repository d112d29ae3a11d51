package ui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"timeslice/internal/termtext"
	"timeslice/scenarios"
)

// FuzzParseTour feeds ParseTour any bytes: it never panics, and it either gives a tour whose
// steps are well formed (lines in order, captions clean, runs of known scenarios with flags that
// parse, nothing after quit), or one short clean line of error that names where. The seed
// corpus is in testdata/fuzz/FuzzParseTour; `go test -fuzz FuzzParseTour ./ui` explores more.
func FuzzParseTour(f *testing.F) {
	f.Add([]byte(DefaultTourScript(scenarios.DefaultParams())))
	f.Fuzz(func(t *testing.T, script []byte) {
		tour, err := ParseTour(strings.NewReader(string(script)))
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "tour") || utf8.RuneCountInString(msg) > 240 || termtext.Clean(msg) != msg {
				t.Fatalf("error %q: want one short clean line that starts with tour", msg)
			}
			return
		}
		if len(tour.Steps) == 0 {
			t.Fatal("a tour without steps parsed")
		}
		last := 0
		for i, s := range tour.Steps {
			if s.Line <= last {
				t.Fatalf("step %d on line %d after line %d", i, s.Line, last)
			}
			last = s.Line
			switch s.Kind {
			case StepCaption:
				if termtext.Clean(s.Caption) != s.Caption {
					t.Fatalf("caption %q is not clean", s.Caption)
				}
			case StepRun:
				if _, ok := scenarios.ByID(s.Scenario); !ok {
					t.Fatalf("run of unknown scenario %q", s.Scenario)
				}
				if _, err := s.Params(scenarios.DefaultParams()); err != nil {
					t.Fatalf("run flags %q do not parse: %v", s.Args, err)
				}
			case StepWait:
				if !s.UntilDone && (s.Wait <= 0 || s.Wait > MaxTourWait) {
					t.Fatalf("wait of %v", s.Wait)
				}
			case StepQuit:
				if i != len(tour.Steps)-1 {
					t.Fatalf("steps after quit")
				}
			case StepKey, StepCompare, StepWatch, StepHold:
			default:
				t.Fatalf("step of kind %v", s.Kind)
			}
		}
	})
}
