package publish

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkRepublish measures a publish in which a few pages of a site of
// n pages changed — a dev server's rebuild after one edit — in the steady
// state, where the spare folder holds the build before last.
func BenchmarkRepublish(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			files := map[string][]byte{}
			for i := range n {
				files[fmt.Sprintf("guides/c%d/p/imap/index.html", i)] = fmt.Appendf(nil, "<p>page %d</p>%02000d", i, 0)
			}
			target, err := Open(filepath.Join(b.TempDir(), "public"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			for range 2 {
				if _, err := target.Publish(files); err != nil {
					b.Fatal(err)
				}
			}
			edit := 0
			for b.Loop() {
				edit++
				next := make(map[string][]byte, len(files))
				for k, v := range files {
					next[k] = v
				}
				for i := range 10 {
					next[fmt.Sprintf("guides/c%d/p/imap/index.html", i)] = fmt.Appendf(nil, "<p>edit %d</p>", edit)
				}
				if _, err := target.Publish(next); err != nil {
					b.Fatal(err)
				}
				files = next
			}
		})
	}
}
