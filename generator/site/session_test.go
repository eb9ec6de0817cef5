package site

import (
	"os"
	"path/filepath"
	"testing"

	"mailkb/generator/kbtest"
)

// TestSessionRebuildsWhatChanged edits a copy of the bundled site and
// checks after each edit that only the affected pages were rendered, and
// that what was published equals a fresh build.
func TestSessionRebuildsWhatChanged(t *testing.T) {
	root := kbtest.CopyBundled(t)
	out := filepath.Join(root, "public")
	s := NewSession(Options{Root: root, Out: out, Now: buildDay})
	first, _, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if first.Reused != 0 {
		t.Errorf("first build reused %d pages", first.Reused)
	}
	edits := []struct {
		name, file, old, new string
		maxRendered          int // pages rendered again, at most
	}{
		{"nothing changed", "", "", "", 0},
		{"one guide's prose", "content/guides/thunderbird.md", "\n\n", "\n\nAn extra sentence.\n\n", 13}, // its 4 pages (IMAP, POP3 × 2 providers), the 8 listings (search among them) and home
		{"one provider's data", "data/providers/microsoft-365.yaml", "  Microsoft's paid", "  Edited. Microsoft's paid", 30},
		{"a provider's name reaches every page that shows it", "data/providers/microsoft-365.yaml", "name: Microsoft 365", "name: Microsoft 365 business", 100},
	}
	for _, e := range edits {
		if e.file != "" {
			kbtest.Edit(t, filepath.Join(root, e.file), e.old, e.new)
		}
		res, _, err := s.Build()
		if err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		if res.Rendered > e.maxRendered || res.Reused == 0 {
			t.Errorf("%s: rendered %d pages (at most %d wanted), reused %d", e.name, res.Rendered, e.maxRendered, res.Reused)
		}
		fresh := filepath.Join(t.TempDir(), "fresh")
		if _, err := Build(Options{Root: root, Out: fresh, Now: buildDay}); err != nil {
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

// TestSessionReportsPublishErrors: when the output cannot be written, the
// build says so instead of reporting success.
func TestSessionReportsPublishErrors(t *testing.T) {
	root := kbtest.CopyBundled(t)
	out := filepath.Join(root, "public")
	if err := os.WriteFile(out, []byte("a file where the site should go"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewSession(Options{Root: root, Out: out, Now: buildDay}).Build(); err == nil {
		t.Fatal("a build into a file reported success")
	}
}
