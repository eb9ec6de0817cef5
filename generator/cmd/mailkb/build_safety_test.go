package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"mailkb/generator/kbtest"
	"mailkb/generator/publish"
)

// files reads every file under dir (manifests aside) into a map.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == publish.ManifestName {
			return nil
		}
		data, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(data)
		return nil
	})
	return out
}

// TestBuildRefusesToClobber: --out pointed at a folder mailkb must not
// empty or hide is refused, exit 1, with nothing written anywhere.
func TestBuildRefusesToClobber(t *testing.T) {
	root := kbtest.CopyBundled(t)
	pinToday(t, root)
	home := t.TempDir()
	t.Setenv("HOME", home)
	kbtest.WriteInto(t, home, map[string]string{"Documents/letter.txt": "dear", ".profile": "x"})
	tests := []struct{ name, out, want string }{
		{"the project", root, "knowledge base folder itself"},
		{"a parent of the project", filepath.Dir(root), "holds the knowledge base"},
		{"home", home, "home folder"},
		{"a folder of the user's", filepath.Join(home, "Documents"), "not made by mailkb"},
		{"the file system root", "/", "root of the file system"},
		{"data/", filepath.Join(root, "data"), "inside the knowledge base's data/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			beforeRoot, beforeHome := files(t, root), files(t, home)
			code, out, errs := mailkb(t, "build", "--root", root, "--out", tt.out)
			if code != 1 || !strings.Contains(errs, tt.want) || strings.Contains(out, "built") {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and %q", code, out, errs, tt.want)
			}
			if got := files(t, root); len(got) != len(beforeRoot) {
				t.Errorf("the knowledge base has %d files, had %d", len(got), len(beforeRoot))
			}
			if got := files(t, home); len(got) != len(beforeHome) || got["Documents/letter.txt"] != "dear" {
				t.Errorf("the home folder changed: %v", got)
			}
		})
	}
}

// TestTwoBuildsAtOnce: builds into one folder take turns; the folder ends
// as one whole site, the same as a single build's.
func TestTwoBuildsAtOnce(t *testing.T) {
	root := kbtest.CopyBundled(t)
	pinToday(t, root)
	out := filepath.Join(t.TempDir(), "site")
	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, _ = mailkb(t, "build", "--root", root, "--out", out)
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 0 {
			t.Errorf("build %d: exit %d", i, c)
		}
	}
	single := filepath.Join(t.TempDir(), "single")
	if code, _, errs := mailkb(t, "build", "--root", root, "--out", single); code != 0 {
		t.Fatal(errs)
	}
	got, want := files(t, out), files(t, single)
	if len(got) != len(want) {
		t.Fatalf("%d files after concurrent builds, a single build makes %d", len(got), len(want))
	}
	for name, data := range want {
		if got[name] != data {
			t.Errorf("%s differs from a single build's", name)
		}
	}
}
