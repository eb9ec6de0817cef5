package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mailkb/generator/benchcorpus"
	"mailkb/generator/content"
	"mailkb/generator/loader"
)

// BenchmarkCheckEndpoints measures every rule on one provider of 1,000
// and of 10,000 endpoints (benchcorpus.WriteEndpoints): ten times the
// endpoints should cost about ten times the time.
func BenchmarkCheckEndpoints(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			root := filepath.Join(b.TempDir(), "kb")
			if err := benchcorpus.WriteEndpoints(n, root, filepath.Join("..", "..", "templates")); err != nil {
				b.Fatal(err)
			}
			kb, err := loader.Load(root, loader.WithToday(today))
			if err != nil {
				b.Fatal(err)
			}
			srcs, err := content.Load(os.DirFS(root), root)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if errs := Errors(Check(kb, srcs, Options{Today: today})); len(errs) > 0 {
					b.Fatal(errs.Err())
				}
			}
		})
	}
}

// BenchmarkSlipsNearDomains is the slip rule's hard case: n endpoints on
// three registered domains two edits apart (gmx.de, gmx.at, gmx.ch), so
// every host has thousands of candidates; the index answers each in
// logarithmic time, where comparing every pair took quadratic time.
func BenchmarkSlipsNearDomains(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var eps strings.Builder
			for i := range n {
				host := fmt.Sprintf("h%d.gmx.%s", i, []string{"de", "at", "ch"}[i%3])
				eps.WriteString(endpoint(fmt.Sprintf("e%d", i), "imap", host, 993, "tls", fresh))
			}
			kb := loadForTest(b, eps.String())
			for b.Loop() {
				if len(Check(kb, nil, Options{Today: today})) == 0 {
					b.Fatal("no slips found")
				}
			}
		})
	}
}
