package yamledit

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tree is every entry under a folder: its kind, permissions and content
// (a link's destination), to show that a refused write changed nothing.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			dest, err := os.Readlink(p)
			out[rel] = "link → " + dest
			return err
		case !info.Mode().IsRegular():
			out[rel] = info.Mode().String()
		default:
			data, err := os.ReadFile(p)
			out[rel] = info.Mode().String() + " " + string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed: %q → %q", k, v, after[k])
		}
	}
	for k, v := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s appeared: %q", k, v)
		}
	}
}

func lock(t *testing.T, root string) *Writer {
	t.Helper()
	w, err := Lock(context.Background(), root, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Release() })
	return w
}

// setup makes <tmp>/kb/data/providers and <tmp>/outside, and returns kb.
func setup(t *testing.T) (kb, outside string) {
	t.Helper()
	base := t.TempDir()
	kb, outside = filepath.Join(base, "kb"), filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(kb, "data", "providers"), filepath.Join(kb, "shared"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return kb, outside
}

func write(t *testing.T, path, data string, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, dest, name string) {
	t.Helper()
	if err := os.Symlink(dest, name); err != nil {
		t.Fatal(err)
	}
}

// WriteFile replaces a file, or the file a link inside the knowledge base
// leads to, keeping its mode and the link.
func TestWriteFile(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, kb string) // makes data/providers/a.yaml
		target  string                        // the regular file that must get the bytes
	}{
		{"regular file", func(t *testing.T, kb string) {
			write(t, filepath.Join(kb, "data/providers/a.yaml"), "old", 0o640)
		}, "data/providers/a.yaml"},
		{"new file", func(t *testing.T, kb string) {}, "data/providers/a.yaml"},
		{"relative link", func(t *testing.T, kb string) {
			write(t, filepath.Join(kb, "shared/a.yaml"), "old", 0o640)
			link(t, "../../shared/a.yaml", filepath.Join(kb, "data/providers/a.yaml"))
		}, "shared/a.yaml"},
		{"absolute link to a link", func(t *testing.T, kb string) {
			write(t, filepath.Join(kb, "shared/real.yaml"), "old", 0o600)
			link(t, "real.yaml", filepath.Join(kb, "shared/a.yaml"))
			link(t, filepath.Join(kb, "shared/a.yaml"), filepath.Join(kb, "data/providers/a.yaml"))
		}, "shared/real.yaml"},
		{"linked folder", func(t *testing.T, kb string) {
			write(t, filepath.Join(kb, "shared/a.yaml"), "old", 0o640)
			if err := os.Remove(filepath.Join(kb, "data/providers")); err != nil {
				t.Fatal(err)
			}
			link(t, "../shared", filepath.Join(kb, "data/providers"))
		}, "shared/a.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb, _ := setup(t)
			tt.prepare(t, kb)
			target := filepath.Join(kb, tt.target)
			wantMode := fs.FileMode(0o644)
			if st, err := os.Stat(target); err == nil {
				wantMode = st.Mode().Perm()
			}
			name := filepath.Join(kb, "data/providers/a.yaml")
			linkBefore, _ := os.Readlink(name)

			if err := lock(t, kb).WriteFile(name, []byte("new")); err != nil {
				t.Fatal(err)
			}
			if data, _ := os.ReadFile(target); string(data) != "new" {
				t.Errorf("%s holds %q, want the new bytes", tt.target, data)
			}
			if st, _ := os.Lstat(target); !st.Mode().IsRegular() || st.Mode().Perm() != wantMode {
				t.Errorf("%s is %v, want a regular file with mode %v", tt.target, st.Mode(), wantMode)
			}
			if linkAfter, _ := os.Readlink(name); linkAfter != linkBefore {
				t.Errorf("the link changed from %q to %q", linkBefore, linkAfter)
			}
			entries, _ := os.ReadDir(filepath.Dir(target))
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") {
					t.Errorf("temp file %s left behind", e.Name())
				}
			}
		})
	}
}

// A write that would leave the knowledge base, or replace what is not a
// regular file, is refused and changes nothing, inside or outside.
func TestWriteFileRefuses(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, kb, outside string) string // returns the path to write
		want    string
	}{
		{"link out of the knowledge base", func(t *testing.T, kb, outside string) string {
			write(t, filepath.Join(outside, "a.yaml"), "theirs", 0o644)
			link(t, filepath.Join(outside, "a.yaml"), filepath.Join(kb, "data/providers/a.yaml"))
			return filepath.Join(kb, "data/providers/a.yaml")
		}, "outside the knowledge base"},
		{"relative link out", func(t *testing.T, kb, outside string) string {
			write(t, filepath.Join(outside, "a.yaml"), "theirs", 0o644)
			link(t, "../../../outside/a.yaml", filepath.Join(kb, "data/providers/a.yaml"))
			return filepath.Join(kb, "data/providers/a.yaml")
		}, "outside the knowledge base"},
		{"folder linked out", func(t *testing.T, kb, outside string) string {
			write(t, filepath.Join(outside, "a.yaml"), "theirs", 0o644)
			if err := os.Remove(filepath.Join(kb, "data/providers")); err != nil {
				t.Fatal(err)
			}
			link(t, outside, filepath.Join(kb, "data/providers"))
			return filepath.Join(kb, "data/providers/a.yaml")
		}, "outside the knowledge base"},
		{"new file in a folder linked out", func(t *testing.T, kb, outside string) string {
			if err := os.Remove(filepath.Join(kb, "data/providers")); err != nil {
				t.Fatal(err)
			}
			link(t, outside, filepath.Join(kb, "data/providers"))
			return filepath.Join(kb, "data/providers/new.yaml")
		}, "outside the knowledge base"},
		{"dangling link", func(t *testing.T, kb, outside string) string {
			link(t, "gone.yaml", filepath.Join(kb, "data/providers/a.yaml"))
			return filepath.Join(kb, "data/providers/a.yaml")
		}, "is a link to gone.yaml, which cannot be followed"},
		{"a folder", func(t *testing.T, kb, outside string) string {
			if err := os.Mkdir(filepath.Join(kb, "data/providers/a.yaml"), 0o755); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(kb, "data/providers/a.yaml")
		}, "is not a regular file"},
		{"a path outside", func(t *testing.T, kb, outside string) string {
			return filepath.Join(outside, "a.yaml")
		}, "is not inside the knowledge base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb, outside := setup(t)
			path := tt.prepare(t, kb, outside)
			base := filepath.Dir(kb)
			before := tree(t, base)
			err := lock(t, kb).WriteFile(path, []byte("new"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
			sameTree(t, before, tree(t, base))
		})
	}
}

// A temp file left by a write that was killed before its rename goes with
// the next write of that file; nothing else that looks like one does.
func TestWriteFileClearsLeftovers(t *testing.T) {
	kb, _ := setup(t)
	dir := filepath.Join(kb, "data/providers")
	write(t, filepath.Join(dir, "a.yaml"), "old", 0o644)
	leftovers := []string{".a.yaml.tmp-123", ".a.yaml.tmp-4294967295"}
	kept := []string{".a.yaml.tmp-", ".a.yaml.tmp-12x", ".b.yaml.tmp-123", "a.yaml.tmp-123", ".a.yaml.tmp-9/"}
	for _, n := range leftovers {
		write(t, filepath.Join(dir, n), "half", 0o600)
	}
	// One made the way a write makes its temp file, so that the test
	// follows the name a killed write really leaves.
	killed, err := os.CreateTemp(dir, tempPrefix("a.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	killed.Close()
	leftovers = append(leftovers, filepath.Base(killed.Name()))
	for _, n := range kept {
		if strings.HasSuffix(n, "/") {
			if err := os.Mkdir(filepath.Join(dir, n), 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		write(t, filepath.Join(dir, n), "someone's", 0o600)
	}
	if err := lock(t, kb).WriteFile(filepath.Join(dir, "a.yaml"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, n := range leftovers {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			t.Errorf("leftover %s was not cleared", n)
		}
	}
	for _, n := range kept {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s is not a leftover of a.yaml, but it was removed", n)
		}
	}
}

// A Writer writes only while it holds the lock, and a second Lock waits
// for it, saying so once.
func TestLock(t *testing.T) {
	kb, _ := setup(t)
	first := lock(t, kb)
	waited := 0
	got := make(chan *Writer)
	go func() {
		w, err := Lock(context.Background(), kb, func() { waited++ })
		if err != nil {
			t.Error(err)
		}
		got <- w
	}()
	select {
	case <-got:
		t.Fatal("a second Lock got the lock while the first held it")
	case <-time.After(200 * time.Millisecond):
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	if err := first.WriteFile(filepath.Join(kb, "data/providers/a.yaml"), []byte("x")); err == nil || !strings.Contains(err.Error(), "lock is not held") {
		t.Errorf("a released Writer wrote: %v", err)
	}
	second := <-got
	defer second.Release()
	if waited != 1 {
		t.Errorf("waiting called %d times, want 1", waited)
	}
	if _, err := Lock(context.Background(), t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "no data/ folder here") {
		t.Errorf("Lock without data/: %v", err)
	}
}
