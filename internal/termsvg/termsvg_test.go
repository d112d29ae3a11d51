package termsvg

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"image/color"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// featureScreen uses every kind of input Render knows: attributes, the three
// colour forms, blocks, box lines, wide runes, XML specials, escape sequences
// that must be dropped, a tab, and a line longer than the screen.
const featureScreen = "\x1b[1mbold\x1b[22m \x1b[3mitalic\x1b[23m \x1b[4munder\x1b[24m \x1b[9mstrike\x1b[29m \x1b[2mfaint\x1b[22m \x1b[7mreverse\x1b[27m\n" +
	"\x1b[31mred \x1b[32mgreen \x1b[93myellow\x1b[39m \x1b[44m blue bg \x1b[49m \x1b[97;101m bright \x1b[0m\n" +
	"\x1b[38;5;141mviolet \x1b[48;5;53m on plum \x1b[0m \x1b[38;5;244mgrey 244\x1b[0m \x1b[38;5;196m196\x1b[0m\n" +
	"\x1b[38;2;255;128;0morange\x1b[0m \x1b[48;2;0;64;128m\x1b[38:2::255:255:255m white on deep blue \x1b[0m\n" +
	"\x1b[38;5;81m█▀▄▌▐ ▁▂▃▄▅▆▇█ ▏▎▍▌▋▊▉ ░▒▓ ▖▗▘▙▚▛▜▝▞▟\x1b[0m\n" +
	"\x1b[38;5;214m███▓▓▓▒▒▒░░░\x1b[48;5;236m▓▓▓▒▒▒\x1b[0m \x1b[38;5;212m▁▂▃▄▅▆▇█▇▆▅▄▃▂▁\x1b[0m\n" +
	"┌──┬──┐ ╭──╮ ┏━━┓ ─ waiting\n" +
	"├──┼──┤ │  │ ┃  ┃ ✓ done ✗ failed\n" +
	"└──┴──┘ ╰──╯ ┗━━┛ ▸ next · dot … more\n" +
	"日本語 wide 😀 after\n" +
	"<tag attr=\"x\">&'quoted'</tag>\n" +
	"\x1b]0;window title\x07\x1b[2J\x1b[H\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\\x00\x07\x08\x7f ok\ttab\n" +
	"this line is longer than the screen is wide, so it is cut right here"

const featureCols, featureRows = 60, 14

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func render(t testing.TB, screen string, cols, rows int, opt Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, screen, cols, rows, opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	tests := []struct {
		golden     string
		screen     string
		cols, rows int
		opt        Options
	}{
		{"features-dark.golden.svg", featureScreen, featureCols, featureRows, Options{Title: "Every feature, dark"}},
		{"features-light.golden.svg", featureScreen, featureCols, featureRows, Options{Theme: Light, FontSize: 16, Title: "Every feature, light"}},
		{"cpu-processes.golden.svg", readFixture(t, "cpu-processes.ans"), 100, 30, Options{Title: "timeslice: cpu-processes"}},
		{"io-threads.golden.svg", readFixture(t, "io-threads.ans"), 100, 30, Options{Title: "timeslice: io-threads"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got := render(t, tt.screen, tt.cols, tt.rows, tt.opt)
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/termsvg -update to write it)", err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := 0; i < len(gl) && i < len(wl); i++ {
					if gl[i] != wl[i] {
						t.Fatalf("differs from %s at line %d:\n got: %s\nwant: %s\n(run go test ./internal/termsvg -update if the change is intended)", path, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("differs from %s in length: %d lines, want %d", path, len(gl), len(wl))
			}
			if again := render(t, tt.screen, tt.cols, tt.rows, tt.opt); again != got {
				t.Fatal("two renders of the same screen differ")
			}
		})
	}
}

// checkSVG fails unless doc is well-formed XML with an <svg> root holding a
// <title> and a <desc>, and holds no control character but "\n".
func checkSVG(t testing.TB, doc string) {
	t.Helper()
	for i := 0; i < len(doc); i++ {
		if c := doc[i]; c < 0x20 && c != '\n' || c == 0x7f {
			t.Fatalf("control byte %#x at %d: %q", c, i, doc[max(0, i-40):min(len(doc), i+40)])
		}
	}
	if strings.ContainsRune(doc, 0x9b) || strings.ContainsRune(doc, 0x9d) {
		t.Fatal("a C1 control character reached the output")
	}
	d := xml.NewDecoder(strings.NewReader(doc))
	var names []string
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 && tok.Name.Local != "svg" {
				t.Fatalf("root element is %s, want svg", tok.Name.Local)
			}
			if depth == 1 {
				names = append(names, tok.Name.Local)
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if len(names) < 2 || names[0] != "title" || names[1] != "desc" {
		t.Fatalf("svg starts with %v, want title then desc", names)
	}
}

// texts returns the character data of every <text> element and the <title>.
func texts(t testing.TB, doc string) (title string, runs []string) {
	t.Helper()
	var v struct {
		Title string   `xml:"title"`
		Text  []string `xml:"g>text"`
		Group []struct {
			Text []string `xml:"text"`
		} `xml:"g>g"`
	}
	if err := xml.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	runs = v.Text
	for _, g := range v.Group {
		runs = append(runs, g.Text...)
	}
	return v.Title, runs
}

func TestValidXML(t *testing.T) {
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	screens := map[string]string{
		"features":  featureScreen,
		"fixture":   readFixture(t, "cpu-processes.ans"),
		"fixture 2": readFixture(t, "io-threads.ans"),
		"all bytes": string(all),
		"random":    string(random),
		"cut CSI":   "abc\x1b[38;5;",
		"cut OSC":   "abc\x1b]0;title",
		"empty":     "",
	}
	// Random screens made of the pieces of escape sequences, controls,
	// invalid UTF-8 and glyphs, so that sequences start, nest and break off.
	pieces := []string{"\x1b", "[", "]", "P", "_", "^", "X", "\\", "m", ";", ":", "5", "38", "48", "2", "?", ">",
		"\x07", "\x9b", "\x9d", "\x90", "\x9c", "\xff", "\xc2", "\x00", "\x7f", "\n", "\r", "\t", "\b",
		"a", " ", "<", "&", "日", "😀", "█", "▓", "─", "╭", "\u0301", "\ufffe"}
	for i := range 200 {
		var b strings.Builder
		for range rng.IntN(300) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		screens["pieces "+strconv.Itoa(i)] = b.String()
	}
	for name, screen := range screens {
		t.Run(name, func(t *testing.T) {
			for _, opt := range []Options{{}, {Theme: Light, Title: screen, FontFamily: screen}} {
				checkSVG(t, render(t, screen, 80, 24, opt))
			}
		})
	}
}

func FuzzRender(f *testing.F) {
	f.Add(featureScreen, 20, 5)
	f.Add("\x1b[38;2;1;2;3m<&>\x1b]8;;x\x07\x9b31m\xff\xfe日", 3, 1)
	f.Fuzz(func(t *testing.T, screen string, cols, rows int) {
		cols, rows = 1+abs(cols)%120, 1+abs(rows)%40
		var b bytes.Buffer
		if err := Render(&b, screen, cols, rows, Options{Title: screen}); err != nil {
			t.Fatal(err)
		}
		checkSVG(t, b.String())
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

func TestEscaping(t *testing.T) {
	const line = `<tag attr="x">&'quoted'</tag>`
	doc := render(t, line, 40, 1, Options{Title: "\x1b[31m<b>&\"'\x07\x1b]0;evil\x07"})
	checkSVG(t, doc)
	if !strings.Contains(doc, "&lt;tag attr=&quot;x&quot;&gt;&amp;&apos;quoted&apos;&lt;/tag&gt;") {
		t.Errorf("text not escaped:\n%s", doc)
	}
	title, runs := texts(t, doc)
	if title != `<b>&"'` {
		t.Errorf("title = %q, want %q", title, `<b>&"'`)
	}
	if len(runs) != 1 || runs[0] != line {
		t.Errorf("text runs = %q, want [%q]", runs, line)
	}
}

func TestDropsSequencesAndControls(t *testing.T) {
	screen := "a\x1b]0;evil title\x07b\x1b[2J\x1b[10;10Hc\x1b]8;;https://evil.example\x1b\\d\x1b]8;;\x1b\\" +
		"\x00\x01\x07\x08\x0b\x0c\x7fe\x1bPdcs evil\x1b\\f\x9b2Jg\x1b_apc evil\x1b\\h\x1b[>4;1mi\x1b7\x1b8j\x1b(Bk"
	g := newGrid(20, 2, 0, 0xffffff)
	g.parse(screen)
	if got := g.text(); got != "abcdefghijk" {
		t.Errorf("text = %q, want %q", got, "abcdefghijk")
	}
	if p := g.at(9, 0).pen; p != g.blank.pen {
		t.Errorf("a non-SGR CSI ending in m changed the pen: %+v", p)
	}
	doc := render(t, screen, 20, 2, Options{})
	checkSVG(t, doc)
	if strings.Contains(doc, "evil") {
		t.Error("the payload of a dropped sequence reached the SVG")
	}
	// Invalid UTF-8 and non-characters become U+FFFD, never raw bytes.
	g = newGrid(10, 1, 0, 0xffffff)
	g.parse("x\xff\xfey\uffffz")
	if got := g.text(); strings.Contains(got, "\xff") || !strings.HasPrefix(got, "x") || !strings.HasSuffix(got, "z") {
		t.Errorf("text = %q", got)
	}
}

func TestColours(t *testing.T) {
	const bg, fg = 0x101010, 0xe0e0e0
	tests := []struct {
		sgr            string
		wantFg, wantBg rgb
	}{
		{"", fg, bg},
		{"31", 0x800000, bg},                      // 16 colours: the xterm palette
		{"91", 0xff0000, bg},                      // bright
		{"37;44", 0xc0c0c0, 0x000080},             // background
		{"97;101", 0xffffff, 0xff0000},            // bright background
		{"38;5;141", 0xaf87ff, bg},                // 256 colours: the 6×6×6 cube
		{"48;5;53", fg, 0x5f005f},                 // cube background
		{"38;5;9", 0xff0000, bg},                  // 256-colour index below 16
		{"38;5;232;48;5;255", 0x080808, 0xeeeeee}, // grey ramp
		{"38;2;1;2;3", 0x010203, bg},              // 24-bit
		{"48;2;250;251;252", fg, 0xfafbfc},        // 24-bit background
		{"38:2::17:34:51", 0x112233, bg},          // 24-bit, colon form
		{"31;39;41;49", fg, bg},                   // defaults
		{"31;0", fg, bg},                          // reset
		{"7", bg, fg},                             // reverse
		{"31;44;7", 0x000080, 0x800000},           // reverse with colours
		{"2;38;2;200;100;0", 0x6c3a08, bg},        // faint: halfway to the background
	}
	for _, tt := range tests {
		g := newGrid(4, 1, bg, fg)
		g.parse("\x1b[" + tt.sgr + "mX")
		p := g.at(0, 0).pen
		if p.fg != tt.wantFg || p.bg != tt.wantBg || p.bgSet != (tt.wantBg != bg) {
			t.Errorf("SGR %q: fg %06x bg %06x (set %v), want fg %06x bg %06x", tt.sgr, p.fg, p.bg, p.bgSet, tt.wantFg, tt.wantBg)
		}
	}

	doc := render(t, "\x1b[38;5;141mv\x1b[48;5;53mp\x1b[38;2;255;128;0mo\x1b[0m \x1b[1;31mb", 10, 1, Options{})
	for _, want := range []string{`fill="#af87ff"`, `fill="#5f005f"`, `fill="#ff8000"`, `fill="#800000" font-weight="bold"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("SVG lacks %s:\n%s", want, doc)
		}
	}
	// Style carries over a line break, as on a terminal.
	g := newGrid(4, 2, bg, fg)
	g.parse("\x1b[31ma\nb")
	if p := g.at(0, 1).pen; p.fg != 0x800000 {
		t.Errorf("second line fg %06x, want the first line's red", p.fg)
	}
}

func TestThemes(t *testing.T) {
	dark := render(t, "x", 2, 1, Options{})
	light := render(t, "x", 2, 1, Options{Theme: Light})
	custom := render(t, "x", 2, 1, Options{Background: color.RGBA{1, 2, 3, 255}, Foreground: color.Gray{0x80}})
	for _, c := range []struct{ doc, bg, fg string }{
		{dark, "#1c1c1c", "#d0d0d0"}, {light, "#fafafa", "#1c1c1c"}, {custom, "#010203", "#808080"},
	} {
		if !strings.Contains(c.doc, `fill="`+c.bg+`"/>`) || !strings.Contains(c.doc, `font-size="14" fill="`+c.fg+`"`) {
			t.Errorf("want background %s and foreground %s:\n%s", c.bg, c.fg, c.doc)
		}
	}
}

func TestCutting(t *testing.T) {
	g := newGrid(5, 2, 0, 0xffffff)
	g.parse("abcdefgh\nxy\nthird line")
	if got := g.text(); got != "abcde\nxy" {
		t.Errorf("text = %q, want %q", got, "abcde\nxy")
	}
	// A wide rune that would straddle the right edge is cut, not split.
	g = newGrid(5, 1, 0, 0xffffff)
	g.parse("abcd日")
	if got := g.text(); got != "abcd" {
		t.Errorf("text = %q, want %q", got, "abcd")
	}
	// Cells past the text are blank, in the default colours.
	g = newGrid(6, 2, 0, 0xffffff)
	g.parse("\x1b[41mab\x1b[0m")
	for x := 2; x < 6; x++ {
		if c := g.at(x, 0); *c != g.blank {
			t.Errorf("cell %d = %+v, want blank", x, *c)
		}
	}
	doc := render(t, "0123456789abcdef", 10, 1, Options{})
	if _, runs := texts(t, doc); len(runs) != 1 || runs[0] != "0123456789" {
		t.Errorf("runs = %q, want the first ten characters", runs)
	}
	// Tabs move to the next multiple of 8, never past the edge.
	g = newGrid(12, 1, 0, 0xffffff)
	g.parse("a\tb\tc")
	if got := g.text(); got != "a       b" {
		t.Errorf("text = %q", got)
	}
}

func TestWideRunes(t *testing.T) {
	g := newGrid(8, 1, 0, 0xffffff)
	g.parse("日本x😀")
	wantText := []string{"日", "", "本", "", "x", "😀", "", " "}
	wantWide := []uint8{2, 0, 2, 0, 1, 2, 0, 1}
	for x := range 8 {
		if c := g.at(x, 0); c.text != wantText[x] || c.wide != wantWide[x] {
			t.Errorf("cell %d = %q width %d, want %q width %d", x, c.text, c.wide, wantText[x], wantWide[x])
		}
	}
	doc := render(t, "日本x", 8, 1, Options{})
	// Each wide rune is centred on its two cells: 8.4 px padding, 8.4 px cells.
	for _, want := range []string{`<text x="16.8" y="21.5" text-anchor="middle">日</text>`, `<text x="33.6" y="21.5" text-anchor="middle">本</text>`, `<text x="42" y="21.5">x</text>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("SVG lacks %s:\n%s", want, doc)
		}
	}
	// Overwriting half of a wide rune blanks the other half.
	g = newGrid(8, 1, 0, 0xffffff)
	g.parse("日本\r a")
	if got := g.text(); got != " a本" {
		t.Errorf("text = %q, want %q", got, " a本")
	}
	g = newGrid(8, 1, 0, 0xffffff)
	g.parse("日本\rx")
	if got := g.text(); got != "x 本" {
		t.Errorf("text = %q, want %q", got, "x 本")
	}
}

func TestShapesMerge(t *testing.T) {
	count := func(doc, s string) int { return strings.Count(doc, s) }
	doc := render(t, "\x1b[38;5;81m██████\x1b[0m", 10, 1, Options{})
	if n := count(doc, "<rect"); n != 2 { // the picture's background and one run
		t.Errorf("%d rects for a run of █, want 2:\n%s", n, doc)
	}
	if count(doc, "<text") != 0 {
		t.Errorf("a block glyph became text:\n%s", doc)
	}
	doc = render(t, "┌──────┐", 10, 1, Options{})
	// One horizontal band across all eight cells, and two half-height verticals.
	if n := count(doc, "<rect"); n != 4 {
		t.Errorf("%d rects for ┌──────┐, want 4:\n%s", n, doc)
	}
	doc = render(t, "\x1b[44m      \x1b[0m\n\x1b[44m  \x1b[45m  \x1b[0m", 10, 2, Options{})
	if n := count(doc, "<rect"); n != 4 { // background, two blue runs, one magenta
		t.Errorf("%d rects for backgrounds, want 4:\n%s", n, doc)
	}
	// Text of one style is one run, across single blanks and shapes; two
	// blanks in a row end it, as a renderer might collapse them.
	for _, c := range []struct {
		screen string
		want   []string
	}{
		{"a b█c d   ", []string{"a b c d"}},
		{"ab  cd", []string{"ab", "cd"}},
		{"ab █ cd", []string{"ab", "cd"}},
		{"\x1b[4m  x  \x1b[0m", []string{"  x  "}}, // underlined blanks are text
	} {
		doc = render(t, c.screen, 10, 1, Options{})
		if _, runs := texts(t, doc); !slices.Equal(runs, c.want) {
			t.Errorf("%q: runs = %q, want %q", c.screen, runs, c.want)
		}
	}
	if doc := render(t, "\x1b[4m  x  \x1b[0m", 10, 1, Options{}); !strings.Contains(doc, `text-decoration="underline" xml:space="preserve">  x  </text>`) {
		t.Errorf("underlined blanks are not preserved:\n%s", doc)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		cols, rows int
		opt        Options
	}{
		{0, 10, Options{}}, {10, 0, Options{}}, {-1, 10, Options{}}, {MaxCells, 2, Options{}},
		{10, 10, Options{FontSize: -1}}, {10, 10, Options{FontSize: math.NaN()}}, {10, 10, Options{FontSize: math.Inf(1)}},
	} {
		var b bytes.Buffer
		if err := Render(&b, "x", c.cols, c.rows, c.opt); err == nil || b.Len() != 0 {
			t.Errorf("Render(%d×%d, %+v) = %v with %d bytes, want an error and nothing written", c.cols, c.rows, c.opt, err, b.Len())
		}
	}
	if err := Render(failingWriter{}, "x", 10, 1, Options{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Render to a failing writer = %v, want its error", err)
	}
}

func BenchmarkRender(b *testing.B) {
	screen := readFixture(b, "cpu-processes.ans")
	b.SetBytes(int64(len(screen)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Render(io.Discard, screen, 100, 30, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
