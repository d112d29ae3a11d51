package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
)

// Output is a file being written: a recording, an export. A regular file (or a path where
// nothing is yet) is written to a temporary file beside it, which Commit renames into place,
// so a failed write leaves what was at the path as it was. Anything else the path names (a
// device such as /dev/null, a pipe) is written in place. Either way, nothing timeslice did
// not create is ever removed.
type Output struct {
	path   string // as the user named it, for messages
	target string // the file Commit replaces: path with its symbolic links followed
	tmp    string // the temporary file, or "" when written in place
	f      *os.File
	closed bool
}

// tmpCount makes temporary names unique within this process; the pid makes them unique
// between processes.
var tmpCount atomic.Int64

// CreateOutput starts writing the file at path. Nothing at path changes until Commit.
func CreateOutput(path string) (*Output, error) {
	o := &Output{path: path, target: path}
	st, err := os.Stat(path) // follows symbolic links
	switch {
	case err == nil && st.IsDir():
		return nil, fmt.Errorf("cannot write %s: it is a directory", path)
	case err == nil && !st.Mode().IsRegular():
		// A device or a pipe: written as it is, never replaced.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		o.f = f
		return o, nil
	case err == nil:
		if target, err := filepath.EvalSymlinks(path); err == nil {
			o.target = target // replace the file a link points at, not the link
		}
	case errors.Is(err, fs.ErrNotExist):
		if lst, lerr := os.Lstat(path); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("cannot write %s: it is a symbolic link to nothing", path)
		}
	default:
		return nil, err
	}
	dir, base := filepath.Split(o.target)
	if dir == "" {
		dir = "."
	}
	for {
		o.tmp = filepath.Join(dir, "."+base+"."+strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(tmpCount.Add(1), 10)+".tmp")
		// Created as the file itself would be: 0644 less the umask.
		f, err := os.OpenFile(o.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot write %s: %w", path, err)
		}
		o.f = f
		break
	}
	if st != nil {
		o.f.Chmod(st.Mode().Perm()) // a replaced file keeps its permissions
	}
	return o, nil
}

// Write writes to the output.
func (o *Output) Write(p []byte) (int, error) {
	n, err := o.f.Write(p)
	if err != nil {
		err = fmt.Errorf("writing %s: %w", o.path, unwrapPath(err))
	}
	return n, err
}

// Commit finishes the output: the temporary file is closed and renamed over the path.
func (o *Output) Commit() error {
	if o.closed {
		return nil
	}
	o.closed = true
	if err := o.f.Close(); err != nil {
		o.removeTmp()
		return fmt.Errorf("writing %s: %w", o.path, unwrapPath(err))
	}
	if o.tmp == "" {
		return nil
	}
	if err := os.Rename(o.tmp, o.target); err != nil {
		o.removeTmp()
		return fmt.Errorf("cannot write %s: %w", o.path, unwrapPath(err))
	}
	return nil
}

// Abort gives the output up: the temporary file is removed, and the path keeps what it had.
func (o *Output) Abort() {
	if o.closed {
		return
	}
	o.closed = true
	o.f.Close()
	o.removeTmp()
}

func (o *Output) removeTmp() {
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
}

// unwrapPath drops the temporary file's name from an error: messages name the path asked for.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// WriteOutput writes data to path as CreateOutput and Commit do.
func WriteOutput(path string, data []byte) error {
	o, err := CreateOutput(path)
	if err != nil {
		return err
	}
	if _, err := o.Write(data); err != nil {
		o.Abort()
		return err
	}
	return o.Commit()
}
