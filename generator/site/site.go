// Package site builds the public site from a loaded knowledge base,
// content sources and templates: it decides which pages exist and at which
// URL (the URL contract), expands shortcodes, renders every page, the feed
// and the sitemap, and publishes the result atomically.
package site

import (
	"fmt"
	"html/template"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/diag"
	"mailkb/generator/export"
	"mailkb/generator/inputfs"
	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/markdown"
	"mailkb/generator/model"
	"mailkb/generator/publish"
	"mailkb/generator/render"
)

// Options says what to build and where.
type Options struct {
	Root string    // the folder holding data/, content/ and templates/
	Out  string    // where to publish (see package publish)
	Now  time.Time // the build's "today"; zero means now
	// Waiting is called when another process is publishing to Out, before
	// this build waits for it.
	Waiting func(out string)
}

// publishOptions are the publisher's options for a build of opts.
func (opts Options) publishOptions() publish.Options {
	root := opts.Root
	if root == "" {
		root = "."
	}
	return publish.Options{Project: root, Waiting: opts.Waiting}
}

// Result describes a finished build.
type Result struct {
	Pages    int // HTML pages written
	Files    int // all files written
	Warnings int // lint warnings (./build.sh check lists them)
	// In a Session: pages rendered, and pages reused from the last build.
	Rendered, Reused int
	// Notes are what publishing found and dealt with (see publish.Stats).
	Notes []string
}

// builder holds everything one build shares.
type builder struct {
	kb       *model.KB
	sources  []*content.Source
	tmpl     *render.Templates
	md       *markdown.Renderer
	urls     URLs
	today    time.Time
	hosts    []*Host
	events   []Event
	eventsOf map[*model.Provider][]Event // events by provider, oldest first
	guides   []*Guide
	// currentGuides indexes the guides showing today's settings, for the
	// "what works today" links of historical guides.
	currentGuides map[guideKey][]*Guide
	filesMu       sync.Mutex
	files         map[string][]byte
	pages         []string // paths of HTML pages, for the sitemap
	session       *Session // nil outside a Session
	keys          *keys    // memo keys, in a Session
	newMemo       map[string]memoPage
	newGroups     map[string]fileGroup
	rendered      int               // pages rendered (in a Session), guarded by filesMu
	reused        int               // pages copied from the last build, guarded by filesMu
	mdMu          sync.Mutex        // guards the two caches below
	mdCache       map[string]string // expanded markdown → HTML
	partials      map[string]string // partial name and data key → HTML
}

// Build loads the knowledge base under opts.Root, renders it and publishes
// it to opts.Out. On any error nothing is published and Out is untouched.
// An output folder that may not be used (see package publish) is refused
// before anything is rendered.
func Build(opts Options) (Result, error) {
	target, err := publish.Open(opts.Out, opts.publishOptions())
	if err != nil {
		return Result{}, err
	}
	files, findings, err := Check(opts)
	if err != nil {
		return Result{}, err
	}
	if errs := lint.Errors(findings); len(errs) > 0 {
		return Result{}, errs.Err()
	}
	stats, err := target.Publish(files)
	if err != nil {
		return Result{}, err
	}
	res := Result{Files: len(files), Warnings: len(findings), Notes: stats.Notes}
	for p := range files {
		if strings.HasSuffix(p, ".html") {
			res.Pages++
		}
	}
	return res, nil
}

// Render builds every output file in memory, keyed by its path under the
// output folder. Lint errors fail it like any other error.
func Render(opts Options) (map[string][]byte, error) {
	files, findings, err := Check(opts)
	if err != nil {
		return nil, err
	}
	if errs := lint.Errors(findings); len(errs) > 0 {
		return nil, errs.Err()
	}
	return files, nil
}

// Check renders the site in memory and lints the knowledge base against
// it, returning the files and every finding, warnings included.
func Check(opts Options) (map[string][]byte, []lint.Finding, error) {
	files, b, err := renderAll(opts, nil)
	if err != nil {
		return nil, nil, err
	}
	return files, lint.Check(b.kb, b.sources, lint.Options{Today: b.today, PageExists: b.exists(files)}), nil
}

// exists reports whether a site path is one of files.
func (b *builder) exists(files map[string][]byte) func(string) bool {
	return func(p string) bool {
		_, ok := files[strings.TrimPrefix(target(p), strings.TrimPrefix(b.urls.base, "/")+"/")]
		return ok
	}
}

// target maps a site path to the file that serves it.
func target(p string) string {
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

func renderAll(opts Options, session *Session) (map[string][]byte, *builder, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := model.DateOf(now).Start()
	root := opts.Root
	if root == "" {
		root = "."
	}
	prefix := ""
	if root != "." {
		prefix = root
	}
	loadOpts := []loader.Option{loader.WithToday(today)}
	if session != nil {
		loadOpts = append(loadOpts, loader.WithCache(session.cache))
	}
	kb, err := loader.Load(root, loadOpts...)
	if err != nil {
		return nil, nil, err
	}
	fsys, err := inputfs.Open(root)
	if err != nil {
		return nil, nil, err
	}
	defer fsys.Close()
	sources, err := content.Load(fsys, prefix)
	if err != nil {
		return nil, nil, err
	}
	b := &builder{kb: kb, sources: sources, md: markdown.New(), urls: newURLs(kb.Site.BaseURL),
		today: today, files: map[string][]byte{}, mdCache: map[string]string{}, partials: map[string]string{}}
	tmpl, err := render.Load(fsys, prefix, b.funcs())
	if err != nil {
		return nil, nil, err
	}
	b.tmpl = tmpl
	if session != nil {
		b.session, b.newMemo, b.newGroups = session, map[string]memoPage{}, map[string]fileGroup{}
		if b.keys, err = newKeys(b, session, fsys, prefix); err != nil {
			return nil, nil, err
		}
	}
	b.hosts = hosts(kb)
	b.events = events(kb)
	b.eventsOf = map[*model.Provider][]Event{}
	for _, e := range b.events {
		b.eventsOf[e.Provider] = append(b.eventsOf[e.Provider], e)
	}
	if err := b.build(); err != nil {
		return nil, nil, err
	}
	if key := b.memoKey("exports", b.keys.dataOnly()); !b.reuseFiles("exports", key) {
		exported, err := export.Files(kb, export.Options{BaseURL: kb.Site.BaseURL, Today: today,
			ProviderPage: func(p *model.Provider) string { return b.urls.Abs(b.urls.Provider(p)) }})
		if err != nil {
			return nil, nil, err
		}
		names := make([]string, 0, len(exported))
		for name, data := range exported {
			if _, taken := b.files[name]; taken {
				return nil, nil, fmt.Errorf("export %s: a page already has that path", name)
			}
			b.files[name] = data
			names = append(names, name)
		}
		b.recordFiles("exports", key, names)
	}
	if err := b.static(fsys); err != nil {
		return nil, nil, err
	}
	return b.files, b, nil
}

// Page is what a page template receives.
type Page struct {
	Site        model.Site
	URLs        URLs
	Today       model.Date
	Kind        string
	Title       string
	Description string
	Path        string // URL path of this page
	Crumbs      []Crumb
	Body        template.HTML

	Provider   *model.Provider
	Client     *model.Client
	Guide      *Guide
	Host       *Host
	Incoming   []*model.Endpoint
	Outgoing   []*model.Endpoint
	Table      *Table
	Providers  []*model.Provider
	Clients    []*model.Client
	Guides     []*Guide
	Hosts      []*Host
	Events     []Event
	Sources    []*model.Source
	Articles   []*Article
	Historical bool
	OtherWays  []*model.Endpoint // provider pages: current ways in besides IMAP, POP3 and SMTP
	Facts      []*model.Fact     // provider pages: facts that hold today
	PastFacts  []*model.Fact     // provider pages: facts that held once
	Exports    []ExportLink      // provider pages: the files generator/export writes for the provider
	Ways       *Ways             // current guides: how the client adds the account today
	Checklist  *Checklist        // provider and guide pages: what to do before the settings
	Embed      *Embed
	NoIndex    bool   // kept out of the sitemap (embeds)
	memoKey    string // in a Session: the key of this page's inputs

	LD       []any         // JSON-LD objects for the page head (structuredData)
	OGType   string        // Open Graph type: website, or article for guides and articles
	Diagrams *Diagrams     // provider pages: drawn from the current endpoints
	AsOf     *AsOfYear     // as-of pages
	Years    []int         // provider pages: the years that have an as-of page
	Timeline []YearLinks   // the history page: events by year, with as-of links
	Figures  []Figure      // the history page: each provider's eras and servers, drawn
	Search   []SearchGroup // the search page's plain list
}

// Diagrams are a provider page's inline SVG drawings.
type Diagrams struct {
	Connections, Submission template.HTML
	Timeline                template.HTML // eras and servers on a year axis
}

// Crumb is one step of the breadcrumb trail.
type Crumb struct{ Title, URL string }

// Article is a rendered free-standing content page.
type Article struct {
	Title, Description, URL string
	Weight                  int
}

// Guide is one rendered client × provider × protocol tutorial.
type Guide struct {
	Source     *content.Source
	Client     *model.Client
	Provider   *model.Provider
	Protocol   model.Protocol
	AsOf       time.Time
	AsOfDate   model.Date // AsOf as precisely as the sources date it
	Title      string
	URL        string
	Historical bool // shows settings no longer published
}

// Table is the data of a quick-reference table.
type Table struct {
	Rows []*model.Endpoint
	// LastKnown marks rows shown on a day after their window ended: the
	// last known settings of their protocol, with no later record.
	LastKnown map[*model.Endpoint]bool
	AsOf      model.Date
	Today     model.Date
	Stale     int // days after which a verification is stale
	URLs      URLs
}

func (b *builder) table(rows []*model.Endpoint, asOf time.Time) *Table {
	return &Table{Rows: rows, AsOf: model.DateOf(asOf), Today: model.DateOf(b.today), Stale: b.kb.Site.StaleAfterDays, URLs: b.urls}
}

func (b *builder) page(kind, title, path string, crumbs ...Crumb) *Page {
	return &Page{Site: b.kb.Site, URLs: b.urls, Today: model.DateOf(b.today), Kind: kind, Title: title, Path: path,
		Crumbs: append([]Crumb{{"Home", b.urls.Home()}}, crumbs...), Providers: b.kb.Providers, Clients: b.kb.Clients}
}

// fileOf is the output file that serves a site path.
func (b *builder) fileOf(path string) string {
	file := strings.TrimPrefix(strings.TrimPrefix(path, b.urls.base), "/")
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	return file
}

// emit renders a page and files it under its URL path.
func (b *builder) emit(p *Page) error {
	if p.LD == nil {
		p.LD = b.structuredData(p)
	}
	if p.OGType == "" {
		p.OGType = "website"
		if p.Kind == "guide" || p.Kind == "article" {
			p.OGType = "article"
		}
	}
	out, err := b.tmpl.Page(p.Kind, p)
	if err != nil {
		return err
	}
	file := b.fileOf(p.Path)
	b.filesMu.Lock()
	defer b.filesMu.Unlock()
	b.files[file] = out
	if p.memoKey != "" {
		b.newMemo[file] = memoPage{p.memoKey, out, p.Kind != "404" && !p.NoIndex}
	}
	if p.Kind != "404" && !p.NoIndex {
		b.pages = append(b.pages, p.Path)
	}
	return nil
}

// markdown renders expanded markdown, once per distinct text. Values are
// tokens until after rendering, so one guide source gives the same text for
// every provider it renders for, and goldmark and chroma run once for all.
func (b *builder) markdown(md string) (string, error) {
	b.mdMu.Lock()
	h, ok := b.mdCache[md]
	b.mdMu.Unlock()
	if ok {
		return h, nil
	}
	h, err := b.md.Block(md)
	if err != nil {
		return "", err
	}
	b.mdMu.Lock()
	b.mdCache[md] = h
	b.mdMu.Unlock()
	return h, nil
}

// rendered is a content source expanded and rendered for one scope.
type rendered struct {
	Title       string
	Body        template.HTML
	HasSettings bool // the body shows the quick-reference table itself
}

// renderBody expands and renders a content source in scope sc.
func (b *builder) renderBody(src *content.Source, sc scope) (*rendered, error) {
	x := &expansion{b: b, sc: sc}
	title := x.plain(src.Title)
	md := x.markdown(src.Body)
	if len(x.errs) > 0 {
		return nil, x.errs.Err()
	}
	h, err := b.markdown(md)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.File, err)
	}
	h = b.urls.rebase(h)
	h, err = x.finish(h)
	if err != nil {
		return nil, err
	}
	return &rendered{Title: title, Body: template.HTML(h), HasSettings: x.hasSettings}, nil
}

// parallel runs jobs on every core and returns their errors.
func parallel(jobs []func() error) diag.ErrorList {
	var (
		mu   sync.Mutex
		errs diag.ErrorList
		wg   sync.WaitGroup
	)
	next := make(chan func() error)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				if err := job(); err != nil {
					mu.Lock()
					errs = appendErr(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, job := range jobs {
		next <- job
	}
	close(next)
	wg.Wait()
	return errs
}

func appendErr(errs diag.ErrorList, err error) diag.ErrorList {
	if l, ok := err.(diag.ErrorList); ok {
		return append(errs, l...)
	}
	return append(errs, &diag.Error{Msg: err.Error()})
}

// build renders every page. Pages are independent once guides are planned
// and articles are known (the home page lists them), so each phase runs on
// every core; output stays byte-identical because files are keyed by path
// and lists are sorted.
func (b *builder) build() error {
	if err := b.planGuides(); err != nil {
		return err
	}
	if b.keys != nil {
		b.keys.guideList(b.guides)
	}
	var home *content.Source
	var articleSources []*content.Source
	for _, src := range b.sources {
		switch src.Kind {
		case content.Home:
			home = src
		case content.Article, content.Page:
			articleSources = append(articleSources, src)
		}
	}
	articles := make([]*Article, len(articleSources))
	var jobs []func() error
	for i, src := range articleSources {
		jobs = append(jobs, func() (err error) {
			articles[i], err = b.article(src)
			return err
		})
	}
	if errs := parallel(jobs); len(errs) > 0 {
		return errs.Err()
	}
	articles = slices.DeleteFunc(articles, func(a *Article) bool { return a == nil })
	sort.SliceStable(articles, func(i, j int) bool {
		if articles[i].Weight != articles[j].Weight {
			return articles[i].Weight < articles[j].Weight
		}
		return articles[i].Title < articles[j].Title
	})

	jobs = nil
	for _, g := range b.guides {
		jobs = append(jobs, func() error { return b.guidePage(g) })
	}
	for _, p := range b.kb.Providers {
		jobs = append(jobs, func() error { return b.providerPage(p) })
		jobs = append(jobs, b.embedJobs(p)...)
		jobs = append(jobs, b.asOfPages(p)...)
	}
	for _, c := range b.kb.Clients {
		jobs = append(jobs, func() error {
			key := b.memoKey("client", c.ID, b.guideListKey(), b.namesKey())
			if b.reuse(b.urls.Client(c), key) {
				return nil
			}
			pg := b.page("client", c.Name, b.urls.Client(c), Crumb{"Clients", b.urls.Clients()})
			pg.Client, pg.Guides, pg.Description = c, b.guidesFor(func(g *Guide) bool { return g.Client == c }), "Setting up mail in "+c.Name+": supported protocols and guides."
			pg.memoKey = key
			return b.emit(pg)
		})
	}
	for _, h := range b.hosts {
		jobs = append(jobs, func() error {
			key := b.memoKey("host", h.Name, b.namesKey(), b.hostProvidersKey(h))
			if b.reuse(b.urls.Host(h.Name), key) {
				return nil
			}
			pg := b.page("host", h.Name, b.urls.Host(h.Name), Crumb{"Hosts", b.urls.Hosts()})
			pg.Host, pg.Description = h, "What the mail server name "+h.Name+" is, when it was valid and what replaced it."
			pg.memoKey = key
			return b.emit(pg)
		})
	}
	lists := []*Page{
		b.page("providers", "Providers", b.urls.Providers()),
		b.page("clients", "Mail clients", b.urls.Clients()),
		b.page("guides", "Setup guides", b.urls.Guides()),
		b.page("hosts", "Server names", b.urls.Hosts()),
		b.page("history", "History of settings", b.urls.History()),
		b.page("sources", "Sources", b.urls.Sources()),
		b.page("404", "Page not found", b.urls.Path("/404.html")),
	}
	entries := b.searchEntries(articles)
	search := b.page("search", "Search", b.urls.Search())
	search.Search, search.Description = searchGroups(entries), "Find a provider, a server name (old or new), a mail program or a guide."
	lists = append(lists, search)
	for _, pg := range lists {
		pg.Guides, pg.Hosts, pg.Events, pg.Sources, pg.Articles = b.guides, b.hosts, b.events, b.kb.Sources, articles
		if pg.Kind == "history" {
			pg.Timeline = b.timelineYears()
			pg.Figures = b.historyFigures()
		}
		pg.memoKey = b.memoKey(pg.Kind, b.listingKey(pg, entries))
		jobs = append(jobs, func() error {
			if b.reuse(pg.Path, pg.memoKey) {
				return nil
			}
			return b.emit(pg)
		})
	}
	jobs = append(jobs, func() error {
		key := b.memoKey("home", b.wholeKey())
		if b.reuse(b.urls.Home(), key) {
			return nil
		}
		return b.homePage(home, articles, key)
	})
	if errs := parallel(jobs); len(errs) > 0 {
		return errs.Err()
	}
	if key := b.memoKey("feed", b.keys.dataOnly()); !b.reuseFiles("feed", key) {
		feed, err := b.feed()
		if err != nil {
			return err
		}
		b.files["feed.xml"] = feed
		b.recordFiles("feed", key, []string{"feed.xml"})
	}
	b.files["sitemap.xml"] = b.sitemap()
	b.files["robots.txt"] = b.robots()
	index, err := b.searchIndex(entries)
	if err != nil {
		return err
	}
	b.files[b.fileOf(b.urls.SearchIndex())] = index
	return nil
}

func (b *builder) homePage(home *content.Source, articles []*Article, key string) error {
	pg := b.page("home", b.kb.Site.Title, b.urls.Home())
	pg.memoKey = key
	pg.Crumbs = nil
	pg.Guides, pg.Articles, pg.Events = b.guides, articles, recent(b.events, 10)
	pg.Description = b.kb.Site.Description
	if home != nil {
		r, err := b.renderBody(home, scope{asOf: b.today})
		if err != nil {
			return err
		}
		pg.Body = r.Body
		if home.Description != "" {
			pg.Description = home.Description
		}
	}
	return b.emit(pg)
}

// recent returns the n newest events, newest first.
func recent(evs []Event, n int) []Event {
	out := make([]Event, 0, n)
	for i := len(evs) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, evs[i])
	}
	return out
}

func (b *builder) article(src *content.Source) (*Article, error) {
	sc := scope{asOf: b.today}
	if src.Provider != "" {
		if sc.provider = b.kb.Provider(src.Provider); sc.provider == nil {
			return nil, nil // about a provider this knowledge base lacks: lint warns, the site leaves it out
		}
	}
	r, err := b.renderBody(src, sc)
	if err != nil {
		return nil, err
	}
	title, body := r.Title, r.Body
	path := b.urls.Path("/" + src.Slug + "/")
	var crumbs []Crumb
	if src.Kind == content.Article {
		path = b.urls.Path("/articles/" + src.Slug + "/")
	}
	pg := b.page("article", title, path, crumbs...)
	pg.Body, pg.Description, pg.Provider = body, src.Description, sc.provider
	return &Article{Title: title, Description: src.Description, URL: path, Weight: src.Weight}, b.emit(pg)
}

func (b *builder) providerPage(p *model.Provider) error {
	key := b.memoKey("provider", b.providerKey(p), b.guideListKey(), b.namesKey())
	if b.reuse(b.urls.Provider(p), key) {
		return nil
	}
	pg := b.page("provider", "Mail server settings for "+p.Name, b.urls.Provider(p), Crumb{"Providers", b.urls.Providers()})
	pg.Provider = p
	pg.Description = fmt.Sprintf("Current IMAP, POP3 and SMTP settings for %s, with their history, sources and the errors in old guides.", p.Name)
	current := p.CurrentEndpoints()
	pg.Table = b.table(model.MailServers(current), b.today)
	pg.OtherWays = model.OtherWaysIn(current)
	for _, f := range p.Facts {
		if f.Period.Contains(b.today) {
			pg.Facts = append(pg.Facts, f)
		} else {
			pg.PastFacts = append(pg.PastFacts, f)
		}
	}
	var firsts []*model.Endpoint
	for _, proto := range model.Protocols {
		if proto.MailServer() {
			if es := p.InForce(proto, b.today, b.today); len(es) > 0 && es[0].Status == model.Current {
				firsts = append(firsts, es[0])
			}
		}
	}
	pg.Checklist = checklist(p, firsts, b.today)
	pg.Exports = b.exportLinks(p)
	pg.Guides = b.guidesFor(func(g *Guide) bool { return g.Provider == p })
	pg.Events = b.eventsOf[p]
	pg.Sources = p.Citations()
	pg.Years = asOfYears(p, b.today)
	pg.Diagrams = providerDiagrams(p, b.today)
	pg.memoKey = key
	return b.emit(pg)
}

func (b *builder) guidesFor(keep func(*Guide) bool) []*Guide {
	var out []*Guide
	for _, g := range b.guides {
		if keep(g) {
			out = append(out, g)
		}
	}
	return out
}
