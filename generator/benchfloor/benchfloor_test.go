package benchfloor_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mailkb/generator/benchcorpus"
	"mailkb/generator/benchfloor"
)

func corpus(t testing.TB, n int) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "kb")
	if err := benchcorpus.WriteDistinct(n, root, filepath.Join("..", "..", "templates")); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestRender renders a small corpus with one worker and with several: a
// page per article, highlighted, with no front matter and no shortcode left.
func TestRender(t *testing.T) {
	const n = 230
	root := corpus(t, n)
	for _, workers := range []int{1, 0, 7} {
		out := filepath.Join(t.TempDir(), "floor")
		pages, err := benchfloor.Render(root, out, workers)
		if err != nil {
			t.Fatal(err)
		}
		if pages != benchcorpus.Articles(n) {
			t.Fatalf("workers=%d: rendered %d pages, want %d", workers, pages, benchcorpus.Articles(n))
		}
		for i := range pages {
			page := filepath.Join(out, "articles", benchcorpus.ArticleSlug(i), "index.html")
			html, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			s := string(html)
			if !strings.Contains(s, `<pre class="chroma">`) || !strings.Contains(s, `<span class="nt">`) {
				t.Errorf("%s: code block not highlighted with classes", page)
			}
			for _, leftover := range []string{"{{<", "provider:", "weight:"} {
				if strings.Contains(s, leftover) {
					t.Errorf("%s still holds %q", page, leftover)
				}
			}
		}
	}
}

// TestRenderRefuses checks that a run that cannot finish says why and
// leaves nothing behind, and never writes into a folder holding files.
func TestRenderRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, root, out string)
		want  string
	}{
		{"out not empty", func(t *testing.T, root, out string) {
			write(t, filepath.Join(out, "keep.txt"), "mine")
		}, "is not empty"},
		{"no articles", func(t *testing.T, root, out string) {
			if err := os.RemoveAll(filepath.Join(root, "content", "articles")); err != nil {
				t.Fatal(err)
			}
		}, "no articles"},
		{"no front matter", func(t *testing.T, root, out string) {
			write(t, filepath.Join(root, "content", "articles", "p00003.md"), "# No front matter\n")
		}, "p00003.md:1:1: no front matter"},
	}
	root := corpus(t, 200)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb := filepath.Join(t.TempDir(), "kb")
			if err := os.CopyFS(kb, os.DirFS(root)); err != nil {
				t.Fatal(err)
			}
			parent := t.TempDir()
			out := filepath.Join(parent, "floor")
			tt.setup(t, kb, out)
			before, _ := os.ReadDir(parent)
			_, err := benchfloor.Render(kb, out, 2)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want an error saying %q, got %v", tt.want, err)
			}
			if after, _ := os.ReadDir(parent); len(after) != len(before) {
				t.Errorf("a failed run left files beside %s: %v", out, after)
			}
			if data, err := os.ReadFile(filepath.Join(out, "keep.txt")); err == nil && string(data) != "mine" {
				t.Errorf("a failed run changed a file in %s", out)
			}
		})
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkRender measures the floor on a corpus of about 200 articles.
func BenchmarkRender(b *testing.B) {
	n := 1
	for benchcorpus.Articles(n) < 200 {
		n++
	}
	root, parent := corpus(b, n), b.TempDir()
	i := 0
	for b.Loop() {
		i++
		if _, err := benchfloor.Render(root, filepath.Join(parent, strconv.Itoa(i)), 0); err != nil {
			b.Fatal(err)
		}
	}
}
