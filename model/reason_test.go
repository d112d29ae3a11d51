package model

import "testing"

// TestReasonWords: every reason but none reads as its own words, which the Chrome export and
// the live view print.
func TestReasonWords(t *testing.T) {
	seen := map[string]Reason{}
	for r := ReasonNone; r <= ReasonIO; r++ {
		w := r.String()
		if (w == "") != (r == ReasonNone) {
			t.Errorf("reason %d reads %q", r, w)
		}
		if prev, ok := seen[w]; ok {
			t.Errorf("reasons %d and %d both read %q", prev, r, w)
		}
		seen[w] = r
	}
	if ReasonLock.String() != "lock" || ReasonEventLoop.String() != "event loop" || Reason(200).String() != "other" {
		t.Error("reason words changed")
	}
}
