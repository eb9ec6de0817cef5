package devserver

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"mailkb/generator/kbtest"
)

// TestWatchFollowsReplacedFolders replaces a watched folder while the
// server runs, the ways people and tools do; the rebuild picks up the new
// folder, and later edits deep inside it are seen too.
func TestWatchFollowsReplacedFolders(t *testing.T) {
	renameIntoPlace := func(t *testing.T, dir, fresh string) {
		if err := os.Rename(dir, dir+".old"); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(fresh, dir); err != nil {
			t.Fatal(err)
		}
	}
	removeAndWrite := func(t *testing.T, dir, fresh string) { // as git checkout or rsync --delete might
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := kbtest.CopyTree(fresh, dir); err != nil {
			t.Fatal(err)
		}
	}
	summary := func(mark string) string { return "summary: " + mark }
	caption := func(mark string) string { return `<table class="history"><caption>` + mark + `</caption>` }
	tests := []struct {
		name      string
		dir, file string                   // the folder replaced, a file in a subfolder of it
		old       string                   // text in file
		marked    func(mark string) string // what old becomes to show mark on the provider page
		replace   func(t *testing.T, dir, fresh string)
		beside    bool // the new folder is made beside the old one, not outside the root
	}{
		{"data renamed into place", "data", "providers/acme.yaml", "summary: A test provider.", summary, renameIntoPlace, true},
		{"data removed and written anew", "data", "providers/acme.yaml", "summary: A test provider.", summary, removeAndWrite, false},
		{"templates renamed into place", "templates", "partials/endpoint-history.html", `<table class="history">`, caption, renameIntoPlace, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := smallKB(t)
			s, ts := newServer(t, root)
			watch(t, s)
			dir := filepath.Join(root, tt.dir)
			fresh := filepath.Join(t.TempDir(), tt.dir)
			if tt.beside {
				fresh = dir + ".new"
			}
			if err := kbtest.CopyTree(dir, fresh); err != nil {
				t.Fatal(err)
			}
			kbtest.Edit(t, filepath.Join(fresh, tt.file), tt.old, tt.marked("in the new folder"))
			tt.replace(t, dir, fresh)
			untilServed(t, s, ts.URL+providerPage, "in the new folder")

			kbtest.Edit(t, filepath.Join(dir, tt.file), tt.marked("in the new folder"), tt.marked("edited later"))
			untilServed(t, s, ts.URL+providerPage, "edited later")
		})
	}
}

// TestScratchFilesDoNotBuild: editors' scratch files, hidden folders and
// folders beside the watched ones change nothing; a real edit after them
// is still seen.
func TestScratchFilesDoNotBuild(t *testing.T) {
	root := smallKB(t)
	s, ts := newServer(t, root)
	watch(t, s)
	before := s.Version()
	kbtest.WriteInto(t, root, map[string]string{
		"data/providers/.#acme.yaml":       "lock",
		"data/providers/acme.yaml~":        "backup",
		"data/providers/#acme.yaml#":       "autosave",
		"data/providers/.acme.yaml.swp":    "swap",
		"data/.git/objects/ab/cdef":        "object",
		"content/.obsidian/workspace.json": "hidden folder",
		"templates/.cache/base.html":       "hidden folder",
		"data.old/providers/acme.yaml":     "beside the watched folders",
		"notes.md":                         "at the root",
	})
	kbtest.Edit(t, filepath.Join(root, "data/.git/objects/ab/cdef"), "object", "object, changed")
	// Ten times the debounce: long enough for a build, were any of that to
	// trigger one. Were it too short the test could only pass wrongly,
	// never fail.
	time.Sleep(10 * s.debounce)
	if v := s.Version(); v != before {
		t.Errorf("%d builds after scratch files only", v-before)
	}
	kbtest.Edit(t, filepath.Join(root, acme), "summary: A test provider.", "summary: A real edit.")
	untilServed(t, s, ts.URL+providerPage, "A real edit.")
}

func TestMatters(t *testing.T) {
	root := filepath.Join("kb", "root")
	tests := []struct {
		path string
		want bool
	}{
		{"data", true},
		{"data/providers/acme.yaml", true},
		{"content/guides/x.md", true},
		{"templates/partials/cite.html", true},
		{"data/providers/.#acme.yaml", false},
		{"data/providers/acme.yaml~", false},
		{"data/providers/#acme.yaml#", false},
		{"data/providers/.acme.yaml.swp", false},
		{"data/providers/4913", false},
		{"data/providers/acme.yaml.tmp", false},
		{"data/.git/HEAD", false},
		{"content/.hidden/guide.md", false},
		{"data.old/providers/acme.yaml", false},
		{"public/index.html", false},
		{"README.md", false},
		{".", false},
		{"..", false},
		{"../data/x.yaml", false},
	}
	s := &Server{root: root}
	for _, tt := range tests {
		if got := s.matters(filepath.Join(root, filepath.FromSlash(tt.path))); got != tt.want {
			t.Errorf("matters(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
}
