package benchcorpus_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mailkb/generator/benchcorpus"
	"mailkb/generator/lint"
	"mailkb/generator/site"
)

// writeDistinct writes a distinct corpus of about n pages into a new
// folder and returns it.
func writeDistinct(t testing.TB, n int) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "kb")
	if err := benchcorpus.WriteDistinct(n, root, filepath.Join("..", "..", "templates")); err != nil {
		t.Fatal(err)
	}
	return root
}

// readTree returns every file under root by slash path.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// filesIn returns the files named *ext directly in dir, by name.
func filesIn(t *testing.T, dir, ext string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, data := range readTree(t, dir) {
		if !strings.Contains(name, "/") && strings.HasSuffix(name, ext) {
			out[name] = data
		}
	}
	return out
}

func TestWriteDistinctIsDeterministic(t *testing.T) {
	for _, n := range []int{1, 260} {
		first, second := readTree(t, writeDistinct(t, n)), readTree(t, writeDistinct(t, n))
		if len(first) != len(second) {
			t.Fatalf("n=%d: %d files, then %d", n, len(first), len(second))
		}
		for name, data := range first {
			if !bytes.Equal(data, second[name]) {
				t.Errorf("n=%d: %s differs between two writes", n, name)
			}
		}
	}
}

// TestWriteDistinctBuilds builds a distinct corpus as `mailkb check` does:
// it must pass lint, come to about the pages asked for, and give every
// article its own page with highlighted code and its provider's settings.
func TestWriteDistinctBuilds(t *testing.T) {
	const n = 300
	root := writeDistinct(t, n)
	files, findings, err := site.Check(site.Options{Root: root, Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if errs := lint.Errors(findings); len(errs) > 0 {
		t.Fatalf("lint errors:\n%v", errs.Err())
	}
	pages := 0
	for p := range files {
		if strings.HasSuffix(p, ".html") {
			pages++
		}
	}
	if pages < n*95/100 || pages > n*105/100 {
		t.Errorf("asked for about %d pages, built %d", n, pages)
	}
	sources := filesIn(t, filepath.Join(root, "content", "articles"), ".md")
	if len(sources) != benchcorpus.Articles(n) {
		t.Fatalf("want %d articles, wrote %d", benchcorpus.Articles(n), len(sources))
	}
	for name := range sources {
		page := "articles/" + strings.TrimSuffix(name, ".md") + "/index.html"
		html, ok := files[page]
		if !ok {
			t.Errorf("%s: no page %s", name, page)
			continue
		}
		for _, want := range []string{`class="chroma"`, `<table class="settings">`, "<blockquote>", "<ol>", "<ul>"} {
			if !bytes.Contains(html, []byte(want)) {
				t.Errorf("%s has no %s", page, want)
			}
		}
	}
}

func TestWriteDistinctArticlesDiffer(t *testing.T) {
	sources := filesIn(t, filepath.Join(writeDistinct(t, 400), "content", "articles"), ".md")
	seen := map[string]string{}
	for name, src := range sources {
		parts := strings.SplitN(string(src), "---\n", 3)
		if len(parts) != 3 {
			t.Fatalf("%s has no front matter", name)
		}
		if other, ok := seen[parts[2]]; ok {
			t.Errorf("%s and %s have the same body", name, other)
		}
		seen[parts[2]] = name
	}
}

// TestWriteDistinctHugoTree checks that the Hugo site holds the same
// articles and provider data as the knowledge base, byte for byte.
func TestWriteDistinctHugoTree(t *testing.T) {
	root := writeDistinct(t, 250)
	for sub, ext := range map[string]string{"content/articles": ".md", "data/providers": ".yaml"} {
		kb, hugo := filesIn(t, filepath.Join(root, sub), ext), filesIn(t, filepath.Join(root, "hugo", sub), ext)
		if len(kb) == 0 {
			t.Fatalf("no files in %s", sub)
		}
		names := func(m map[string][]byte) []string {
			var out []string
			for k := range m {
				out = append(out, k)
			}
			slices.Sort(out)
			return out
		}
		if !slices.Equal(names(kb), names(hugo)) {
			t.Fatalf("%s: knowledge base has %v, Hugo site %v", sub, names(kb), names(hugo))
		}
		for name, data := range kb {
			if !bytes.Equal(data, hugo[name]) {
				t.Errorf("%s/%s differs in the Hugo site", sub, name)
			}
		}
	}
	for _, f := range []string{"hugo.toml", "layouts/shortcodes/settings.html", "layouts/_default/single.html", "content/_index.md"} {
		if _, err := os.Stat(filepath.Join(root, "hugo", f)); err != nil {
			t.Errorf("Hugo site lacks %s: %v", f, err)
		}
	}
}
