package ui

import (
	"strings"
	"testing"
	"time"

	"timeslice/model"
)

// TestFailedRunShowsNoTotal: a CPU-bound run that failed with a chunk missing shows the partials
// that arrived and says which is missing, never their sum as if it were the answer.
func TestFailedRunShowsNoTotal(t *testing.T) {
	m, _ := newTestModel(t, "cpu-processes")
	run := &model.Run{Scenario: "cpu-processes", Finished: true, Wall: time.Second, Elapsed: time.Second,
		Err:    "worker for chunk 4: signal: killed",
		Result: &model.Result{Partials: []int64{325, 950, 1575}, Total: 2850, Missing: []int{4}}}
	m = update(t, m, runUpdateMsg{id: m.runID, run: run})
	m = update(t, m, runClosedMsg{id: m.runID})
	v := m.View()
	if strings.Contains(v, "total 2850") || !strings.Contains(v, "no total: chunk 4 missing") ||
		!strings.Contains(v, "325 + 950 + 1575") {
		t.Fatalf("a failed run's summary:\n%s", v)
	}
}
