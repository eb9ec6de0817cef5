package site

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailkb/generator/kbtest"
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
