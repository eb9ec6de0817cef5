package site

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
)

// sessionEdit is one change between two builds of a Session.
type sessionEdit struct {
	name, file, old, new string
	maxRendered          int // pages rendered again, at most; < 0: fewer than the site has
}

// checkSession builds root in a Session, then after each edit checks that
// no more than the affected pages were rendered and that what was
// published equals a fresh build.
func checkSession(t *testing.T, root string, opts Options, edits []sessionEdit) {
	t.Helper()
	out := filepath.Join(root, "public")
	opts.Root, opts.Out = root, out
	s := NewSession(opts)
	first, _, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if first.Reused != 0 {
		t.Errorf("first build reused %d pages", first.Reused)
	}
	for _, e := range edits {
		if e.file != "" {
			kbtest.Edit(t, filepath.Join(root, e.file), e.old, e.new)
		}
		res, _, err := s.Build()
		if err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		most := e.maxRendered
		if most < 0 {
			most = res.Pages - 1
		}
		if res.Rendered > most || (res.Reused == 0 && res.Pages > 0) {
			t.Errorf("%s: rendered %d of %d pages (at most %d wanted), reused %d", e.name, res.Rendered, res.Pages, most, res.Reused)
		}
		t.Logf("%s: rendered %d of %d, reused %d", e.name, res.Rendered, res.Pages, res.Reused)
		fresh := filepath.Join(t.TempDir(), "fresh")
		freshOpts := opts
		freshOpts.Out = fresh
		if _, err := Build(freshOpts); err != nil {
			t.Fatal(err)
		}
		got, want := snapshot(t, out), snapshot(t, fresh)
		if len(got) != len(want) {
			t.Errorf("%s: %d files published, a fresh build has %d", e.name, len(got), len(want))
		}
		for p, body := range want {
			rel, _ := filepath.Rel(fresh, p)
			if got[filepath.Join(out, rel)] != body {
				t.Errorf("%s: %s differs from a fresh build", e.name, rel)
			}
		}
	}
}

// TestSessionRebuildsWhatChanged edits the golden knowledge base, whose
// pages the test knows, and checks after each edit that only the affected
// pages were rendered again.
func TestSessionRebuildsWhatChanged(t *testing.T) {
	checkSession(t, goldenKB(t), Options{Now: goldenDay}, []sessionEdit{
		{"nothing changed", "", "", "", 0},
		// Its 3 pages (Wren IMAP and POP3, Kestrel IMAP) and the pages that
		// list guides: the guides index, the client, both providers, the
		// search page and the home page.
		{"one guide's prose", "content/guides/newmail.md", "finds most settings itself.", "finds most settings itself. An extra sentence.", 9},
		// Kestrel's page, its 3 years, its guide, its 2 hosts and embeds,
		// and the listings that show its summary or servers.
		{"one provider's data", "data/providers/kestrel.yaml", "summary: A made-up", "summary: Edited. A made-up", 20},
		{"a provider's name reaches every page that shows it", "data/providers/kestrel.yaml", "name: Kestrel Post", "name: Kestrel Post Office", 40},
	})
}

// TestSessionOnBundledCopy edits a copy of the bundled knowledge base —
// the first guide and the first provider, whatever they are — and checks
// that each rebuild reuses pages and publishes what a fresh build does.
func TestSessionOnBundledCopy(t *testing.T) {
	root := kbtest.CopyBundled(t)
	day := kbtest.Day(t, root)
	kb, err := loader.Load(root, loader.WithToday(day))
	if err != nil {
		t.Fatal(err)
	}
	guides, _ := filepath.Glob(filepath.Join(root, "content", "guides", "*.md"))
	sort.Strings(guides)
	if len(guides) == 0 || len(kb.Providers) == 0 {
		t.Fatal("the bundled knowledge base has no guide or no provider")
	}
	guide, _ := filepath.Rel(root, guides[0])
	provider, _ := filepath.Rel(root, kb.Providers[0].File)
	name := kb.Providers[0].Name
	checkSession(t, root, Options{Now: day}, []sessionEdit{
		{"nothing changed", "", "", "", 0},
		{"one guide's prose", guide, "\n\n", "\n\nAn extra sentence.\n\n", -1},
		{"one provider's name", provider, "name: " + name, "name: " + name + " (edited)", -1},
	})
}

// TestSessionReportsPublishErrors: when the output cannot be written, the
// build says so instead of reporting success.
func TestSessionReportsPublishErrors(t *testing.T) {
	root := goldenKB(t)
	out := filepath.Join(root, "public")
	if err := os.WriteFile(out, []byte("a file where the site should go"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewSession(Options{Root: root, Out: out, Now: goldenDay}).Build(); err == nil {
		t.Fatal("a build into a file reported success")
	}
}
