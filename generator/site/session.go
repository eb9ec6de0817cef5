package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/pages"
	"mailkb/generator/publish"
	"mailkb/generator/search"
)

// Session builds one site again and again, as the dev server does, and
// redoes only what an edit affects: unchanged YAML files are not parsed
// again, a job whose inputs — what it reads (pages.Job.Reads), the
// templates, the site-wide data and the day — did not change hands back
// what it made last time, and only files whose bytes changed are written.
// The output is the same as a fresh Build's.
type Session struct {
	opts   Options
	cache  *loader.Cache
	last   map[string]made // by job name: what the last build made
	target *publish.Target // the output folder, opened by the first Build
}

// made is what one job made, and the key of the inputs it was made from.
type made struct {
	key   string
	files []pages.File
	page  *search.Page
}

// NewSession prepares repeated builds of opts.Root into opts.Out.
func NewSession(opts Options) *Session {
	return &Session{opts: opts, cache: loader.NewCache()}
}

// Build renders and publishes the site, reusing the previous build's work
// where its inputs did not change. On error nothing is published.
func (s *Session) Build() (Result, []lint.Finding, error) {
	if s.target == nil {
		opts := s.opts.publishOptions()
		opts.Repeated = true
		target, err := publish.Open(s.opts.Out, opts)
		if err != nil {
			return Result{}, nil, err
		}
		s.target = target
	}
	m := &memo{}
	_, res, findings, err := build(s.opts, s, m, s.target)
	if err != nil {
		return Result{}, findings, err
	}
	s.last = m.next
	return res, findings, nil
}

// memo is one session build's view of what the last build made.
type memo struct {
	last   map[string]made
	global string // what every job reads: templates, site-wide data, clients, the day
	digest func(file string) string
	mu     sync.Mutex
	next   map[string]made // what this build made or reused
}

// prepare works out the inputs every job reads. A data file is named by
// its digest in the session's cache of parsed files.
func (m *memo) prepare(s *Session, plan *pages.Plan, fsys fs.FS, prefix string, today time.Time) error {
	m.last, m.next = s.last, map[string]made{}
	m.digest = func(file string) string {
		rel := strings.TrimPrefix(filepath.ToSlash(file), filepath.ToSlash(prefix)+"/")
		d, _ := s.cache.Digest(rel)
		return hex.EncodeToString(d[:8])
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|", today.Format(time.DateOnly), plan.URLs.Abs(plan.URLs.Home()))
	err := fs.WalkDir(fsys, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s=%x|", p, sha256.Sum256(data))
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range []string{"data/site.yaml", "data/sources.yaml"} {
		d, _ := s.cache.Digest(f)
		fmt.Fprintf(h, "%s=%x|", f, d)
	}
	for _, c := range plan.KB().Clients {
		fmt.Fprintf(h, "%s=%s|", c.ID, m.digest(c.File))
	}
	m.global = hex.EncodeToString(h.Sum(nil)[:12])
	return nil
}

// Data is the digest of a data file, for pages.Job.Reads.
func (m *memo) Data(file string) string { return m.digest(file) }

// key is what j's output depends on, or "" for a job that says nothing
// of its inputs, which is made every time.
func (m *memo) key(j *pages.Job) string {
	if j.Reads == nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|", m.global, j.Name)
	j.Reads(h, m)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// made hands back what the last build made for j when its inputs are the
// same; reused is false outside a session and for anything new.
func (m *memo) made(j *pages.Job) (files []pages.File, page *search.Page, reused bool, err error) {
	if m == nil {
		return nil, nil, false, nil
	}
	key := m.key(j)
	was, ok := m.last[j.Name]
	if key == "" || !ok || was.key != key {
		m.mu.Lock()
		m.next[j.Name] = made{key: key}
		m.mu.Unlock()
		return nil, nil, false, nil
	}
	page = was.page
	if j.InSitemap && (page == nil || !page.ReadWith(j.Entry)) {
		// The page is the same, its search entry is not: read it again.
		if page, err = search.Read(j.Path, was.files[0].Data, j.Entry); err != nil {
			return nil, nil, false, err
		}
	}
	m.mu.Lock()
	m.next[j.Name] = made{key, was.files, page}
	m.mu.Unlock()
	return was.files, page, true, nil
}

// keep records what j made this time, under the key made found.
func (m *memo) keep(j *pages.Job, files []pages.File, page *search.Page) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next[j.Name] = made{m.next[j.Name].key, files, page}
}
