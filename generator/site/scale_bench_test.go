package site

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"mailkb/generator/benchcorpus"
)

// endpointSizes are the provider sizes the scale benchmarks compare: ten
// times the endpoints should cost about ten times the time.
var endpointSizes = []int{1000, 10000}

// endpointCorpus writes a knowledge base with one provider of n endpoints
// (benchcorpus.WriteEndpoints) into a folder the benchmark removes.
func endpointCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "kb")
	if err := benchcorpus.WriteEndpoints(n, dir, filepath.Join(repoRoot, "templates")); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkCheckEndpoints measures `mailkb check` in process (load, render
// in memory, lint) on one provider of 1,000 and of 10,000 endpoints.
func BenchmarkCheckEndpoints(b *testing.B) {
	for _, n := range endpointSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			root := endpointCorpus(b, n)
			for b.Loop() {
				if _, _, err := Check(Options{Root: root, Now: buildDay}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuildEndpoints measures `mailkb build` in process on the same
// corpora: a cold build into an empty folder each time.
func BenchmarkBuildEndpoints(b *testing.B) {
	for _, n := range endpointSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			root := endpointCorpus(b, n)
			out := filepath.Join(b.TempDir(), "public")
			for b.Loop() {
				if _, err := Build(Options{Root: root, Out: out, Now: buildDay}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
