package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/publish"
)

// Session builds one site again and again, as the dev server does, and
// redoes only what an edit affects. Unchanged YAML files are not parsed
// again; a page whose inputs — its own data and content files, the
// templates and site-wide data, and the list of guides — are unchanged is
// not rendered again; and only files whose bytes changed are written.
// Publishing compares pages in memory with what it published last.
// The output is the same as a fresh Build's.
type Session struct {
	opts   Options
	cache  *loader.Cache
	memo   map[string]memoPage  // output file → what made it
	groups map[string]fileGroup // feed, exports: the files and their key
	prev   map[string][]byte    // the files last published
	target *publish.Target      // the output folder, opened by the first Build
}

// fileGroup is a set of non-page files made together from one key.
type fileGroup struct {
	key   string
	names []string
}

// memoPage is a rendered page and the key of the inputs that made it.
type memoPage struct {
	key       string
	out       []byte
	inSitemap bool
}

// NewSession prepares repeated builds of opts.Root into opts.Out.
func NewSession(opts Options) *Session {
	return &Session{opts: opts, cache: loader.NewCache()}
}

// Build renders and publishes the site, reusing the previous build's work
// where its inputs did not change. On error nothing is published.
func (s *Session) Build() (Result, []lint.Finding, error) {
	if s.target == nil {
		target, err := publish.Open(s.opts.Out, s.opts.publishOptions())
		if err != nil {
			return Result{}, nil, err
		}
		s.target = target
	}
	files, b, err := renderAll(s.opts, s)
	if err != nil {
		return Result{}, nil, err
	}
	findings := lint.Check(b.kb, b.sources, lint.Options{Today: b.today, PageExists: b.exists(files)})
	if errs := lint.Errors(findings); len(errs) > 0 {
		return Result{}, findings, errs.Err()
	}
	stats, err := s.target.Publish(files)
	if err != nil {
		return Result{}, findings, err
	}
	s.prev, s.memo, s.groups = files, b.newMemo, b.newGroups
	res := Result{Files: len(files), Warnings: len(findings), Rendered: b.rendered, Reused: b.reused, Notes: stats.Notes}
	for name := range files {
		if strings.HasSuffix(name, ".html") {
			res.Pages++
		}
	}
	return res, findings, nil
}

// keys computes the memo keys of a session's build: digests of the inputs
// each kind of page reads.
type keys struct {
	global  string // templates, site-wide data, clients, today
	guides  string // every guide's URL and title
	names   string // every provider's id and name
	data    string // every provider file
	content string // every content file
	digests map[*model.Provider]string
}

func newKeys(b *builder, s *Session, fsys fs.FS, prefix string) (*keys, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|", b.today.Format("2006-01-02"), b.kb.Site.BaseURL)
	err := fs.WalkDir(fsys, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "%s=%x|", p, sum)
		return nil
	})
	if err != nil {
		return nil, err
	}
	digest := func(file string) string {
		rel := strings.TrimPrefix(filepath.ToSlash(file), filepath.ToSlash(prefix)+"/")
		d, _ := s.cache.Digest(rel)
		return hex.EncodeToString(d[:8])
	}
	for _, f := range []string{"data/site.yaml", "data/sources.yaml"} {
		d, _ := s.cache.Digest(f)
		fmt.Fprintf(h, "%s=%x|", f, d)
	}
	for _, c := range b.kb.Clients {
		fmt.Fprintf(h, "%s=%s|", c.ID, digest(c.File))
	}
	k := &keys{global: hex.EncodeToString(h.Sum(nil)[:12]), digests: map[*model.Provider]string{}}
	n, d, c := sha256.New(), sha256.New(), sha256.New()
	for _, p := range b.kb.Providers {
		k.digests[p] = digest(p.File)
		fmt.Fprintf(n, "%s=%s|", p.ID, p.Name)
		fmt.Fprintf(d, "%s=%s|", p.ID, k.digests[p])
	}
	for _, src := range b.sources {
		fmt.Fprintf(c, "%s=%x|", src.File, src.Digest)
	}
	k.names = hex.EncodeToString(n.Sum(nil)[:8])
	k.data = hex.EncodeToString(d.Sum(nil)[:8])
	k.content = hex.EncodeToString(c.Sum(nil)[:8])
	return k, nil
}

// guideList fingerprints the planned guides, once titles are known.
func (k *keys) guideList(gs []*Guide) {
	h := sha256.New()
	for _, g := range gs {
		fmt.Fprintf(h, "%s|%s|%v\n", g.URL, g.Title, g.Historical)
	}
	k.guides = hex.EncodeToString(h.Sum(nil)[:8])
}

// reuse copies a page from the previous build when its key is unchanged.
func (b *builder) reuse(path, key string) bool {
	if b.session == nil {
		return false
	}
	file := b.fileOf(path)
	m, ok := b.session.memo[file]
	b.filesMu.Lock()
	defer b.filesMu.Unlock()
	if !ok || m.key != key {
		b.rendered++
		return false
	}
	b.reused++
	b.files[file] = m.out
	if m.inSitemap {
		b.pages = append(b.pages, path)
	}
	b.newMemo[file] = m
	return true
}

// memoKey joins the parts of a page's key; empty outside a session.
func (b *builder) memoKey(kind string, parts ...string) string {
	if b.session == nil {
		return ""
	}
	return kind + "|" + b.keys.global + "|" + strings.Join(parts, "|")
}

// The parts of memo keys; empty outside a session.

func (b *builder) providerKey(p *model.Provider) string {
	if b.keys == nil {
		return ""
	}
	return p.ID + "=" + b.keys.digests[p]
}

func (b *builder) guideListKey() string {
	if b.keys == nil {
		return ""
	}
	return b.keys.guides
}

func (b *builder) namesKey() string {
	if b.keys == nil {
		return ""
	}
	return b.keys.names
}

// hostProvidersKey covers every provider whose data mentions the host.
func (b *builder) hostProvidersKey(h *Host) string {
	if b.keys == nil {
		return ""
	}
	seen := map[*model.Provider]bool{}
	var parts []string
	add := func(p *model.Provider) {
		if !seen[p] {
			seen[p] = true
			parts = append(parts, b.providerKey(p))
		}
	}
	for _, e := range h.Endpoints {
		add(e.Provider)
		if r := currentSuccessor(e); r != nil {
			add(r.Provider)
		}
	}
	for _, e := range h.Errata {
		add(e.Provider)
	}
	for _, d := range h.Disputes {
		add(d.Provider)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func hexDigest(d [sha256.Size]byte) string { return hex.EncodeToString(d[:8]) }

// wholeKey covers everything a listing can show: all data and content.
func (b *builder) wholeKey() string {
	if b.keys == nil {
		return ""
	}
	return b.keys.data + "," + b.keys.content + "," + b.keys.guides
}

// reuseFiles copies non-page files (feed, exports) from the last build
// when key is unchanged, and reports whether it did.
func (b *builder) reuseFiles(group, key string) bool {
	if b.session == nil {
		return false
	}
	m, ok := b.session.groups[group]
	if !ok || m.key != key {
		return false
	}
	for _, name := range m.names {
		b.files[name] = b.session.prev[name]
	}
	b.newGroups[group] = m
	return true
}

// recordFiles remembers which files a group made under key.
func (b *builder) recordFiles(group, key string, names []string) {
	if b.session != nil {
		b.newGroups[group] = fileGroup{key, names}
	}
}

// dataOnly is the key part for files made from data alone; safe on nil.
func (k *keys) dataOnly() string {
	if k == nil {
		return ""
	}
	return k.data
}

// listingKey covers what one listing page shows, so that an edit which
// leaves a listing as it was does not render it again. The global key
// (templates, site-wide data, clients, today) is added by memoKey.
func (b *builder) listingKey(pg *Page, entries []SearchEntry) string {
	if b.keys == nil {
		return ""
	}
	h := sha256.New()
	switch pg.Kind {
	case "clients", "sources", "404":
		// Only site-wide data, which the global key covers.
	case "guides":
		io.WriteString(h, b.keys.guides)
	case "hosts":
		for _, x := range b.hosts {
			fmt.Fprintf(h, "%s|%v|%v\n", x.Name, x.Current(), x.Published())
		}
	case "history":
		for _, y := range pg.Timeline {
			fmt.Fprintf(h, "year %d\n", y.Year)
			for _, e := range y.Events {
				fmt.Fprintf(h, "%s|%s|%s|%s|%s", e.Date, e.Provider.Name, e.Kind, e.Title, e.Key)
				if e.Endpoint != nil {
					fmt.Fprintf(h, "|%s", e.Endpoint.Host)
				}
				for _, s := range e.Sources {
					fmt.Fprintf(h, "|%s", s.ID)
				}
				io.WriteString(h, "\n")
			}
			for _, a := range y.AsOf {
				fmt.Fprintf(h, "%s|%s\n", a.Provider.Name, a.URL)
			}
		}
	case "search":
		for _, e := range entries {
			for _, f := range append([]string{e.Kind, e.Title, e.URL, e.Text}, append(e.Terms, e.See...)...) {
				io.WriteString(h, f)
				io.WriteString(h, "\x00")
			}
			io.WriteString(h, "\n")
		}
	default:
		return b.wholeKey()
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
