package yamledit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"mailkb/generator/filelock"
)

// Writer writes the files of one knowledge base. It exists only while its
// command holds the lock on the knowledge base's data/ folder, so a
// command cannot write without it, and it holds the lock from the command's
// first read to its last write: two commands run at once take turns
// instead of each editing what it read before the other wrote.
type Writer struct {
	root string // the knowledge base folder as given, for messages
	abs  string // the same, absolute
	real string // the same, with every link resolved
	lock *filelock.Lock
}

// Lock takes the lock of the knowledge base at root (the folder holding
// data/). When another command holds it, waiting is called once and Lock
// waits until the lock is free or ctx ends.
func Lock(ctx context.Context, root string, waiting func()) (*Writer, error) {
	w := &Writer{root: root}
	var err error
	if w.abs, err = filepath.Abs(root); err != nil {
		return nil, err
	}
	w.real, err = filepath.EvalSymlinks(w.abs)
	if err == nil {
		var st os.FileInfo
		if st, err = os.Stat(filepath.Join(w.real, "data")); err == nil && !st.IsDir() {
			err = errors.New("not a folder")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: no data/ folder here (%v); run in a mailkb folder or pass --root", filepath.Join(root, "data"), err)
	}
	if w.lock, err = filelock.Acquire(ctx, filepath.Join(w.real, "data"), waiting); err != nil {
		return nil, err
	}
	return w, nil
}

// Release lets the next command in. A Writer is done after it.
func (w *Writer) Release() error {
	lock := w.lock
	w.lock = nil
	return lock.Release()
}

// WriteFile replaces the file at path, inside the knowledge base, with
// data, all or nothing: a temp file beside it, synced, given the file's
// permissions and renamed over it, and the folder synced, so that once
// WriteFile returns the bytes are on disk. A path that is a symbolic link
// stays one: the file it leads to is replaced. A link that leads out of the
// knowledge base, or to something that is not a regular file, is refused
// and nothing is written. Temp files that an interrupted write left beside
// the file are removed first.
func (w *Writer) WriteFile(path string, data []byte) error {
	if w.lock == nil {
		return fmt.Errorf("writing %s: the knowledge base's lock is not held", path)
	}
	target, err := w.target(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(target)
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(target); err == nil {
		mode = st.Mode().Perm()
	}
	if err := clearLeftovers(dir, base); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, tempPrefix(base))
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s was replaced, but its folder could not be flushed to disk: %w", path, err)
	}
	return nil
}

// target is the file that writing path replaces: path itself, or the
// file its links lead to, which must lie inside the knowledge base (the
// loader refuses to read a link out of it, too).
func (w *Writer) target(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if !within(w.abs, abs) {
		return "", fmt.Errorf("%s is not inside the knowledge base %s; mailkb writes only there", path, w.root)
	}
	var real string
	st, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// A new file: its folder decides where it goes.
		dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil {
			return "", err
		}
		real = filepath.Join(dir, filepath.Base(abs))
	case err != nil:
		return "", err
	default:
		if real, err = filepath.EvalSymlinks(abs); err != nil {
			if st.Mode()&fs.ModeSymlink != 0 {
				dest, _ := os.Readlink(abs)
				return "", fmt.Errorf("%s is a link to %s, which cannot be followed (%v); make the link point to the file, or replace it with the file", path, dest, err)
			}
			return "", err
		}
	}
	if !within(w.real, real) {
		return "", fmt.Errorf("%s leads through a link to %s, outside the knowledge base %s; mailkb writes only inside it: "+
			"replace the link with the file, or link to a file inside the knowledge base", path, real, w.root)
	}
	if st, err := os.Stat(real); err == nil && !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file (%s); mailkb writes only regular files", path, st.Mode().Type())
	}
	return real, nil
}

// within reports whether path is root or lies under it.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// tempPrefix starts the name of the temp file a write of base goes
// through; os.CreateTemp adds digits. The leading dot keeps it out of the
// loader's *.yaml and of listings.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// clearLeftovers removes the temp files that writes of base were killed
// before renaming: regular files named by tempPrefix and digits only, so
// that nothing mailkb did not write is touched. The caller holds the lock,
// so no other write of base is under way.
func clearLeftovers(dir, base string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		digits, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// syncDir makes a rename in dir durable. Some file systems cannot sync a
// folder (EINVAL); there the rename is as durable as they make it.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
