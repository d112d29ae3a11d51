package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestCastRoundTrip(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	var buf bytes.Buffer
	h := CastHeader{Width: 100, Height: 30, Timestamp: 1_700_000_000, Title: "timeslice io-threads",
		Env: map[string]string{"TERM": "xterm-256color"}}
	c, err := newCastWriter(&buf, h, clock.now)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(c, "\x1b[?1049h\x1b[H")
	clock.add(1500 * time.Millisecond)
	fmt.Fprint(c, "call 1 █▒─· \"quoted\" <tag> & done\r\n")
	c.Resize(120, 40)
	clock.add(-time.Second) // a clock that goes back still gives non-decreasing times
	fmt.Fprint(c, "after")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(c, "dropped after close")

	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if want := `{"version":2,"width":100,"height":30,"timestamp":1700000000,"title":"timeslice io-threads","env":{"TERM":"xterm-256color"}}`; lines[0] != want {
		t.Errorf("header\n got %s\nwant %s", lines[0], want)
	}
	if want := `[1.5, "o", "call 1 █▒─· \"quoted\" <tag> & done\r\n"]`; lines[2] != want {
		t.Errorf("event\n got %s\nwant %s", lines[2], want)
	}
	gotH, evs, err := ReadCast(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if gotH.Width != 100 || gotH.Height != 30 || gotH.Title != h.Title || gotH.Env["TERM"] != "xterm-256color" {
		t.Errorf("header read back as %+v", gotH)
	}
	want := []CastEvent{
		{0, "o", "\x1b[?1049h\x1b[H"},
		{1500 * time.Millisecond, "o", "call 1 █▒─· \"quoted\" <tag> & done\r\n"},
		{1500 * time.Millisecond, "r", "120x40"},
		{1500 * time.Millisecond, "o", "after"},
	}
	if fmt.Sprint(evs) != fmt.Sprint(want) {
		t.Errorf("events\n got %q\nwant %q", evs, want)
	}
}

// TestCastKeepsCharactersWhole: a character cut by the end of one write is recorded whole with
// the next, so every event's data stays valid UTF-8.
func TestCastKeepsCharactersWhole(t *testing.T) {
	var buf bytes.Buffer
	c, err := newCastWriter(&buf, CastHeader{Width: 80, Height: 24}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	text := []byte("a█b𝄞")
	for i := range text {
		c.Write(text[i : i+1])
	}
	c.Write([]byte{0xe2, 0x96}) // cut, and never completed: Close writes it as it is
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	_, evs, err := ReadCast(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, e.Data)
	}
	if want := []string{"a", "█", "b", "𝄞", "\ufffd\ufffd"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("data %q, want %q", got, want)
	}
}

func TestCastConcurrentWrites(t *testing.T) {
	var buf bytes.Buffer
	c, err := newCastWriter(&buf, CastHeader{Width: 80, Height: 24}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				fmt.Fprintf(c, "g%d-%d ", g, i)
				if i%10 == 0 {
					c.Resize(80+g, 24)
				}
			}
		}()
	}
	wg.Wait()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	_, evs, err := ReadCast(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 8*50+8*5 {
		t.Errorf("%d events, want %d", len(evs), 8*50+8*5)
	}
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after == 0 {
		return 0, errors.New("disk full")
	}
	f.after--
	return len(p), nil
}

// TestCastWriteErrorIsKept: a failed recording reports its error once, from Err and Close,
// and never fails the writes of the screen it records.
func TestCastWriteErrorIsKept(t *testing.T) {
	c, err := newCastWriter(&failingWriter{after: 1}, CastHeader{Width: 80, Height: 24}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if n, err := c.Write([]byte("frame")); n != 5 || err != nil {
			t.Fatalf("Write = %d, %v; want 5, nil", n, err)
		}
	}
	if err := c.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Close = %v, want the write's error", err)
	}
	if _, err := newCastWriter(&failingWriter{}, CastHeader{Width: 80, Height: 24}, time.Now); err == nil {
		t.Error("a header that could not be written was accepted")
	}
	if _, err := newCastWriter(&bytes.Buffer{}, CastHeader{Width: 0, Height: 24}, time.Now); err == nil {
		t.Error("width 0 was accepted")
	}
}

func TestCreateCast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.cast")
	c, err := CreateCast(path, NewCastHeader(100, 30, "timeslice"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(c, "hello\r\n")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, evs, err := ReadCast(f)
	if err != nil {
		t.Fatal(err)
	}
	if h.Timestamp == 0 || h.Env["TERM"] == "" || len(evs) != 1 || evs[0].Data != "hello\r\n" {
		t.Errorf("read back %+v %q", h, evs)
	}
	if _, err := CreateCast(filepath.Join(t.TempDir(), "no", "such", "dir.cast"), NewCastHeader(80, 24, "")); err == nil {
		t.Error("a cast in a missing directory was created")
	}
}

func TestReadCastRejects(t *testing.T) {
	const head = `{"version":2,"width":80,"height":24}` + "\n"
	for _, tc := range []struct{ name, cast, want string }{
		{"empty", "", "empty"},
		{"header not first", `[0.1, "o", "x"]` + "\n", "line 1"},
		{"version 1", `{"version":1,"width":80,"height":24}` + "\n", "version 1"},
		{"no size", `{"version":2}` + "\n", "size"},
		{"time goes back", head + `[1.0, "o", "a"]` + "\n" + `[0.5, "o", "b"]` + "\n", "line 3: time 0.5 goes back"},
		{"unknown code", head + `[0.1, "x", "a"]` + "\n", `code "x"`},
		{"two fields", head + `[0.1, "o"]` + "\n", "2 fields"},
		{"data not a string", head + `[0.1, "o", 5]` + "\n", "data"},
		{"time not a number", head + `["0.1", "o", "a"]` + "\n", "time"},
		{"bad resize", head + `[0.1, "r", "80 by 24"]` + "\n", "resize"},
		{"not json", head + "hello\n", "line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadCast(strings.NewReader(tc.cast))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
