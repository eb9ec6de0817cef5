package search_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailkb/generator/benchcorpus"
	"mailkb/generator/search"
	"mailkb/generator/site"
)

// BenchmarkIndex measures what the full-text index adds to a build of the
// 1,000-page corpus: reading every rendered page and writing the index.
func BenchmarkIndex(b *testing.B) {
	root := b.TempDir()
	if err := benchcorpus.Write(1000, root, filepath.Join("..", "..", "templates")); err != nil {
		b.Fatal(err)
	}
	files, err := site.Render(site.Options{Root: root, Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	type page struct {
		path string
		html []byte
	}
	var pages []page
	for name, data := range files {
		if strings.HasSuffix(name, "index.html") {
			pages = append(pages, page{"/" + strings.TrimSuffix(name, "index.html"), data})
		}
	}
	for b.Loop() {
		read := make([]*search.Page, len(pages))
		for i, p := range pages {
			if read[i], err = search.Read(p.path, p.html, nil); err != nil {
				b.Fatal(err)
			}
		}
		if _, _, err := search.Index(nil, read); err != nil {
			b.Fatal(err)
		}
	}
}
