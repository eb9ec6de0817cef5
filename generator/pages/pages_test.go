package pages

import (
	"strings"
	"testing"

	"mailkb/generator/content"
	"mailkb/generator/inputfs"
	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
)

const repoRoot = "../.."

// planBundled plans the bundled site as of the data's day.
func planBundled(tb testing.TB) *Plan {
	tb.Helper()
	day := kbtest.Day(tb, repoRoot)
	kb, err := loader.Load(repoRoot, loader.WithToday(day))
	if err != nil {
		tb.Fatal(err)
	}
	fsys, err := inputfs.Open(repoRoot)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { fsys.Close() })
	sources, err := content.Load(fsys, repoRoot)
	if err != nil {
		tb.Fatal(err)
	}
	pl, err := New(kb, sources, Options{FS: fsys, Prefix: repoRoot, Today: day})
	if err != nil {
		tb.Fatal(err)
	}
	return pl
}

// TestJobsAreUnique checks that the plan names every job once and that
// every page's job makes the file its path is served by.
func TestJobsAreUnique(t *testing.T) {
	pl := planBundled(t)
	seen := map[string]bool{}
	for _, j := range pl.Jobs {
		if seen[j.Name] {
			t.Errorf("job %s twice", j.Name)
		}
		seen[j.Name] = true
		if j.Path == "" {
			continue
		}
		if !pl.Has(strings.TrimPrefix(j.Path, pl.URLs.Base())) {
			t.Errorf("the plan does not have %s, its own page", j.Path)
		}
		if strings.HasPrefix(j.Path, "/guides/") {
			files, err := j.Make()
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 1 || files[0].Name != pl.URLs.File(j.Path) {
				t.Errorf("%s made %d files, first %q", j.Path, len(files), files[0].Name)
			}
		}
	}
	if pl.Has("/no/such/page/") {
		t.Error("the plan has /no/such/page/")
	}
}

// BenchmarkGuideJob measures making one guide page of the bundled site:
// the first the plan lists.
func BenchmarkGuideJob(b *testing.B) {
	pl := planBundled(b)
	for _, j := range pl.Jobs {
		if strings.HasPrefix(j.Path, "/guides/") {
			b.Logf("rendering %s", j.Path)
			for b.Loop() {
				if _, err := j.Make(); err != nil {
					b.Fatal(err)
				}
			}
			return
		}
	}
	b.Fatal("the bundled site has no guide")
}
