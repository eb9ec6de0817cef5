// Package pages plans the site. From a loaded knowledge base, its content
// and its templates it decides which pages and files exist and at which
// URL (package urls), and turns each into a job: the file it makes, what
// it reads, and how it is made. Package site runs the jobs — in parallel,
// memoised in a session — and publishes what they make; pages renders
// nothing until a job runs.
package pages

import (
	"cmp"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/diag"
	"mailkb/generator/expand"
	"mailkb/generator/markdown"
	"mailkb/generator/model"
	"mailkb/generator/render"
	"mailkb/generator/search"
	"mailkb/generator/urls"
	"mailkb/generator/view"
)

// Options says what a plan needs besides the knowledge base and content.
type Options struct {
	// FS is the project folder, read through package inputfs: the
	// templates, and templates/static/, which is published as it is.
	FS fs.FS
	// Prefix starts the file names in messages: the project folder as the
	// user gave it, or "" for the current folder.
	Prefix string
	Today  time.Time // the build's day, at midnight UTC
}

// File is one output file, named by its path under the output folder.
type File struct {
	Name string
	Data []byte
}

// Job makes one page, or one group of files.
type Job struct {
	// Name is the output file of a page, or the name of a group of files
	// ("feed", "exports"): unique in a plan.
	Name string
	// Path is a page's site path; "" for other files.
	Path      string
	InSitemap bool
	// Entry is the page's entry on the search page, when it has one: it
	// names the page in the full-text index.
	Entry *search.Entry
	// Source is the content file a page is made from alone (an article),
	// for messages about its path.
	Source *content.Source
	// Reads writes what the job's output depends on besides the templates,
	// the site-wide data and the day, which every job reads: a session
	// makes the job again only when these bytes change. Digests gives the
	// digest of a data file.
	Reads func(w io.Writer, d Digests)
	// Make renders the job's files.
	Make func() ([]File, error)
}

// Digests gives the digest of a data file, named as the loader names it
// (model.Provider.File).
type Digests interface {
	Data(file string) string
}

// Plan is the site as a list of jobs.
type Plan struct {
	URLs    urls.URLs
	Jobs    []*Job
	Entries []search.Entry  // what the search page finds by name
	files   map[string]bool // every output file
	prefix  string          // Options.Prefix, for messages
	s       *planner
}

// New plans the site of kb and its content sources: it loads the
// templates, works out every page and expands the titles of guides and
// articles, which lists and links show. Errors carry their positions.
func New(kb *model.KB, sources []*content.Source, opts Options) (*Plan, error) {
	s := &planner{kb: kb, sources: sources, urls: urls.New(kb.Site.BaseURL), today: opts.Today, md: markdown.New(),
		cache: newCache()}
	s.env = &expand.Env{KB: kb, URLs: s.urls, Today: s.today, Blocks: s}
	tmpl, err := render.Load(opts.FS, opts.Prefix, s.funcs())
	if err != nil {
		return nil, err
	}
	s.tmpl = tmpl
	var errs diag.ErrorList
	s.guides, errs = view.PlanGuides(kb, sources, s.today, s.urls)
	errs = append(errs, s.titleGuides()...)
	s.currentGuides = view.CurrentGuides(s.guides)
	errs = append(errs, s.planArticles()...)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	s.hosts = view.Hosts(kb)
	s.events = view.Events(kb)
	s.eventsOf = map[*model.Provider][]view.Event{}
	for _, e := range s.events {
		s.eventsOf[e.Provider] = append(s.eventsOf[e.Provider], e)
	}
	pl := &Plan{URLs: s.urls, s: s, files: map[string]bool{}, prefix: opts.Prefix}
	pl.Entries = search.Entries(kb, s.urls, s.hosts, s.guides, s.articleList())
	s.entryOf = map[string]*search.Entry{}
	for i := range pl.Entries {
		s.entryOf[pl.Entries[i].URL] = &pl.Entries[i]
	}
	pl.Jobs = s.jobs(pl.Entries)
	exported, err := s.exports()
	if err != nil {
		return nil, err
	}
	static, err := s.static(opts.FS)
	if err != nil {
		return nil, err
	}
	pl.Jobs = append(pl.Jobs, exported, static)
	if err := pl.claimPaths(exported, static); err != nil {
		return nil, err
	}
	return pl, nil
}

// claimPaths records every file the plan makes and refuses a path made
// twice, naming what a maintainer can rename: a content file whose name
// is a path mailkb makes itself, or a file of templates/static/.
func (pl *Plan) claimPaths(exported, static *Job) error {
	var errs diag.ErrorList
	pages := map[string]*Job{}
	for _, j := range pl.Jobs {
		if j.Path == "" {
			continue
		}
		if o := pages[j.Name]; o != nil {
			src := cmp.Or(j.Source, o.Source)
			if src == nil {
				return fmt.Errorf("%s is planned twice", j.Path) // a bug, not the data's doing
			}
			errs.Add(model.Pos{File: src.File, Line: 1, Column: 1}, "its page %s is one mailkb makes itself; rename the file (a content file's name is its URL)", j.Path)
			continue
		}
		pages[j.Name] = j
		pl.files[j.Name] = true
	}
	for _, group := range []*Job{exported, static} {
		files, _ := group.Make() // made already: these jobs hand back what they hold
		for _, f := range files {
			switch {
			case !pl.files[f.Name]:
				pl.files[f.Name] = true
			case group == static:
				errs.Add(model.Pos{File: diag.FileName(pl.prefix, "templates/static/"+f.Name)}, "the site makes %s itself; rename or move this file", f.Name)
			default:
				errs.Add(model.Pos{}, "export %s: a page already has that path; rename the content file that makes it", f.Name)
			}
		}
	}
	return errs.Err()
}

// Has reports whether a path from the site's root, as content links
// write it (/providers/x/, without the base path), is served by a file
// the plan makes.
func (pl *Plan) Has(path string) bool {
	return pl.files[pl.URLs.File(pl.URLs.Path(path))]
}

// Finish makes the files that sum up the pages: the sitemap, robots.txt
// and the search index, from each page's part of it.
func (pl *Plan) Finish(searchPages []*search.Page) ([]File, error) {
	u := pl.URLs
	var paths []string
	for _, j := range pl.Jobs {
		if j.InSitemap {
			paths = append(paths, j.Path)
		}
	}
	sort.Strings(paths)
	index, text, err := search.Index(pl.Entries, searchPages)
	if err != nil {
		return nil, err
	}
	out := []File{{u.File(u.Sitemap()), sitemap(u, paths)}, {u.File(u.Robots()), robots(u)}, {u.File(u.SearchIndex()), index}}
	dir := strings.TrimSuffix(u.File(u.SearchIndex()), "index.json")
	names := make([]string, 0, len(text))
	for name := range text {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		out = append(out, File{dir + name, text[name]})
	}
	return out, nil
}

// KB and Sources are what the plan was made from, for lint.
func (pl *Plan) KB() *model.KB              { return pl.s.kb }
func (pl *Plan) Sources() []*content.Source { return pl.s.sources }

// planner is what every job of one plan shares: read-only once New
// returns, but for the cache of rendered markdown and partials.
type planner struct {
	kb       *model.KB
	sources  []*content.Source
	urls     urls.URLs
	today    time.Time
	tmpl     *render.Templates
	md       *markdown.Renderer
	env      *expand.Env
	hosts    []*view.Host
	events   []view.Event
	eventsOf map[*model.Provider][]view.Event // oldest first
	guides   []*view.Guide
	// currentGuides are the guides showing today's settings, for the
	// "what works today" links of historical guides.
	currentGuides map[view.GuideKey][]*view.Guide
	articles      []*article // sorted by weight, then title
	home          *content.Source
	entryOf       map[string]*search.Entry // by URL
	cache         *cache
	keys          keys
}

// article is a content page with its title expanded.
type article struct {
	view.Article
	src   *content.Source
	scope expand.Scope
}

func (s *planner) articleList() []*view.Article {
	out := make([]*view.Article, len(s.articles))
	for i, a := range s.articles {
		out[i] = &a.Article
	}
	return out
}

// planArticles expands the titles of the home page's articles and pages.
// An article about a provider this knowledge base lacks is left out; lint
// warns.
func (s *planner) planArticles() diag.ErrorList {
	var errs diag.ErrorList
	for _, src := range s.sources {
		switch src.Kind {
		case content.Home:
			s.home = src
			continue
		case content.Article, content.Page:
		default:
			continue
		}
		sc := expand.Scope{AsOf: s.today}
		if src.Provider != "" {
			if sc.Provider = s.kb.Provider(src.Provider); sc.Provider == nil {
				continue
			}
		}
		x := expand.New(s.env, sc)
		title := x.Plain(src.Title)
		if len(x.Errors()) > 0 {
			errs = append(errs, x.Errors()...)
			continue
		}
		path := s.urls.Page(src.Slug)
		if src.Kind == content.Article {
			path = s.urls.Article(src.Slug)
		}
		s.articles = append(s.articles, &article{view.Article{Title: title, Description: src.Description, URL: path, Weight: src.Weight}, src, sc})
	}
	sort.SliceStable(s.articles, func(i, j int) bool {
		a, b := s.articles[i], s.articles[j]
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		return a.Title < b.Title
	})
	return errs
}

// titleGuides expands every guide's title before any page is rendered, so
// that lists and cross-links can show them. Where one source makes several
// protocol pages for a provider, the protocol tells them apart.
func (s *planner) titleGuides() diag.ErrorList {
	var errs diag.ErrorList
	count := map[[2]any]int{}
	for _, g := range s.guides {
		count[[2]any{g.Source, g.Provider}]++
	}
	for _, g := range s.guides {
		x := expand.New(s.env, guideScope(g))
		g.Title = x.Plain(g.Source.Title)
		errs = append(errs, x.Errors()...)
		if count[[2]any{g.Source, g.Provider}] > 1 {
			g.Title += " (" + g.Protocol.Label() + ")"
		}
	}
	return errs
}

func guideScope(g *view.Guide) expand.Scope {
	return expand.Scope{Provider: g.Provider, Client: g.Client, Protocol: g.Protocol, AsOf: g.AsOf}
}

// guidesFor keeps the guides keep accepts, in the guides' order.
func (s *planner) guidesFor(keep func(*view.Guide) bool) []*view.Guide {
	var out []*view.Guide
	for _, g := range s.guides {
		if keep(g) {
			out = append(out, g)
		}
	}
	return out
}
