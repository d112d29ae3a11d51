package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
)

// The invariants every picture of a run keeps, checked on what was drawn: the views are
// rendered with marker paints (so the colour of every cell can be read back), decoded glyph
// by glyph into the least share each glyph claims, and held to what the run did.

// markerPaints paint core c, and each state, with an SGR sequence of its own (\x1b[Nm), which
// widths ignore as they do colours; decodeLine reads them back as names.
func markerPaints() lanePaints {
	mk := func(code int) paint { return paint{pre: fmt.Sprintf("\x1b[%dm", code), post: "\x1b[0m"} }
	lp := lanePaints{ready: mk(90), waiting: mk(91), unknown: mk(92), dim: mk(93), running: mk(94)}
	for c := 0; c < 8; c++ {
		lp.core = append(lp.core, mk(30+c))
	}
	return lp
}

// markerNames are the names decodeLine gives markerPaints' codes.
var markerNames = map[string]string{"90": "ready", "91": "waiting", "92": "unknown", "93": "dim", "94": "c?", "0": ""}

func init() {
	for c := 0; c < 8; c++ {
		markerNames[fmt.Sprint(30+c)] = fmt.Sprintf("c%d", c)
	}
}

// drawnCell is one screen cell read back: its glyph and the paint it was drawn in.
type drawnCell struct {
	glyph rune
	paint string
}

// decodeLine reads a line drawn with markerPaints back into screen cells.
func decodeLine(line string) []drawnCell {
	var out []drawnCell
	paint := ""
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '\x1b' && i+1 < len(rs) && rs[i+1] == '[' {
			j := i + 2
			for j < len(rs) && rs[j] != 'm' {
				j++
			}
			paint, i = markerNames[string(rs[i+2:j])], j
			continue
		}
		out = append(out, drawnCell{rs[i], paint})
	}
	return out
}

// glyphFloor is the least running share a drawn glyph claims, and whether it claims running.
func glyphFloor(g rune) (float64, bool) {
	for l, s := range runGlyphs {
		if string(g) == s {
			return float64(runFloor[l]) / 8, true
		}
	}
	return 0, false
}

// trueRunning is how long tk ran in [from, to), added up from its intervals without Tally.
func trueRunning(tk model.Task, from, to time.Duration) time.Duration {
	var d time.Duration
	for _, iv := range tk.All() {
		ov := min(iv.End, to) - max(iv.Start, from)
		if ov > 0 {
			r, _, _ := iv.Shares(ov)
			d += r
		}
	}
	return d
}

// drawnLanes is the task lanes as drawn: per lane its plot cells and its now word.
type drawnLanes struct {
	ls    laneScale
	cells [][]drawnCell // per task, per plot cell
	now   []string
}

// testCommon is a common whose lanes paint with markers.
func testCommon() *common {
	return &common{styles: DefaultStyles(), paints: markerPaints(), keys: DefaultKeyMap()}
}

// drawLanes renders r's task lanes w wide, tall enough for every lane, zoomed in z times
// (then moved by pan half-stretches), and reads them back.
func drawLanes(t *testing.T, r *model.Run, w, z, pan int) drawnLanes {
	t.Helper()
	tl := timelineModel{c: testCommon(), cursor: -1}
	tl = tl.set(r, r.Finished, -1).setSize(w, len(r.Tasks)+3)
	for range z {
		tl = tl.zoomIn()
	}
	for range pan {
		tl = tl.pan(1)
	}
	lay := tl.layout(tl.shown())
	lines := strings.Split(tl.view(), "\n")
	if len(lines) != len(r.Tasks)+2 {
		t.Fatalf("%d lines for %d lanes:\n%s", len(lines), len(r.Tasks), tl.view())
	}
	d := drawnLanes{ls: tl.laneScale(lay.plotW)}
	for _, l := range lines[1 : 1+len(r.Tasks)] {
		cells := decodeLine(l)
		from := lay.nameW + 1
		nowAt := from + lay.plotW + 1 + lay.coresW + 1 + lay.threadW + 1
		if len(cells) < nowAt {
			t.Fatalf("lane too short: %q", l)
		}
		d.cells = append(d.cells, cells[from:from+lay.plotW])
		var now strings.Builder
		for _, c := range cells[nowAt:] {
			now.WriteRune(c.glyph)
		}
		d.now = append(d.now, strings.TrimSpace(now.String()))
	}
	return d
}

// checkLanes holds drawn lanes to the run: no glyph claims more running than the task did in
// its cell, the running drawn in a column adds up to no more than cores, and each now word is
// what its lane shows in the newest cell.
func checkLanes(t *testing.T, name string, r *model.Run, d drawnLanes, cores int) {
	t.Helper()
	sc := d.ls.sc
	for x := range sc.Cells {
		from, to := sc.CellStart(x), min(sc.CellStart(x+1), d.ls.horizon)
		sum := 0.0
		for i, lane := range d.cells {
			f, ok := glyphFloor(lane[x].glyph)
			if !ok {
				continue
			}
			sum += f
			if to <= from {
				t.Fatalf("%s: %s drawn running at cell %d, past the newest time %v", name, r.Tasks[i].Name, x, d.ls.horizon)
			}
			got := float64(trueRunning(r.Tasks[i], from, to)) / float64(to-from)
			if got <= 0 || f > got+1e-6 {
				t.Fatalf("%s: %s cell %d drawn %c (at least %.3f) but ran %.3f of it", name, r.Tasks[i].Name, x, lane[x].glyph, f, got)
			}
		}
		if sum > float64(cores)+1e-9 {
			t.Fatalf("%s: column %d draws %.3f cores running, the run has %d", name, x, sum, cores)
		}
	}
	newest := d.ls.newestCell()
	if newest < 0 || newest >= sc.Cells {
		return // the newest time is not in view
	}
	for i, lane := range d.cells {
		g, word := lane[newest].glyph, d.now[i]
		f, running := glyphFloor(g)
		ok := false
		switch {
		case word == "running":
			ok = g == '█'
		case strings.HasPrefix(word, "runs "):
			var p int
			if _, err := fmt.Sscanf(word, "runs %d%%", &p); err != nil {
				p = 0 // "runs <1%"
			}
			next := 1.0
			if l := runLevel(f); l < fullLevel && running {
				next = float64(runFloor[l+1]) / 8
			}
			ok = running && g != '█' && float64(p)/100 < next && float64(p+1)/100 >= f
		case word == "ready" || word == "lock" || word == "loop":
			ok = g == '▒'
		case word == "waiting":
			ok = g == '─'
		case word == "unknown":
			ok = g == '·'
		case word == "done" || word == "-":
			ok = g == ' '
		}
		if !ok {
			t.Fatalf("%s: %s reads %q now, but its newest cell (%d) draws %q", name, r.Tasks[i].Name, word, newest, string(g))
		}
	}
}

// TestLanesNeverDrawMoreThanRan: at several widths and zoom levels, finished and live, no
// lane claims more running than its task did, no column more than the cores, and the now
// column reads each lane's newest cell.
func TestLanesNeverDrawMoreThanRan(t *testing.T) {
	for id, r := range invariantRuns() {
		cores := runCores(r)
		if err := model.Check(r, cores); err != nil {
			t.Fatalf("%s is not a run that could have happened: %v", id, err)
		}
		live := r.Until(r.Wall * 2 / 3)
		live.Finished, live.Wall = false, 0
		for _, w := range []int{80, 100, 160} {
			for _, z := range []int{0, 1, 3, 6, 9} {
				name := fmt.Sprintf("%s at %d wide, zoom %d", id, w, z)
				checkLanes(t, name, r, drawLanes(t, r, w, z, 0), cores)
				checkLanes(t, name+", moved later", r, drawLanes(t, r, w, z, 1), cores)
				checkLanes(t, name+", live", live, drawLanes(t, live, w, z, 0), cores)
			}
		}
	}
}

// TestCoreLanesAgreeWithTaskLanes: drawn at the same scale, a core lane names a task only
// where that task's lane ran on that core (drawn in its colour), draws something wherever a
// task lane ran on it, and a task it names ran at least half the cell.
func TestCoreLanesAgreeWithTaskLanes(t *testing.T) {
	for id, r := range invariantRuns() {
		for _, z := range []int{0, 2, 6} {
			name := fmt.Sprintf("%s zoom %d", id, z)
			tl := timelineModel{c: testCommon(), cursor: -1}
			tl = tl.set(r, true, -1).setSize(100, len(r.Tasks)+3)
			for range z {
				tl = tl.zoomIn()
			}
			lay := tl.layout(tl.shown())
			lanes := drawLanes(t, r, 100, z, 0)
			f := factsOf(r)
			labelW := len("cpu" + intText(max(f.Cores-1, 0)))
			cl := coreLanesModel{c: tl.c}.set(r, tl.timeView(), -1, lay.plotW+labelW+1, f.Cores+4)
			lines := strings.Split(cl.view(), "\n")
			for c := range f.Cores {
				cells := decodeLine(lines[1+c])[labelW+1 : labelW+1+lay.plotW]
				for x, cc := range cells {
					core := fmt.Sprintf("c%d", c)
					ranHere := -1
					for i, lane := range lanes.cells {
						if _, ok := glyphFloor(lane[x].glyph); ok && lane[x].paint == core {
							ranHere = i
						}
					}
					switch i := strings.IndexRune(taskGlyphs, cc.glyph); {
					case i >= 0:
						g := lanes.cells[i][x]
						if fl, ok := glyphFloor(g.glyph); !ok || g.paint != core || fl < 3.0/8 {
							t.Fatalf("%s: cpu%d cell %d names %s, whose lane draws %q in %s", name, c, x, r.Tasks[i].Name, string(g.glyph), g.paint)
						}
					case cc.glyph == ' ' && ranHere >= 0:
						t.Fatalf("%s: cpu%d cell %d is idle, but %s's lane ran there on it", name, c, x, r.Tasks[ranHere].Name)
					case cc.glyph != ' ' && ranHere < 0:
						t.Fatalf("%s: cpu%d cell %d draws %q, but no task lane ran there on it", name, c, x, string(cc.glyph))
					}
				}
			}
		}
	}
}

// TestFoldNeverDrawsMoreThanRan: the folded view's running row claims no more than the tasks
// ran in each cell, so never more than the cores, and its peak says no more than the cores.
func TestFoldNeverDrawsMoreThanRan(t *testing.T) {
	for id, r := range invariantRuns() {
		cores := runCores(r)
		for _, z := range []int{0, 4, 8} {
			tl := timelineModel{c: testCommon(), cursor: -1, fold: true}
			tl = tl.set(r, true, -1).setSize(100, 8)
			for range z {
				tl = tl.zoomIn()
			}
			ls := tl.laneScale(tl.plotWidth())
			lines := strings.Split(tl.view(), "\n")
			row := decodeLine(lines[1])
			if string(row[0].glyph)+string(row[1].glyph) != "ru" {
				t.Fatalf("%s: the first folded row is %q", id, lines[1])
			}
			for x := range ls.sc.Cells {
				fl, ok := glyphFloor(row[foldNameW+1+x].glyph)
				if !ok {
					continue
				}
				from, to := ls.sc.CellStart(x), min(ls.sc.CellStart(x+1), ls.horizon)
				var ran time.Duration
				for _, tk := range r.Tasks {
					ran += trueRunning(tk, from, to)
				}
				if got := float64(ran) / float64(to-from); fl*float64(cores) > got+1e-6 || got > float64(cores)+1e-6 {
					t.Fatalf("%s zoom %d: folded cell %d claims %.2f cores running, the tasks ran %.2f", id, z, x, fl*float64(cores), got)
				}
			}
			var peak float64
			fmt.Sscanf(strings.TrimSpace(string([]rune(lines[1])[foldNameW+1+ls.sc.Cells:])), "%g", &peak)
			if peak > float64(cores) {
				t.Fatalf("%s zoom %d: the folded view says at most %.1f running on %d cores", id, z, peak, cores)
			}
		}
	}
}

// TestCompareRowsNeverDrawMoreThanRan: in the compare view, a run's row (a digit n is at least
// n−1/8 tasks running on average, ▁–▆ less than one) claims no more running than its tasks
// did in each cell, nor more than its cores; its task rows, when shown, no more per column
// than the cores, and none more than its task ran.
func TestCompareRowsNeverDrawMoreThanRan(t *testing.T) {
	runs := invariantRuns()
	for _, height := range []int{60, 14} { // every run with its task rows, then one row each
		var entries []compareEntry
		for _, id := range []string{"cpu-threads-gil", "cpu-processes", "cpu-goroutines", "io-threads"} {
			entries = append(entries, compareEntry{run: runs[id]})
			entries[len(entries)-1].scen.ID = id
		}
		m := compareModel{c: testCommon(), entries: entries, width: 140, height: height}
		lay := m.layout()
		lines := strings.Split(m.view(), "\n")
		sc := model.Scale{End: sharedEnd(entries), Cells: lay.plotW}
		cur, task := "", 0
		rowsRead, taskRows := map[string]bool{}, 0
		sums := map[string][]float64{}
		for _, l := range lines[1:] {
			plain := []rune(ansi.Strip(l))
			if len(plain) < lay.idW+1+lay.plotW || strings.HasPrefix(string(plain), "run rows") {
				break // the legend follows the rows
			}
			cells := decodeLine(l)[lay.idW+1 : lay.idW+1+lay.plotW]
			if id := strings.TrimSpace(string(plain[:lay.idW])); plain[0] != ' ' {
				cur, task, rowsRead[id] = id, 0, true
				for x, c := range cells {
					var claim float64
					switch fl, ok := glyphFloor(c.glyph); {
					case ok:
						claim = fl
					case c.glyph >= '1' && c.glyph <= '9':
						claim = float64(c.glyph-'0') - 1.0/8
					default:
						continue
					}
					from, to := sc.CellStart(x), sc.CellStart(x+1)
					var ran time.Duration
					for _, tk := range runs[cur].Tasks {
						ran += trueRunning(tk, from, to)
					}
					if got := float64(ran) / float64(to-from); claim > got+1e-6 || claim > float64(runCores(runs[cur]))+1e-9 {
						t.Fatalf("height %d: %s's row cell %d claims %.3f running at once, %.3f ran", height, cur, x, claim, got)
					}
				}
				continue
			}
			taskRows++
			if sums[cur] == nil {
				sums[cur] = make([]float64, lay.plotW)
			}
			tk := runs[cur].Tasks[task]
			task++
			for x, c := range cells {
				if fl, ok := glyphFloor(c.glyph); ok {
					sums[cur][x] += fl
					from, to := sc.CellStart(x), sc.CellStart(x+1)
					if got := float64(trueRunning(tk, from, to)) / float64(to-from); fl > got+1e-6 {
						t.Fatalf("height %d: %s %s cell %d drawn %c, ran %.3f", height, cur, tk.Name, x, c.glyph, got)
					}
				}
			}
		}
		if len(rowsRead) != len(entries) {
			t.Fatalf("height %d: read rows of %d runs, want %d:\n%s", height, len(rowsRead), len(entries), strings.Join(lines, "\n"))
		}
		if height == 60 && taskRows == 0 {
			t.Fatalf("height %d: no task rows:\n%s", height, strings.Join(lines, "\n"))
		}
		for id, s := range sums {
			for x, v := range s {
				if v > float64(runCores(runs[id]))+1e-9 {
					t.Fatalf("height %d: %s column %d draws %.2f running on %d cores", height, id, x, v, runCores(runs[id]))
				}
			}
		}
	}
}

// TestCoroutinesOfOneLoopNeverBothFull: zoomed in to a millisecond a cell or less, no two
// coroutines of one thread are both drawn running all of one cell.
func TestCoroutinesOfOneLoopNeverBothFull(t *testing.T) {
	r := coroutinesRun()
	for _, w := range []int{80, 100, 160} {
		for z := 0; z < 14; z++ {
			d := drawLanes(t, r, w, z, 0)
			if d.ls.sc.CellLen(0) > time.Millisecond {
				continue
			}
			for x := range d.ls.sc.Cells {
				full := 0
				for _, lane := range d.cells {
					if lane[x].glyph == '█' {
						full++
					}
				}
				if full > 1 {
					t.Fatalf("%d wide, zoom %d: %d coroutines of one loop drawn running all of cell %d", w, z, full, x)
				}
			}
		}
	}
}

// TestGILZoomedInShowsOneThreadAtATime is the must-show at 100×30: a finished
// cpu-threads-gil, zoomed in with z six times, shows exactly one thread running in at least
// 70 % of its columns and more than one in at most 10 %, on an axis in ms.
func TestGILZoomedInShowsOneThreadAtATime(t *testing.T) {
	m := sessionModel(t, 100, 30)
	m = press(t, m, keyRune('5'))
	m = finishRun(t, m, cpuGILRun())
	for range 6 {
		m = press(t, m, keyRune('z'))
	}
	v := m.View()
	t.Logf("\n%s", v)
	tl := m.timeline
	lay := tl.layout(tl.shown())
	lines := strings.Split(v, "\n")
	var lanes [][]rune
	for i, l := range lines {
		if !strings.HasPrefix(l, "chunk ") {
			continue
		}
		if len(lanes) == 0 && !strings.Contains(lines[i-1], "0ms ") {
			t.Fatalf("zoomed in, the axis is not in ms: %q", lines[i-1])
		}
		lanes = append(lanes, []rune(l)[lay.nameW+1:lay.nameW+1+lay.plotW])
	}
	if len(lanes) != 4 {
		t.Fatalf("%d lanes on screen:\n%s", len(lanes), v)
	}
	one, more := 0, 0
	for x := range lay.plotW {
		n := 0
		for _, l := range lanes {
			if _, ok := glyphFloor(l[x]); ok {
				n++
			}
		}
		switch {
		case n == 1:
			one++
		case n > 1:
			more++
		}
	}
	t.Logf("%d columns: one thread running in %d, more than one in %d", lay.plotW, one, more)
	if one*10 < lay.plotW*7 || more*10 > lay.plotW {
		t.Fatalf("%d columns: one thread running in %d, more than one in %d", lay.plotW, one, more)
	}
}

// TestFoldCountsAreEveryCellsTally: the folded view, which tallies a stretch in one state at
// once, counts in every cell what tallying each task cell by cell counts.
func TestFoldCountsAreEveryCellsTally(t *testing.T) {
	runs := invariantRuns()
	runs["bench"] = benchRun(50)
	for id, r := range runs {
		for _, cells := range []int{7, 60, 333} {
			end := axisEnd(r, 0)
			ls := laneScale{sc: model.Scale{End: end, Cells: cells}, horizon: observedEnd(r), finished: true}
			got := foldCounts(r.Tasks, ls)
			for c := range cells {
				from, to := ls.sc.CellStart(c), min(ls.sc.CellStart(c+1), ls.horizon)
				if to <= from {
					continue
				}
				for ri, row := range foldRows {
					var want time.Duration
					for i := range r.Tasks {
						want += row.of(r.Tasks[i].Tally(from, to))
					}
					if w := float64(want) / float64(to-from); got[ri][c] < w-1e-9 || got[ri][c] > w+1e-9 {
						t.Fatalf("%s, %d cells: cell %d %s %.6f, cell by cell %.6f", id, cells, c, row.name, got[ri][c], w)
					}
				}
			}
		}
	}
}

// TestTallLanesNeverDrawMoreThanRan: projector mode's lanes, several rows tall, with its
// glyphs: the rows of a cell together claim no more running than the task did there (each
// row's glyph floor-quantised, over the rows), a column no more than the cores, and the now
// column agrees with each lane's newest cell.
func TestTallLanesNeverDrawMoreThanRan(t *testing.T) {
	c := testCommon()
	c.paints.g = projectorGlyphs
	for id, r := range invariantRuns() {
		cores := runCores(r)
		live := r.Until(r.Wall * 2 / 3)
		live.Finished, live.Wall = false, 0
		for _, run := range []*model.Run{r, live} {
			for _, rows := range []int{2, 3, 5} {
				for _, z := range []int{0, 3, 7} {
					name := fmt.Sprintf("%s, %d rows, zoom %d, finished %v", id, rows, z, run.Finished)
					tl := timelineModel{c: c, cursor: -1, rows: rows}
					tl = tl.set(run, run.Finished, -1).setSize(120, len(run.Tasks)*rows+2)
					for range z {
						tl = tl.zoomIn()
					}
					lay := tl.layout(tl.shown())
					ls := tl.laneScale(lay.plotW)
					lines := strings.Split(tl.view(), "\n")
					if len(lines) != len(run.Tasks)*rows+2 {
						t.Fatalf("%s: %d lines for %d lanes", name, len(lines), len(run.Tasks))
					}
					newest := ls.newestCell()
					sums := make([]float64, lay.plotW)
					for i, tk := range run.Tasks {
						claims := make([]float64, lay.plotW)
						var bottom []drawnCell
						for row := range rows {
							cells := decodeLine(lines[1+i*rows+row])
							bottom = cells
							for x, cl := range cells[lay.nameW+1 : lay.nameW+1+lay.plotW] {
								if f, ok := glyphFloor(cl.glyph); ok {
									claims[x] += f / float64(rows)
								}
							}
						}
						for x, claim := range claims {
							sums[x] += claim
							from, to := ls.sc.CellStart(x), min(ls.sc.CellStart(x+1), ls.horizon)
							if claim > 0 && (to <= from || claim > float64(trueRunning(tk, from, to))/float64(to-from)+1e-6) {
								t.Fatalf("%s: %s cell %d claims %.3f running", name, tk.Name, x, claim)
							}
						}
						if newest < 0 || newest >= lay.plotW {
							continue
						}
						var now strings.Builder
						for _, cl := range bottom[lay.nameW+1+lay.plotW+1+lay.coresW+1+lay.threadW+1:] {
							now.WriteRune(cl.glyph)
						}
						word, g := strings.TrimSpace(now.String()), bottom[lay.nameW+1+newest].glyph
						ok := false
						switch {
						case word == "running" || strings.HasPrefix(word, "runs "):
							_, ok = glyphFloor(g)
							ok = ok || claims[newest] > 0
						case word == "ready" || word == "lock" || word == "loop":
							ok = string(g) == projectorGlyphs.ready
						case word == "waiting":
							ok = string(g) == projectorGlyphs.waiting
						case word == "unknown":
							ok = string(g) == projectorGlyphs.unknown
						case word == "done" || word == "-":
							ok = g == ' ' && claims[newest] == 0
						}
						if !ok {
							t.Fatalf("%s: %s reads %q now, its newest cell draws %q", name, tk.Name, word, string(g))
						}
					}
					for x, s := range sums {
						if s > float64(cores)+1e-9 {
							t.Fatalf("%s: column %d draws %.3f cores running, the run has %d", name, x, s, cores)
						}
					}
				}
			}
		}
	}
}
