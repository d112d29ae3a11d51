package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"timeslice/model"
)

// TestReportCarriesTheFacts: the JSON line of a run has the comparison's facts, read from the
// run, with busy_cores null when no load was sampled.
func TestReportCarriesTheFacts(t *testing.T) {
	ms := time.Millisecond
	r := &model.Run{Scenario: "cpu-goroutines", Finished: true, Tasks: []model.Task{
		{Name: "chunk 1", Kind: model.KindGoroutine, Preemptions: 2, Intervals: []model.Interval{
			{Start: 0, End: 100 * ms, State: model.StateRunning, Core: 0},
			{Start: 100 * ms, End: 200 * ms, State: model.StateRunning, Core: 1}}},
		{Name: "chunk 2", Kind: model.KindGoroutine, Intervals: []model.Interval{
			{Start: 0, End: 200 * ms, State: model.StateRunning, Core: 1}}},
	}, Cores: []model.CoreSample{{At: 100 * ms, Percent: []float64{90, 95}}}}
	r.Facts = model.FactsOf(r)
	b, err := json.Marshal(New(r))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"at_once":2`, `"busy_cores":2`, `"core_moves":1`, `"preemptions":2`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %s: %s", want, b)
		}
	}
	r.Cores = nil
	r.Facts = model.FactsOf(r)
	if b, _ := json.Marshal(New(r)); !strings.Contains(string(b), `"busy_cores":null`) {
		t.Errorf("without load samples busy_cores should be null: %s", b)
	}
}

// TestFailedRunHasNoTotal: the JSON of a failed run has no total and lists the missing chunks;
// its text says which partials are missing.
func TestFailedRunHasNoTotal(t *testing.T) {
	r := &model.Run{Scenario: "cpu-processes", Finished: true, Err: "worker for chunk 4: signal: killed",
		Result: &model.Result{Partials: []int64{325, 950, 1575}, Total: 2850, Missing: []int{4}}}
	b, _ := json.Marshal(New(r))
	if strings.Contains(string(b), `"total"`) || !strings.Contains(string(b), `"missing":[4]`) {
		t.Errorf("JSON of a failed run: %s", b)
	}
	var text strings.Builder
	WriteSummary(&text, r, "cpu-sequential", 0, "")
	if strings.Contains(text.String(), "]  total:") || !strings.Contains(text.String(), "no total: chunk 4 missing") {
		t.Errorf("text of a failed run:\n%s", text.String())
	}
	r.Err, r.Result = "", &model.Result{Partials: []int64{325, 950, 1575, 2200}, Total: 5050}
	if b, _ := json.Marshal(New(r)); !strings.Contains(string(b), `"total":5050`) {
		t.Errorf("JSON of a complete run: %s", b)
	}
}
