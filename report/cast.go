package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// An asciicast v2 file (what `asciinema play` replays) is newline-delimited JSON: a header
// object, then one event per line, [seconds since start, code, data]. Code "o" is output
// written to the terminal; "r" is a resize to data "COLSxROWS".

// CastHeader is the first line of an asciicast v2 file.
type CastHeader struct {
	// Version is always 2.
	Version int `json:"version"`
	// Width and Height are the terminal's size in columns and rows.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Timestamp is when the recording started, in Unix seconds.
	Timestamp int64 `json:"timestamp,omitempty"`
	// Title names the recording.
	Title string `json:"title,omitempty"`
	// Env holds the recorded terminal's TERM (and SHELL, when known).
	Env map[string]string `json:"env,omitempty"`
}

// CastEvent is one event of a cast: Code "o" (output) with the bytes written, or "r" (resize)
// with "COLSxROWS".
type CastEvent struct {
	// Time is the time since the recording started.
	Time time.Duration
	// Code is "o" or "r".
	Code string
	// Data is the output, or the new size.
	Data string
}

// NewCastHeader is the header for a recording of a width×height terminal that starts now,
// with TERM and SHELL taken from the environment.
func NewCastHeader(width, height int, title string) CastHeader {
	env := map[string]string{"TERM": os.Getenv("TERM")}
	if env["TERM"] == "" {
		env["TERM"] = "xterm-256color"
	}
	if sh := os.Getenv("SHELL"); sh != "" {
		env["SHELL"] = sh
	}
	return CastHeader{Version: 2, Width: width, Height: height, Timestamp: time.Now().Unix(), Title: title, Env: env}
}

// CastWriter records everything written to it as the "o" events of an asciicast v2 file,
// timed from when it was made. It is safe for concurrent use. A write error is kept and
// returned by Close, and later writes are dropped, so a failed recording never breaks
// the screen it records (as the second writer of an io.MultiWriter, say).
type CastWriter struct {
	mu      sync.Mutex
	w       io.Writer
	out     *Output // the file CreateCast started, committed (or given up) by Close
	now     func() time.Time
	start   time.Time
	last    float64 // seconds of the latest event, so times never go back
	pending []byte  // the start of a character cut by the end of a write
	line    bytes.Buffer
	err     error
	closed  bool
}

// newCastWriter writes h to w and returns a writer that records into w, timed by now. Close
// flushes what remains; it does not close w.
func newCastWriter(w io.Writer, h CastHeader, now func() time.Time) (*CastWriter, error) {
	if h.Version == 0 {
		h.Version = 2
	}
	if h.Version != 2 {
		return nil, fmt.Errorf("cast: version %d, only 2 is written", h.Version)
	}
	if h.Width <= 0 || h.Height <= 0 {
		return nil, fmt.Errorf("cast: size %d×%d is not a terminal size", h.Width, h.Height)
	}
	c := &CastWriter{w: w, now: now, start: now()}
	data, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return nil, fmt.Errorf("cast: %w", err)
	}
	return c, nil
}

// CreateCast records into the file at path, as an Output: what was at path stays until Close
// has written the whole cast, and stays for good if the recording fails.
func CreateCast(path string, h CastHeader) (*CastWriter, error) {
	out, err := CreateOutput(path)
	if err != nil {
		return nil, err
	}
	c, err := newCastWriter(out, h, time.Now)
	if err != nil {
		out.Abort()
		return nil, err
	}
	c.out = out
	return c, nil
}

// Write records p as an output event. It always reports all of p written.
func (c *CastWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.err != nil || len(p) == 0 {
		return len(p), nil
	}
	data := append(c.pending, p...)
	cut := completeUpTo(data)
	c.pending = append([]byte(nil), data[cut:]...)
	if cut > 0 {
		c.event("o", string(data[:cut]))
	}
	return len(p), nil
}

// Resize records that the terminal is now width×height.
func (c *CastWriter) Resize(width, height int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.err != nil {
		return
	}
	c.event("r", fmt.Sprintf("%dx%d", width, height))
}

// Close writes what is left of a cut character, puts the file CreateCast started in place (or,
// after an error, leaves the path as it was) and returns the first error met. Writes after
// Close are dropped.
func (c *CastWriter) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.err
	}
	c.closed = true
	if len(c.pending) > 0 && c.err == nil {
		c.event("o", string(c.pending))
		c.pending = nil
	}
	if c.out != nil {
		if c.err != nil {
			c.out.Abort()
		} else {
			c.err = c.out.Commit()
		}
	}
	return c.err
}

// event writes one event line; c.mu is held.
func (c *CastWriter) event(code, data string) {
	t := math.Round(c.now().Sub(c.start).Seconds()*1e6) / 1e6
	t = max(t, c.last)
	c.last = t
	c.line.Reset()
	c.line.WriteByte('[')
	c.line.WriteString(formatSeconds(t))
	c.line.WriteString(`, "` + code + `", `)
	enc := json.NewEncoder(&c.line)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil { // Encode ends with a newline
		c.err = err
		return
	}
	c.line.Truncate(c.line.Len() - 1)
	c.line.WriteString("]\n")
	if _, err := c.w.Write(c.line.Bytes()); err != nil {
		c.err = fmt.Errorf("cast: %w", err)
	}
}

// formatSeconds writes t with microsecond precision and no exponent.
func formatSeconds(t float64) string {
	s := fmt.Sprintf("%.6f", t)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

// completeUpTo is how much of p ends on a character boundary: a UTF-8 sequence cut short by
// the end of p is held back for the next write. Bytes that are simply invalid are not held.
func completeUpTo(p []byte) int {
	for back := 1; back <= utf8.UTFMax-1 && back <= len(p); back++ {
		b := p[len(p)-back]
		if b < utf8.RuneSelf {
			return len(p) // ASCII: nothing cut
		}
		if utf8.RuneStart(b) {
			if utf8.FullRune(p[len(p)-back:]) {
				return len(p)
			}
			return len(p) - back
		}
	}
	return len(p)
}

// ReadCast reads an asciicast v2 file and checks it as timeslice writes them: the header comes
// first with version 2 and a positive size; every event is [seconds, "o"|"r", string], with
// times that never go back and resizes of the form COLSxROWS.
func ReadCast(r io.Reader) (CastHeader, []CastEvent, error) {
	var h CastHeader
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return h, nil, err
		}
		return h, nil, errors.New("cast: empty file")
	}
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
		return h, nil, fmt.Errorf("cast line 1: header: %w", err)
	}
	if h.Version != 2 {
		return h, nil, fmt.Errorf("cast line 1: version %d, want 2", h.Version)
	}
	if h.Width <= 0 || h.Height <= 0 {
		return h, nil, fmt.Errorf("cast line 1: size %d×%d", h.Width, h.Height)
	}
	var events []CastEvent
	last := 0.0
	for n := 2; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			return h, events, fmt.Errorf("cast line %d: %w", n, err)
		}
		if len(raw) != 3 {
			return h, events, fmt.Errorf("cast line %d: %d fields, want [time, code, data]", n, len(raw))
		}
		var t float64
		var code, data string
		if err := json.Unmarshal(raw[0], &t); err != nil {
			return h, events, fmt.Errorf("cast line %d: time: %w", n, err)
		}
		if err := json.Unmarshal(raw[1], &code); err != nil {
			return h, events, fmt.Errorf("cast line %d: code: %w", n, err)
		}
		if err := json.Unmarshal(raw[2], &data); err != nil {
			return h, events, fmt.Errorf("cast line %d: data: %w", n, err)
		}
		if t < last || math.IsNaN(t) {
			return h, events, fmt.Errorf("cast line %d: time %v goes back (previous %v)", n, t, last)
		}
		last = t
		switch code {
		case "o":
		case "r":
			var w, hh int
			if k, err := fmt.Sscanf(data, "%dx%d", &w, &hh); err != nil || k != 2 || w <= 0 || hh <= 0 ||
				data != fmt.Sprintf("%dx%d", w, hh) {
				return h, events, fmt.Errorf("cast line %d: resize to %q, want COLSxROWS", n, data)
			}
		default:
			return h, events, fmt.Errorf("cast line %d: event code %q, want o or r", n, code)
		}
		events = append(events, CastEvent{Time: time.Duration(math.Round(t * 1e9)), Code: code, Data: data})
	}
	return h, events, sc.Err()
}
