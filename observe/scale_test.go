package observe

import (
	"fmt"
	"testing"
	"time"

	"timeslice/internal/tracelanes"
	"timeslice/model"
)

func TestThousandCoroutines(t *testing.T) {
	p := shortParams()
	p.Calls = 1000
	p.Latency = 100 * time.Millisecond
	r := runToEnd(t, "io-asyncio", p)
	if len(r.Tasks) != 1000 {
		t.Fatalf("%d lanes, want 1000", len(r.Tasks))
	}
	for _, task := range r.Tasks {
		if task.Kind != model.KindCoroutine {
			t.Fatalf("%s is a %s lane, want a coroutine", task.Name, task.Kind)
		}
	}
	if len(r.Lines) != 2000 {
		t.Fatalf("%d lines, want 2000 (a request and a response per call)", len(r.Lines))
	}
	if r.Tasks[0].Name != "call 1" || r.Tasks[999].Name != "call 1000" {
		t.Fatalf("lanes run from %q to %q", r.Tasks[0].Name, r.Tasks[999].Name)
	}
}

// BenchmarkParseSnapshot measures what the observer pays to parse one snapshot of a real
// child's trace as the number of concurrent calls grows: the cost that sets how often a big
// run is parsed (see parseShare).
func BenchmarkParseSnapshot(b *testing.B) {
	r, err := NewRunner()
	if err != nil {
		b.Fatal(err)
	}
	r.WholeTrace = true
	for _, id := range []string{"io-threads", "io-asyncio"} {
		for _, calls := range []int{1000, 10000} {
			p := shortParams()
			p.Calls = calls
			p.Latency = 100 * time.Millisecond
			sess, err := r.Start(id, p)
			if err != nil {
				b.Fatal(err)
			}
			var last *model.Run
			for run := range sess.Updates() {
				last = run
			}
			sess.Stop()
			if last == nil || last.Err != "" || len(last.GoTrace) == 0 {
				b.Fatalf("%s: no trace: %+v", id, last)
			}
			b.Run(fmt.Sprintf("%s/calls=%d", id, calls), func(b *testing.B) {
				b.SetBytes(int64(len(last.GoTrace)))
				for b.Loop() {
					if _, err := tracelanes.ParseTrace(last.GoTrace); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
