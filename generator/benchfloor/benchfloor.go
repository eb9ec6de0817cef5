// Package benchfloor is the floor the build benchmarks set mailkb and Hugo
// against: the least work a generator must do for a corpus of articles.
// It renders every content/articles/*.md of a knowledge base with mailkb's
// own markdown renderer (goldmark with GFM tables and chroma highlighting,
// configured as for the site) on all cores and writes each body alone as a
// page, with no data, templates, links, lint or site-wide pages. What a
// full build spends above the floor is the price of those.
package benchfloor

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"mailkb/generator/markdown"
	"mailkb/generator/parallel"
)

// shortcodePattern matches a Hugo-style shortcode tag. The floor removes
// them: it reads no data, so a {{< settings >}} table is work it leaves to
// the generators.
var shortcodePattern = regexp.MustCompile(`\{\{[<%].*?[>%]\}\}`)

// Render renders the articles under dir/content/articles into
// out/articles/<slug>/index.html with workers goroutines (GOMAXPROCS when
// workers < 1) and returns how many pages it wrote. Front matter is
// stripped and shortcodes are removed. out must not exist or be empty: the
// pages are written to a folder beside it that becomes out only when every
// page is written, so a failed run leaves nothing behind.
func Render(dir, out string, workers int) (int, error) {
	sources, err := filepath.Glob(filepath.Join(dir, "content", "articles", "*.md"))
	if err != nil {
		return 0, err
	}
	if len(sources) == 0 {
		return 0, fmt.Errorf("%s: no articles (*.md) to render; give the folder of a knowledge base written by mailkb bench-corpus --distinct", filepath.Join(dir, "content", "articles"))
	}
	sort.Strings(sources)
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return 0, fmt.Errorf("%s is not empty; give a new folder (the floor never writes over files)", out)
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(out)), 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(out)), "."+filepath.Base(out)+"-*")
	if err != nil {
		return 0, err
	}
	if err := renderAll(sources, tmp, workers); err != nil {
		os.RemoveAll(tmp)
		return 0, err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.RemoveAll(tmp)
		return 0, err
	}
	return len(sources), nil
}

// renderAll renders sources into tmp; the first error stops the workers.
func renderAll(sources []string, tmp string, workers int) error {
	if workers < 1 {
		workers = parallel.Cores()
	}
	md := markdown.New()
	var (
		firstErr error
		errOnce  sync.Once
		failed   atomic.Bool
	)
	parallel.For(len(sources), workers, func(i int) {
		if failed.Load() {
			return
		}
		if err := renderOne(md, sources[i], tmp); err != nil {
			errOnce.Do(func() { firstErr = err })
			failed.Store(true)
		}
	})
	return firstErr
}

func renderOne(md *markdown.Renderer, file, tmp string) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	body, ok := stripFrontMatter(src)
	if !ok {
		return fmt.Errorf("%s:1:1: no front matter; start the file with a line `---`, the front matter, then `---`", file)
	}
	html, err := md.Block(shortcodePattern.ReplaceAllString(string(body), ""))
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	page := filepath.Join(tmp, "articles", strings.TrimSuffix(filepath.Base(file), ".md"), "index.html")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		return err
	}
	return os.WriteFile(page, []byte(html), 0o644)
}

// stripFrontMatter returns what follows the front matter between the
// first two `---` lines.
func stripFrontMatter(src []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return nil, false
	}
	if bytes.HasPrefix(rest, []byte("---\n")) {
		return rest[4:], true
	}
	_, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	return body, ok
}
