package site

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailkb/generator/kbtest"
	"mailkb/generator/search"
)

var update = flag.Bool("update", false, "rewrite the golden pages in testdata/golden")

// buildDay is the day the tests' own small knowledge bases are built on:
// they are written for it, so that stale notices and guide eras are
// stable.
var buildDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// goldenDay is the day the golden knowledge base is rendered on.
var goldenDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// goldenKB copies testdata/goldenkb, with the repository's templates,
// into a temp folder and returns its root.
func goldenKB(t *testing.T) string {
	t.Helper()
	root := kbtest.CopyBundled(t, "templates")
	if err := kbtest.CopyTree(filepath.Join("testdata", "goldenkb"), root); err != nil {
		t.Fatal(err)
	}
	return root
}

// renderGolden renders the golden knowledge base on its day.
func renderGolden(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := Render(Options{Root: goldenKB(t), Now: goldenDay})
	if err != nil {
		t.Fatalf("the golden knowledge base does not build:\n%v", err)
	}
	return files
}

// goldenPages are the pages compared with reviewed copies: one of each
// kind that shows history, on the golden knowledge base.
var goldenPages = []string{
	"providers/wren/index.html",
	"providers/wren/as-of/2009/index.html",
	"providers/kestrel/index.html",
	"guides/oldmail/wren/pop3/index.html",
	"guides/newmail/wren/imap/index.html",
	"hosts/pop3.wren.example/index.html",
	"hosts/pop3.wren.exmaple/index.html",
	"history/index.html",
}

// TestGolden compares representative pages of the golden knowledge base
// with reviewed copies. Data edits never change them; template edits do,
// on purpose: regenerate with -update and review the diff.
func TestGolden(t *testing.T) {
	files := renderGolden(t)
	if *update {
		if err := os.RemoveAll(filepath.Join("testdata", "golden")); err != nil {
			t.Fatal(err)
		}
	}
	for _, page := range goldenPages {
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(strings.TrimSuffix(page, "/index.html"), "/", "_")+".html")
		if files[page] == nil {
			t.Errorf("the golden knowledge base has no %s", page)
			continue
		}
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, files[page], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./generator/site -run TestGolden -update to create it)", err)
		}
		if !bytes.Equal(files[page], want) {
			t.Errorf("%s differs from %s; if the change is intended, run go test ./generator/site -run TestGolden -update and review the diff", page, golden)
		}
	}
}

// TestGoldenKBChecks runs the checks of real data on the golden knowledge
// base too: it is served from a sub-folder (base_url /kb/), which the
// bundled one is not.
func TestGoldenKBChecks(t *testing.T) { checkRealKB(t, goldenKB(t)) }

// unindexedKinds are the kinds of page the full-text search leaves out:
// those that list others, and the year pages (docs/search.md).
var unindexedKinds = map[string]bool{"home": true, "providers": true, "clients": true, "guides": true,
	"hosts": true, "search": true, "404": true, "as-of": true}

// TestSearchIndexFiles checks the index of the golden site: every page of
// a kind the search covers has its file, every anchor a result can point
// to is in its page, and the runs hold each term once, in order.
func TestSearchIndexFiles(t *testing.T) {
	files := renderGolden(t)
	var idx struct {
		Version int
		Entries []search.Entry
		Text    struct {
			Pages  int
			Chunks []string
			Names  []int
		}
	}
	if err := json.Unmarshal(files["search/index.json"], &idx); err != nil {
		t.Fatal(err)
	}
	if idx.Version != 2 || idx.Text.Pages == 0 || len(idx.Text.Chunks) == 0 || len(idx.Text.Names) != idx.Text.Pages {
		t.Fatalf("index.json: version %d, text %+v", idx.Version, idx.Text)
	}
	indexed := map[string]bool{}
	for i := range idx.Text.Pages {
		var frag struct {
			U, T, K string
			S       [][3]string
		}
		if err := json.Unmarshal(files[fmt.Sprintf("search/p/%d.json", i)], &frag); err != nil {
			t.Fatalf("search/p/%d.json: %v", i, err)
		}
		indexed[frag.U] = true
		page := files[strings.TrimPrefix(frag.U, "/kb/")+"index.html"]
		if page == nil || unindexedKinds[frag.K] || frag.T == "" {
			t.Errorf("page %d: %s, a %q page titled %q", i, frag.U, frag.K, frag.T)
		}
		for _, s := range frag.S {
			if s[0] != "" && !bytes.Contains(page, []byte(`id="`+s[0]+`"`)) {
				t.Errorf("%s: a section points at #%s, which the page lacks", frag.U, s[0])
			}
		}
	}
	for name, data := range files {
		m := bytes.Index(data, []byte(`<body class="kind-`))
		if !strings.HasSuffix(name, "index.html") || m < 0 || bytes.Contains(data, []byte(`name="robots" content="noindex`)) {
			continue
		}
		kind, _, _ := strings.Cut(string(data[m+len(`<body class="kind-`):]), `"`)
		if url := "/kb/" + strings.TrimSuffix(name, "index.html"); !unindexedKinds[kind] && kind != "embed" && !indexed[url] {
			t.Errorf("%s (%s) is not in the index", url, kind)
		}
	}
	seen := map[string]bool{}
	for i, first := range idx.Text.Chunks {
		var run map[string][]int
		if err := json.Unmarshal(files[fmt.Sprintf("search/t/%d.json", i)], &run); err != nil {
			t.Fatalf("search/t/%d.json: %v", i, err)
		}
		for term := range run {
			if term < first || (i+1 < len(idx.Text.Chunks) && term >= idx.Text.Chunks[i+1]) || seen[term] {
				t.Errorf("run %d (from %q) holds %q, outside its range or twice", i, first, term)
			}
			seen[term] = true
		}
	}
	for _, term := range []string{"pop3.wren.exmaple", "wren.example", "pop3", "wren mail"} {
		if !seen[term] {
			t.Errorf("no run holds %q", term)
		}
	}
}
