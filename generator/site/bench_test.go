package site

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"mailkb/generator/benchcorpus"
	"mailkb/generator/loader"
)

var (
	corpusOnce sync.Once
	corpusDir  string
	corpusErr  error
)

// corpus writes a 1,000-page synthetic knowledge base once per test run.
func corpus(b *testing.B) string {
	corpusOnce.Do(func() {
		corpusDir, corpusErr = os.MkdirTemp("", "mailkb-bench-")
		if corpusErr == nil {
			corpusErr = benchcorpus.Write(1000, corpusDir, filepath.Join(repoRoot, "templates"))
		}
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpusDir
}

// BenchmarkLoad measures reading and validating data/ of a 1,000-page corpus.
func BenchmarkLoad(b *testing.B) {
	root := corpus(b)
	for b.Loop() {
		if _, err := loader.Load(root, loader.WithToday(buildDay)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender measures the whole in-memory build of a 1,000-page corpus.
func BenchmarkRender(b *testing.B) {
	root := corpus(b)
	for b.Loop() {
		if _, err := Render(Options{Root: root, Now: buildDay}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuidePage measures rendering one guide page of the bundled site.
func BenchmarkGuidePage(b *testing.B) {
	_, bl, err := renderAll(Options{Root: repoRoot, Now: buildDay})
	if err != nil {
		b.Fatal(err)
	}
	var g *Guide
	for _, c := range bl.guides {
		if c.Client.ID == "thunderbird" && c.Protocol == "imap" {
			g = c
		}
	}
	if g == nil {
		b.Fatal("no Thunderbird IMAP guide")
	}
	for b.Loop() {
		if err := bl.guidePage(g); err != nil {
			b.Fatal(err)
		}
	}
}
