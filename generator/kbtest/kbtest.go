// Package kbtest gives tests knowledge bases to work on: copies of the
// bundled one that a test may edit or break, and small ones written from
// strings, each in its own temp folder. Only tests import it.
package kbtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// RepoRoot is the folder holding the bundled data/, content/ and templates/.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// CopyBundled copies the bundled knowledge base's folders (default: data,
// content and templates) into a new temp folder and returns it.
func CopyBundled(t testing.TB, dirs ...string) string {
	t.Helper()
	if len(dirs) == 0 {
		dirs = []string{"data", "content", "templates"}
	}
	root := t.TempDir()
	for _, dir := range dirs {
		if err := CopyTree(filepath.Join(RepoRoot(), dir), filepath.Join(root, dir)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Write writes name → content (slash paths) into a new temp folder and
// returns it.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	return WriteInto(t, t.TempDir(), files)
}

// WriteInto writes name → content (slash paths) under root and returns
// root.
func WriteInto(t testing.TB, root string, files map[string]string) string {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Edit replaces the first old with new in a file, failing the test when
// old is not there (the test has gone stale).
func Edit(t testing.TB, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%q not in %s", old, file)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// CopyTree copies the files under src to dst.
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
}
