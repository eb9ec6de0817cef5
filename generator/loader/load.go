package loader

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"mailkb/generator/diag"
	"mailkb/generator/inputfs"
	"mailkb/generator/model"
	"mailkb/generator/strictyaml"
)

// Option configures Load.
type Option func(*loader)

// WithToday sets the day against which future dates are refused
// (default: the current UTC day).
func WithToday(t time.Time) Option { return func(l *loader) { l.today = model.DateOf(t).Start() } }

type loader struct {
	fsys    fs.FS
	prefix  string // shown before each file name in errors
	today   time.Time
	errs    diag.ErrorList
	kb      *model.KB
	sources map[string]*model.Source
	links   []func() // reference resolution, run once every file is read
	checks  []func() // whole-KB checks, run after links
	cache   *Cache   // nil unless WithCache
	domains map[string][]domainClaim
	// parseFailed records that a file was not valid YAML.
	parseFailed bool
}

// Load reads the knowledge base under root (the folder holding data/),
// under inputfs's rules: regular files of bounded size, inside root.
func Load(root string, opts ...Option) (*model.KB, error) {
	prefix := ""
	if root != "." && root != "" {
		prefix = root
	}
	if root == "" {
		root = "."
	}
	fsys, err := inputfs.Open(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, diag.ErrorList{{Pos: model.Pos{File: diag.FileName(prefix, "data")}, Msg: noData}}
	}
	if err != nil {
		return nil, diag.ErrorList{diag.ReadError(root, err)}
	}
	defer fsys.Close()
	return LoadFS(fsys, prefix, opts...)
}

const noData = "no data/ folder here; run in a mailkb folder or pass --root"

// LoadFS reads the knowledge base in fsys; prefix is joined before file
// names in error messages.
func LoadFS(fsys fs.FS, prefix string, opts ...Option) (*model.KB, error) {
	l := &loader{fsys: fsys, prefix: prefix, today: model.DateOf(time.Now()).Start(),
		kb: &model.KB{}, sources: map[string]*model.Source{}, domains: map[string][]domainClaim{}}
	for _, o := range opts {
		o(l)
	}
	if _, err := fs.Stat(fsys, "data"); errors.Is(err, fs.ErrNotExist) {
		return nil, diag.ErrorList{{Pos: model.Pos{File: l.name("data")}, Msg: noData}}
	} else if err != nil {
		return nil, diag.ErrorList{diag.ReadError(l.name("data"), err)}
	}
	l.kb.Site = model.Site{Title: "mailkb", BaseURL: "http://localhost", Language: "en", StaleAfterDays: 180}
	l.readFile("data/site.yaml", false, l.site)
	l.readFile("data/sources.yaml", true, l.sourcesFile)
	for _, f := range l.glob("data/providers") {
		l.readFile(f, true, l.provider)
	}
	for _, f := range l.glob("data/clients") {
		l.readFile(f, true, l.client)
	}
	// References into a file that did not parse would only add noise:
	// report the syntax errors (and each file's own) first.
	if !l.parseFailed {
		for _, link := range l.links {
			link()
		}
		for _, check := range l.checks {
			check()
		}
	}
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	return l.kb, nil
}

// domainClaim is the first provider to list a domain, and where.
type domainClaim struct {
	provider string
	pos      model.Pos
	period   model.Period
}

func (l *loader) name(p string) string { return diag.FileName(l.prefix, p) }

// glob lists the YAML files of a folder in name order, leaving out the
// names inputfs skips (an editor's lock file .#x.yaml is no provider).
func (l *loader) glob(dir string) []string {
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			l.errs = append(l.errs, diag.ReadError(l.name(dir), err))
		}
		return nil
	}
	var out []string
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if !e.IsDir() && !inputfs.Skip(e.Name()) && (ext == ".yaml" || ext == ".yml") {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

func (l *loader) readFile(p string, required bool, read func(*strictyaml.Decoder, *yaml.Node, string)) {
	src, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		if required || !errors.Is(err, fs.ErrNotExist) {
			l.errs = append(l.errs, diag.ReadError(l.name(p), err))
		}
		return
	}
	d := &strictyaml.Decoder{File: l.name(p), Errs: &l.errs}
	var root *yaml.Node
	if l.cache != nil {
		digest := sha256.Sum256(src)
		if root = l.cache.lookup(p, digest); root == nil {
			// Only a file that parses is cached, so a broken one is
			// parsed (and reported) every time.
			if root = d.Parse(src); root != nil {
				l.cache.store(p, digest, root)
			}
		}
	} else {
		root = d.Parse(src)
	}
	if root == nil {
		l.parseFailed = true
	} else {
		base := strings.TrimSuffix(path.Base(p), path.Ext(p))
		read(d, root, base)
	}
}

func (l *loader) site(d *strictyaml.Decoder, n *yaml.Node, _ string) {
	o := d.Object(n, "site settings", "title", "description", "base_url", "language", "stale_after_days")
	s := &l.kb.Site
	s.Title = o.Str("title", true)
	s.Description = o.Str("description", false)
	raw := o.Str("base_url", true)
	if problem := baseURLProblem(raw); raw != "" && problem != "" {
		d.Errorf(o.Get("base_url"), "base_url %q %s", raw, problem)
	}
	s.BaseURL = strings.TrimSuffix(raw, "/")
	s.Language = o.Str("language", false)
	if s.Language == "" {
		s.Language = "en"
	}
	days, dn := o.Int("stale_after_days", false)
	if dn != nil && days <= 0 {
		d.Errorf(dn, "stale_after_days must be a positive number of days")
	}
	if days <= 0 {
		days = 180
	}
	s.StaleAfterDays = days
}

// baseURLProblem says what is wrong with a base_url, or "". Every link of
// the site starts with it, so whatever it carries is published on every
// page: a password, a query that changes each link's meaning, a path that
// climbs out of the folder.
func baseURLProblem(raw string) string {
	if !strings.HasPrefix(raw, "https://") && !strings.HasPrefix(raw, "http://") {
		return "must start with https:// (or http://), like https://example.org/"
	}
	if i := strings.IndexFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return "holds a space; a URL has none — remove it, or write %20 for a space in a folder's name"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "is not a URL (" + strings.TrimPrefix(err.Error(), "parse "+strconv.Quote(raw)+": ") + "); write it like https://example.org/kb/"
	}
	// Decoded, so that %2e%2e counts as the .. it stands for.
	segments := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case u.User != nil:
		return "holds a user name or password (user:password@); remove it — every page would publish it"
	case u.Host == "" || u.Hostname() == "":
		return "has no host; write it like https://example.org/"
	case u.RawQuery != "" || u.ForceQuery:
		return "has a query (?…); a base URL names a folder — remove everything from the ?"
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "has a fragment (#…); a base URL names a folder — remove everything from the #"
	case slices.Contains(segments, ".") || slices.Contains(segments, ".."):
		return "has a . or .. segment in its path; write the folder's path as it is, like https://example.org/kb/"
	case u.Path != "/" && u.Path != "" && slices.Contains(segments, ""):
		return "has an empty segment (//) in its path; write each / once"
	}
	return ""
}

var sourceKeys = []string{"id", "title", "publisher", "author", "date", "url", "note"}

func (l *loader) sourcesFile(d *strictyaml.Decoder, n *yaml.Node, _ string) {
	o := d.Object(n, "bibliography", "sources")
	l.sourceList(d, o)
}

// sourceList reads a `sources:` list of bibliography entries.
func (l *loader) sourceList(d *strictyaml.Decoder, o *strictyaml.Object) {
	for _, item := range o.List("sources", false) {
		so := d.Object(item, "source", sourceKeys...)
		s := &model.Source{ID: so.ID("id", strictyaml.MaxID), Title: so.Str("title", true), Publisher: so.Str("publisher", true),
			Author: so.Str("author", false), URL: so.Str("url", false), Note: so.Str("note", false), Pos: d.Pos(item)}
		var dn *yaml.Node
		s.Date, dn = so.Date("date", false)
		if dn != nil && !s.Date.IsZero() && s.Date.Start().After(l.today) {
			d.Errorf(dn, "source date %s is in the future", s.Date)
		}
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
			d.Errorf(so.Get("url"), "url %q must start with https:// or http://", s.URL)
		}
		if s.ID == "" {
			continue
		}
		if prev, dup := l.sources[s.ID]; dup {
			d.Errorf(item, "source id %q is already defined at %s; give this source another id", s.ID, prev.Pos)
			continue
		}
		l.sources[s.ID] = s
		l.kb.Sources = append(l.kb.Sources, s)
	}
}

// cite resolves source ids once every file is read.
func (l *loader) cite(d *strictyaml.Decoder, refs []strictyaml.Ref, into *[]*model.Source) {
	refs = slices.DeleteFunc(slices.Clone(refs), func(r strictyaml.Ref) bool { return badRef(d, r.Node, "source", r.ID, strictyaml.MaxID) })
	l.links = append(l.links, func() {
		for _, r := range refs {
			if s := l.sources[r.ID]; s != nil {
				*into = append(*into, s)
			} else {
				hint := "add it to data/sources.yaml"
				if ids := l.sourceIDs(); len(ids) > 0 {
					hint += " or " + diag.Suggest(r.ID, ids)
				}
				d.Errorf(r.Node, "unknown source %q; %s", r.ID, hint)
			}
		}
	})
}

// citeRequired is cite for a list that must name at least one source.
func (l *loader) citeRequired(d *strictyaml.Decoder, o *strictyaml.Object, key string, into *[]*model.Source) {
	l.cite(d, o.Strs(key, true), into)
}

func (l *loader) sourceIDs() []string {
	ids := make([]string, 0, len(l.sources))
	for id := range l.sources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// period reads from/until and checks their order. Either may be written
// "by <date>": the value was in force (or gone) by then, the first evidence
// of it, not the day it changed.
func (l *loader) period(d *strictyaml.Decoder, o *strictyaml.Object) model.Period {
	from, fromBy := boundary(d, o, "from")
	until, untilBy := boundary(d, o, "until")
	if !from.IsZero() && !until.IsZero() && until.Start().Before(from.Start()) {
		d.Errorf(o.Get("until"), "until %s is before from %s; periods run forward (until is the first day the value no longer applied)", until, from)
	}
	return model.Period{From: from, Until: until, FromBy: fromBy, UntilBy: untilBy}
}

// boundary reads one end of a period: a date, or "by" and a date.
func boundary(d *strictyaml.Decoder, o *strictyaml.Object, key string) (model.Date, bool) {
	n := o.Get(key)
	if n == nil || n.Kind != yaml.ScalarNode {
		dt, _ := o.Date(key, false)
		return dt, false
	}
	rest, by := strings.CutPrefix(n.Value, "by ")
	if !by {
		dt, _ := o.Date(key, false)
		return dt, false
	}
	dt, err := model.ParseDate(strings.TrimSpace(rest))
	if err != nil {
		d.Errorf(n, "%s: %v (write a date, or by and a date: %s: by 2014-01-23)", key, err, key)
		return model.Date{}, true
	}
	return dt, true
}

var verificationKeys = []string{"date", "method", "by", "source", "note"}

func (l *loader) verifications(d *strictyaml.Decoder, o *strictyaml.Object) []model.Verification {
	var out []model.Verification
	var prev model.Date
	for _, item := range o.List("verified", false) {
		vo := d.Object(item, "verification", verificationKeys...)
		v := model.Verification{Method: model.Method(vo.Enum("method", true, "probe", "manual", "published")),
			By: vo.Str("by", true), Note: vo.Str("note", false), Pos: d.Pos(item)}
		var dn *yaml.Node
		v.Date, dn = vo.Date("date", true)
		if dn != nil && !v.Date.IsZero() {
			switch {
			case v.Date.Start().After(l.today):
				d.Errorf(dn, "verification date %s is in the future; record checks on or after the day they happen", v.Date)
			case !prev.IsZero() && v.Date.Before(prev):
				d.Errorf(dn, "verification dated %s comes after one dated %s; keep the list oldest first", v.Date, prev)
			}
			prev = v.Date
		}
		if src := vo.Get("source"); src != nil {
			if id, ok := d.Scalar(src, "source"); ok && !badRef(d, src, "source", id, strictyaml.MaxID) {
				out = append(out, v)
				i := len(out) - 1
				l.links = append(l.links, func() {
					if s := l.sources[id]; s != nil {
						out[i].Source = s
					} else {
						d.Errorf(src, "unknown source %q; %s", id, diag.Suggest(id, l.sourceIDs()))
					}
				})
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

// protocols converts strings to typed protocols.
func protocols(ss []string) []model.Protocol {
	out := make([]model.Protocol, len(ss))
	for i, s := range ss {
		out[i] = model.Protocol(s)
	}
	return out
}

func auths(ss []string) []model.Auth {
	out := make([]model.Auth, len(ss))
	for i, s := range ss {
		out[i] = model.Auth(s)
	}
	return out
}

// checkFileID enforces that a file's id matches its name, so that the URL
// and the file a maintainer edits never disagree.
func checkFileID(d *strictyaml.Decoder, o *strictyaml.Object, id, base string) {
	// An id that is not valid is reported as such: no file could be
	// named after it.
	if id != "" && id != base && strictyaml.IDProblem(id, strictyaml.MaxNameID) == "" {
		d.Errorf(o.Get("id"), "id %q does not match the file name %q; rename the file to %s.yaml or change the id", id, base, id)
	}
}

func (l *loader) duplicateIDs(d *strictyaml.Decoder, what string, items []*yaml.Node) {
	seen := map[string]int{}
	for _, item := range items {
		if item.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			if item.Content[i].Value != "id" {
				continue
			}
			v := item.Content[i+1]
			if line, dup := seen[v.Value]; dup {
				d.Errorf(v, "%s id %q is already used at line %d; ids must be unique", what, v.Value, line)
			} else {
				seen[v.Value] = v.Line
			}
		}
	}
}
