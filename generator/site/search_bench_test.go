package site

import "testing"

// BenchmarkSearchIndex measures what the full-text index adds to a build
// of the 1,000-page corpus: reading every rendered page and writing the
// index.
func BenchmarkSearchIndex(b *testing.B) {
	_, bld, err := renderAll(Options{Root: corpus(b), Now: buildDay}, nil)
	if err != nil {
		b.Fatal(err)
	}
	entries := bld.searchEntries(nil)
	for b.Loop() {
		if _, err := bld.searchIndex(entries); err != nil {
			b.Fatal(err)
		}
	}
}
