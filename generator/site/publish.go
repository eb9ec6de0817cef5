package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Publish makes out hold exactly files. A build that fails never gets
// here, so bad input leaves out as it was. A first build writes into a
// fresh folder beside out and renames it into place. Later builds update
// out in place: only files whose bytes changed are written, each first to
// a temp file beside it; only when every one is written are they renamed
// over the old ones (a disk-full error removes the temp files and leaves
// out untouched), and files the site no longer has are removed last.
func Publish(out string, files map[string][]byte) error {
	out = filepath.Clean(out)
	names := make([]string, 0, len(files))
	for name := range files {
		if strings.Contains(name, "..") || path.IsAbs(name) {
			return fmt.Errorf("refusing to write %q outside the output folder", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return syncInPlace(out, names, files)
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // no-op once renamed
	if err := makeDirs(tmp, names); err != nil {
		return err
	}
	err = forEach(names, func(_ int, name string) error {
		return os.WriteFile(filepath.Join(tmp, filepath.FromSlash(name)), files[name], 0o644)
	})
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// syncInPlace brings an existing out up to date, writing only what changed.
func syncInPlace(out string, names []string, files map[string][]byte) error {
	if err := makeDirs(out, names); err != nil {
		return err
	}
	changed := make([]bool, len(names))
	err := forEach(names, func(i int, name string) error {
		dst := filepath.Join(out, filepath.FromSlash(name))
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, files[name]) {
			return nil
		}
		changed[i] = true
		return os.WriteFile(dst+stagingSuffix, files[name], 0o644)
	})
	if err != nil {
		for i, name := range names {
			if changed[i] {
				os.Remove(filepath.Join(out, filepath.FromSlash(name)) + stagingSuffix)
			}
		}
		return err
	}
	for i, name := range names {
		if changed[i] {
			dst := filepath.Join(out, filepath.FromSlash(name))
			if err := os.Rename(dst+stagingSuffix, dst); err != nil {
				return err
			}
		}
	}
	return prune(out, files)
}

// stagingSuffix marks a file written but not yet renamed into place.
const stagingSuffix = ".mailkb-new"

// prune removes files (and then empty folders) that files does not have.
func prune(out string, files map[string][]byte) error {
	var dirs []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(out, p)
		if err != nil || rel == "." {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		if _, keep := files[filepath.ToSlash(rel)]; !keep {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, as intended, unless empty
	}
	return nil
}

// makeDirs creates every folder the files need, each once, a few at a
// time (MkdirAll copes with a parent another goroutine is making).
func makeDirs(root string, names []string) error {
	made := map[string]bool{}
	var dirs []string
	for _, name := range names {
		if dir := path.Dir(name); dir != "." && !made[dir] {
			made[dir] = true
			dirs = append(dirs, dir)
		}
	}
	return forEach(dirs, func(_ int, dir string) error {
		return os.MkdirAll(filepath.Join(root, filepath.FromSlash(dir)), 0o755)
	})
}

// writers is how many files are written at once: the disk, not the CPU,
// is the limit, and a few requests in flight keep it busy.
const writers = 4

// forEach runs fn for every name (with its index) on a few goroutines and
// returns the first error.
func forEach(names []string, fn func(int, string) error) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	next := make(chan int)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i, names[i]); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}
