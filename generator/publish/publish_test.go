package publish

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// tree reads every file under dir (manifest included) into a map.
func tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// site turns name → content strings into a file set.
func site(kv ...string) map[string][]byte {
	files := map[string][]byte{}
	for i := 0; i+1 < len(kv); i += 2 {
		files[kv[i]] = []byte(kv[i+1])
	}
	return files
}

// holds reports whether dir holds exactly files (besides the manifest).
func holds(t testing.TB, dir string, files map[string][]byte) error {
	t.Helper()
	got := tree(t, dir)
	if _, ok := got[ManifestName]; !ok {
		return fmt.Errorf("no manifest in %s", dir)
	}
	delete(got, ManifestName)
	var diffs []string
	for name, data := range files {
		if g, ok := got[name]; !ok || g != string(data) {
			diffs = append(diffs, "missing or different: "+name)
		}
	}
	for name := range got {
		if _, ok := files[name]; !ok {
			diffs = append(diffs, "extra: "+name)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		return fmt.Errorf("%s", strings.Join(diffs, "; "))
	}
	return nil
}

func TestPublishCreatesUpdatesAndPrunes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	target, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := site("index.html", "home", "a/index.html", "A", "t", "a file that becomes a folder", "gone/x.css", "x")
	stats, err := target.Publish(first)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Written != 4 {
		t.Errorf("first publish wrote %d files, want 4", stats.Written)
	}
	if err := holds(t, out, first); err != nil {
		t.Fatal(err)
	}
	second := site("index.html", "home", "a/index.html", "A changed", "t/x.html", "now a folder", "new.txt", "n")
	if _, err := target.Publish(second); err != nil {
		t.Fatal(err)
	}
	if err := holds(t, out, second); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "gone")); !os.IsNotExist(err) {
		t.Errorf("the emptied folder gone/ is still there")
	}
	// A new Target (a new process) knows the folder from its manifest, and
	// a third publish writes only what differs from the spare.
	third := site("index.html", "home", "a/index.html", "A changed", "t/x.html", "now a folder", "new.txt", "n2")
	stats, err = Publish(out, third, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := holds(t, out, third); err != nil {
		t.Fatal(err)
	}
	// The spare held the first site: index.html is unchanged since then.
	if stats.Unchanged != 1 || stats.Written != 3 {
		t.Errorf("third publish: %+v, want 1 unchanged and 3 written", stats)
	}
}

func TestRefusals(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	project := t.TempDir()
	for _, d := range []string{"data", "content", "templates"} {
		os.MkdirAll(filepath.Join(project, d), 0o755)
	}
	os.WriteFile(filepath.Join(project, "data", "site.yaml"), []byte("title: x\n"), 0o644)
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "letter.txt"), []byte("mine"), 0o644)
	aFile := filepath.Join(t.TempDir(), "file")
	os.WriteFile(aFile, []byte("x"), 0o644)
	dangling := filepath.Join(t.TempDir(), "link")
	os.Symlink(filepath.Join(t.TempDir(), "nowhere"), dangling)

	tests := []struct {
		name, out, want string
	}{
		{"root of the file system", "/", "root of the file system"},
		{"home", home, "home folder"},
		{"the project", project, "knowledge base folder itself"},
		{"a parent of the project", filepath.Dir(project), "holds the knowledge base"},
		{"inside data", filepath.Join(project, "data", "out"), "inside the knowledge base's data/"},
		{"inside templates", filepath.Join(project, "templates"), "inside the knowledge base's templates/"},
		{"a foreign folder", foreign, "not made by mailkb"},
		{"a file", aFile, "is a file, not a folder"},
		{"a dangling link", dangling, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tree(t, project)
			_, err := Publish(tt.out, site("index.html", "x"), Options{Project: project})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if after := tree(t, project); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the project changed")
			}
			if got := tree(t, foreign); len(got) != 1 || got["letter.txt"] != "mine" {
				t.Errorf("the foreign folder changed: %v", got)
			}
		})
	}
}

// Files mailkb did not write are never removed or hidden: a build refuses
// to swap them away.
func TestForeignFileInOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Publish(out, site("index.html", "v1"), Options{}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(out, "CNAME"), []byte("example.org"), 0o644)
	_, err := Publish(out, site("index.html", "v2"), Options{})
	if err == nil || !strings.Contains(err.Error(), "CNAME") || !strings.Contains(err.Error(), "templates/static/") {
		t.Fatalf("err = %v, want a refusal naming CNAME", err)
	}
	if got := tree(t, out); got["index.html"] != "v1" || got["CNAME"] != "example.org" {
		t.Errorf("the output changed: %v", got)
	}
}

// A failed publish (a name the file system refuses, a file that must
// become a folder in the middle of the names) leaves the output as it was
// and says so truthfully; the next good publish goes through.
func TestFailedPublishLeavesOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	good := site("index.html", "v1", "css/site.css", "body{}")
	if _, err := Publish(out, good, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []map[string][]byte{
		site("index.html", "v2", strings.Repeat("x", 300)+".html", "long"),
		site("index.html", "v2", "a", "file", "a/b", "folder"),
		site("index.html", "v2", "../escape", "x"),
		site("index.html", "v2", ManifestName, "forged"),
	} {
		if _, err := Publish(out, bad, Options{}); err == nil {
			t.Errorf("published %v", bad)
		}
		if err := holds(t, out, good); err != nil {
			t.Fatalf("after a failed publish: %v", err)
		}
	}
	// A write that fails half-way through (a folder where a file must go
	// in the spare) is also all-or-nothing.
	spare := filepath.Join(filepath.Dir(out), ".public.mailkb", "spare")
	os.MkdirAll(filepath.Join(spare, "blocker.html", "sub"), 0o755)
	os.WriteFile(filepath.Join(spare, "blocker.html", "sub", "f"), []byte("x"), 0o644)
	next := site("index.html", "v3", "css/site.css", "body{}", "blocker.html", "page")
	if _, err := Publish(out, next, Options{}); err != nil {
		// Either the spare was rebuilt from scratch (fine) or the write
		// failed; in both cases the output is one whole site.
		if err := holds(t, out, good); err != nil {
			t.Fatal(err)
		}
	} else if err := holds(t, out, next); err != nil {
		t.Fatal(err)
	}
}

// A link to a folder is published through: the link stays, the folder it
// names gets the site and is pruned like any other.
func TestOutputIsALink(t *testing.T) {
	real := filepath.Join(t.TempDir(), "www")
	link := filepath.Join(t.TempDir(), "public")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Publish(link, site("old.html", "o", "index.html", "1"), Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Publish(link, site("index.html", "2"), Options{}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	if err := holds(t, real, site("index.html", "2")); err != nil {
		t.Fatal(err)
	}
}

// An empty folder may be used; it needs no manifest.
func TestEmptyFolderIsFree(t *testing.T) {
	out := t.TempDir()
	if _, err := Publish(out, site("index.html", "x"), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := holds(t, out, site("index.html", "x")); err != nil {
		t.Fatal(err)
	}
}

func TestManifestRoundTrip(t *testing.T) {
	g := &generation{token: "abc", files: map[string]entry{
		"index.html": {sum: sumOf([]byte("x")), size: 1}, "a b/ü.html": {sum: sumOf(nil)}}}
	dir := t.TempDir()
	if err := writeAtomic(filepath.Join(dir, ManifestName), g.encode()); err != nil {
		t.Fatal(err)
	}
	back, err := readManifest(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if back.token != "abc" || len(back.files) != 2 || back.files["index.html"].sum != g.files["index.html"].sum {
		t.Errorf("round trip: %+v", back)
	}
	for _, bad := range []string{"", "nope\n", manifestHeader + "\n", manifestHeader + "\ntoken x\nzz 1 a\n", manifestHeader + "\ntoken x\n" + strings.Repeat("0", 32) + " 1 ../x\n"} {
		os.WriteFile(filepath.Join(dir, ManifestName), []byte(bad), 0o644)
		if _, err := readManifest(filepath.Join(dir, ManifestName)); err == nil {
			t.Errorf("read a bad manifest %q", bad)
		}
	}
}

func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(manifestHeader + "\ntoken ab\n" + strings.Repeat("0", 32) + " 3 index.html\n"))
	f.Add([]byte("garbage"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, ManifestName)
		os.WriteFile(p, data, 0o644)
		g, err := readManifest(p)
		if err != nil {
			return
		}
		for name := range g.files {
			if checkName(name) != nil {
				t.Fatalf("accepted the name %q", name)
			}
		}
		if again, err := readManifest(p); err != nil || !bytes.Equal(again.encode(), g.encode()) {
			t.Fatalf("not stable")
		}
	})
}

// An interrupted publish leaves a journal; the next publish clears exactly
// the files the journal and the spare's manifest name, and moves anything
// else it finds in the spare aside instead of deleting it.
func TestRecoveryKeepsWhatIsNotMailkbs(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	a := site("index.html", "a", "x/index.html", "xa")
	b := site("index.html", "b", "y/index.html", "yb")
	for _, s := range []map[string][]byte{a, b} {
		if _, err := Publish(out, s, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	state := filepath.Join(filepath.Dir(out), ".public.mailkb")
	spare := filepath.Join(state, "spare")
	// As if killed mid-update: a journal, a temp file, a half-changed spare.
	os.WriteFile(filepath.Join(state, "journal"), []byte(journalHeader+"\nx/index.html\nz/index.html\n"), 0o644)
	os.MkdirAll(filepath.Join(spare, "z"), 0o755)
	os.WriteFile(filepath.Join(spare, "z", "index.html"+tmpSuffix), []byte("half"), 0o644)
	os.WriteFile(filepath.Join(spare, "notes.txt"), []byte("not mailkb's"), 0o644)

	c := site("index.html", "c")
	stats, err := Publish(out, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := holds(t, out, c); err != nil {
		t.Fatal(err)
	}
	if len(stats.Notes) != 1 || !strings.Contains(stats.Notes[0], "moved") {
		t.Errorf("notes = %q, want one saying the spare was moved aside", stats.Notes)
	}
	kept, _ := filepath.Glob(filepath.Join(state, "kept-*", "notes.txt"))
	if len(kept) != 1 {
		t.Fatalf("notes.txt was not kept: %v", kept)
	}
	if data, _ := os.ReadFile(kept[0]); string(data) != "not mailkb's" {
		t.Errorf("notes.txt changed: %q", data)
	}
	if others, _ := filepath.Glob(filepath.Join(state, "kept-*", "*", "index.html")); len(others) != 0 {
		t.Errorf("mailkb's own files were kept with it: %v", others)
	}
}
