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

// renderedPages renders a corpus written by write and returns its pages.
func renderedPages(b *testing.B, write func(root string) error) []renderedPage {
	root := b.TempDir()
	if err := write(root); err != nil {
		b.Fatal(err)
	}
	files, err := site.Render(site.Options{Root: root, Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	var pages []renderedPage
	for name, data := range files {
		if strings.HasSuffix(name, "index.html") {
			pages = append(pages, renderedPage{"/" + strings.TrimSuffix(name, "index.html"), data})
		}
	}
	return pages
}

type renderedPage struct {
	path string
	html []byte
}

// BenchmarkReadArticles measures reading pages that each have their own
// text (the distinct corpus: mostly articles) into the index.
func BenchmarkReadArticles(b *testing.B) {
	pages := renderedPages(b, func(root string) error {
		return benchcorpus.WriteDistinct(500, root, filepath.Join("..", "..", "templates"))
	})
	for b.Loop() {
		for _, p := range pages {
			if _, err := search.Read(p.path, p.html, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkIndex measures what the full-text index adds to a build of the
// 1,000-page corpus: reading every rendered page and writing the index.
func BenchmarkIndex(b *testing.B) {
	pages := renderedPages(b, func(root string) error {
		return benchcorpus.Write(1000, root, filepath.Join("..", "..", "templates"))
	})
	var err error
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
