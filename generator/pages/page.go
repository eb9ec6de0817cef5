package pages

import (
	"encoding/json"
	"html/template"
	"time"

	"mailkb/generator/jsonld"
	"mailkb/generator/model"
	"mailkb/generator/search"
	"mailkb/generator/urls"
	"mailkb/generator/view"
)

// Page is what a page template receives.
type Page struct {
	Site        model.Site
	URLs        urls.URLs
	Today       model.Date
	Kind        string
	Title       string
	Description string
	Path        string // URL path of this page
	Crumbs      []Crumb
	Body        template.HTML

	Provider   *model.Provider
	Client     *model.Client
	Guide      *view.Guide
	Host       *view.Host
	Incoming   []*model.Endpoint
	Outgoing   []*model.Endpoint
	Table      *view.Table
	Providers  []*model.Provider
	Clients    []*model.Client
	Guides     []*view.Guide
	Hosts      []*view.Host
	Events     []view.Event
	Sources    []*model.Source
	Articles   []*view.Article
	Historical bool
	OtherWays  []*model.Endpoint // provider pages: current ways in besides IMAP, POP3 and SMTP
	Facts      []*model.Fact     // provider pages: facts that hold today
	PastFacts  []*model.Fact     // provider pages: facts that held once
	Exports    []ExportLink      // provider pages: the files generator/export writes for the provider
	Ways       *view.Ways        // current guides: how the client adds the account today
	Checklist  *view.Checklist   // provider and guide pages: what to do before the settings
	Embed      *Embed
	NoIndex    bool // kept out of the sitemap (embeds)

	LD       []any            // JSON-LD objects for the page head (structuredData)
	OGType   string           // Open Graph type: website, or article for guides and articles
	Diagrams *view.Diagrams   // provider pages: drawn from the current endpoints
	AsOf     *view.AsOfYear   // as-of pages
	Years    []int            // provider pages: the years that have an as-of page
	Timeline []view.YearLinks // the history page: events by year, with as-of links
	Figures  []view.Figure    // the history page: each provider's eras and servers, drawn
	Search   []search.Group   // the search page's plain list
}

// Crumb is one step of the breadcrumb trail.
type Crumb struct{ Title, URL string }

// ExportLink is one file of a provider's exports, for its page; a file
// not offered has no URL, and its note says why.
type ExportLink struct {
	Label, URL, Note string
}

// Embed is what the embed templates receive: one provider's current
// quick-reference table, or one protocol of it.
type Embed struct {
	Site     model.Site
	URLs     urls.URLs
	Provider *model.Provider
	Protocol model.Protocol // "" for every protocol
	Table    *view.Table
	Verified *model.Verification // newest verification of the rows
}

func (s *planner) page(kind, title, path string, crumbs ...Crumb) *Page {
	return &Page{Site: s.kb.Site, URLs: s.urls, Today: model.DateOf(s.today), Kind: kind, Title: title, Path: path,
		Crumbs: append([]Crumb{{"Home", s.urls.Home()}}, crumbs...), Providers: s.kb.Providers, Clients: s.kb.Clients}
}

// render renders a page with its kind's template, and with the
// structured data and Open Graph type it has unless set.
func (s *planner) render(p *Page) ([]File, error) {
	if p.LD == nil {
		p.LD = s.structuredData(p)
	}
	if p.OGType == "" {
		p.OGType = "website"
		if p.Kind == "guide" || p.Kind == "article" {
			p.OGType = "article"
		}
	}
	out, err := s.tmpl.Page(p.Kind, p)
	if err != nil {
		return nil, err
	}
	return []File{{s.urls.File(p.Path), out}}, nil
}

func (s *planner) table(rows []*model.Endpoint, asOf time.Time) *view.Table {
	return view.NewTable(rows, asOf, s.today, s.kb.Site.StaleAfterDays, s.urls)
}

// jsonLD marshals v for a <script type="application/ld+json"> element.
// json.Marshal escapes <, > and & as \u003c…, so no value can close the
// script element; html/template then inserts the template.JS unchanged.
func jsonLD(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	return template.JS(b), err
}

// structuredData describes a page for search engines: a BreadcrumbList
// from its crumbs, a HowTo for a guide and an FAQPage for a provider's
// questions.
func (s *planner) structuredData(pg *Page) []any {
	var out []any
	if len(pg.Crumbs) > 0 {
		items := make([]jsonld.Crumb, 0, len(pg.Crumbs)+1)
		for _, c := range pg.Crumbs {
			items = append(items, jsonld.Crumb{Name: c.Title, URL: s.urls.Abs(c.URL)})
		}
		out = append(out, jsonld.Breadcrumbs(append(items, jsonld.Crumb{Name: pg.Title, URL: s.urls.Abs(pg.Path)})))
	}
	switch {
	case pg.Kind == "guide" && pg.Guide != nil:
		out = append(out, jsonld.HowTo(pg.Title, pg.Description, s.urls.Abs(pg.Path), s.kb.Site.Language, pg.Guide.Client.Name, string(pg.Body)))
	case pg.Kind == "provider" && pg.Provider != nil && len(pg.Provider.FAQ) > 0:
		var qs []jsonld.Question
		for _, q := range pg.Provider.FAQ {
			answer, err := s.md.Block(q.Answer)
			if err != nil {
				answer = q.Answer
			}
			qs = append(qs, jsonld.Question{Question: q.Question, AnswerHTML: answer})
		}
		out = append(out, jsonld.FAQPage(qs))
	}
	return out
}
