package observe

import (
	"context"
	"testing"
)

func TestRunBareMeasuresTheWork(t *testing.T) {
	p := shortParams()
	for _, id := range []string{"io-threads", "cpu-goroutines"} {
		wall, err := runner(t).RunBare(context.Background(), id, p)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if id == "io-threads" && (wall < p.Latency || wall > 10*p.Latency) {
			t.Errorf("%s: bare wall %v, want about %v", id, wall, p.Latency)
		}
		if wall <= 0 {
			t.Errorf("%s: bare wall %v", id, wall)
		}
	}
	if _, err := runner(t).RunBare(context.Background(), "io-fibers", p); err == nil {
		t.Error("an unknown scenario should be an error")
	}
}
