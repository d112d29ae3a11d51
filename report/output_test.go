package report

import (
	"os"
	"path/filepath"
	"testing"
)

// leftovers lists what is in dir besides the names given.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		known := false
		for _, k := range keep {
			known = known || e.Name() == k
		}
		if !known {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestOutputReplacesAFileOnlyOnceWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	os.WriteFile(path, []byte("old\n"), 0o640)
	o, err := CreateOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("new\n"))
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Fatalf("the file changed before Commit: %q", b)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "new\n" || st.Mode().Perm() != 0o640 {
		t.Fatalf("after Commit: %q, mode %v; want the new text with the old mode", b, st.Mode())
	}
	if left := leftovers(t, dir, "out.json"); len(left) > 0 {
		t.Fatalf("left behind: %v", left)
	}

	o, _ = CreateOutput(path)
	o.Write([]byte("half"))
	o.Abort()
	if b, _ := os.ReadFile(path); string(b) != "new\n" {
		t.Fatalf("Abort changed the file: %q", b)
	}
	if left := leftovers(t, dir, "out.json"); len(left) > 0 {
		t.Fatalf("left behind after Abort: %v", left)
	}
}

func TestOutputWritesThroughALinkAndKeepsIt(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target"), filepath.Join(dir, "link")
	os.WriteFile(target, []byte("old"), 0o644)
	os.Symlink("target", link)
	if err := WriteOutput(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Fatalf("the link's file holds %q", b)
	}
	if err := WriteOutput(dir, []byte("x")); err == nil {
		t.Fatal("writing over a directory was accepted")
	}
}

// TestOutputNeverRemovesADevice: a device is written in place; a write it refuses is an error,
// and the device stays.
func TestOutputNeverRemovesADevice(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	o, err := CreateOutput("/dev/full")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Write([]byte("x")); err == nil {
		t.Fatal("a write to /dev/full succeeded")
	}
	o.Abort()
	if st, err := os.Stat("/dev/full"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/full is gone: %v", err)
	}
	if err := WriteOutput("/dev/null", []byte("x")); err != nil {
		t.Fatalf("/dev/null: %v", err)
	}
}
