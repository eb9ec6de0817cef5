package site

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"mailkb/generator/benchcorpus"
	"mailkb/generator/kbtest"
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

// benchmarkIncremental measures a Session rebuild after one guide edit,
// building as of day into a folder in out.
func benchmarkIncremental(b *testing.B, root, out string, day time.Time) {
	s := NewSession(Options{Root: root, Out: filepath.Join(out, "public"), Now: day})
	// Two builds first: the second fills the publisher's spare folder, as
	// any build after the first finds it in a dev server session.
	for range 2 {
		if _, _, err := s.Build(); err != nil {
			b.Fatal(err)
		}
	}
	guides, _ := filepath.Glob(filepath.Join(root, "content", "guides", "*.md"))
	orig, err := os.ReadFile(guides[0])
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(guides[0], orig, 0o644)
	i := 0
	for b.Loop() {
		i++
		if err := os.WriteFile(guides[0], append(append([]byte{}, orig...), []byte(strings.Repeat("\nEdited.\n", i%3+1))...), 0o644); err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.Build(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIncrementalBundled: a guide edit on the bundled site.
func BenchmarkIncrementalBundled(b *testing.B) {
	root := b.TempDir()
	for _, dir := range []string{"data", "content", "templates"} {
		if err := kbtest.CopyTree(filepath.Join(repoRoot, dir), filepath.Join(root, dir)); err != nil {
			b.Fatal(err)
		}
	}
	benchmarkIncremental(b, root, b.TempDir(), kbtest.Day(b, root))
}

// BenchmarkIncremental1000: a guide edit on the 1,000-page corpus.
func BenchmarkIncremental1000(b *testing.B) {
	benchmarkIncremental(b, corpus(b), b.TempDir(), buildDay)
}

// BenchmarkIncremental10000: a guide edit on the 10,000-page corpus, where
// one guide source makes 376 pages (one for each provider and incoming
// protocol), in memory-backed folders where the machine has them.
func BenchmarkIncremental10000(b *testing.B) {
	dir := b.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if dir, err = os.MkdirTemp("/dev/shm", "mailkb-bench-"); err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	root := filepath.Join(dir, "kb")
	if err := benchcorpus.Write(10000, root, filepath.Join(repoRoot, "templates")); err != nil {
		b.Fatal(err)
	}
	benchmarkIncremental(b, root, dir, buildDay)
}

// TestMain removes the benchmark corpus, which benchmarks share.
func TestMain(m *testing.M) {
	code := m.Run()
	if corpusDir != "" {
		os.RemoveAll(corpusDir)
	}
	os.Exit(code)
}
