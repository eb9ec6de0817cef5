package pages

import (
	"encoding/json"
	"html/template"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

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

// ld is one JSON-LD object. Maps marshal with sorted keys, so the output
// is deterministic and "@context" and "@type" come first.
type ld = map[string]any

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
		items := make([]any, 0, len(pg.Crumbs)+1)
		for i, c := range pg.Crumbs {
			items = append(items, ld{"@type": "ListItem", "position": i + 1, "name": c.Title, "item": s.urls.Abs(c.URL)})
		}
		items = append(items, ld{"@type": "ListItem", "position": len(pg.Crumbs) + 1, "name": pg.Title, "item": s.urls.Abs(pg.Path)})
		out = append(out, ld{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})
	}
	switch {
	case pg.Kind == "guide" && pg.Guide != nil:
		out = append(out, s.howTo(pg))
	case pg.Kind == "provider" && pg.Provider != nil && len(pg.Provider.FAQ) > 0:
		var qs []any
		for _, q := range pg.Provider.FAQ {
			answer, err := s.md.Block(q.Answer)
			if err != nil {
				answer = q.Answer
			}
			qs = append(qs, ld{"@type": "Question", "name": q.Question,
				"acceptedAnswer": ld{"@type": "Answer", "text": textOf(answer)}})
		}
		out = append(out, ld{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": qs})
	}
	return out
}

// howTo describes a guide: its steps are the items of the ordered lists
// in its body, in order; a guide without one gets a single step that
// points at its settings table.
func (s *planner) howTo(pg *Page) ld {
	g := pg.Guide
	var steps []any
	for i, text := range orderedSteps(string(pg.Body)) {
		steps = append(steps, ld{"@type": "HowToStep", "position": i + 1, "text": text})
	}
	if len(steps) == 0 {
		steps = append(steps, ld{"@type": "HowToStep", "position": 1,
			"text": "Enter the server names, ports and encryption from the settings table in " + g.Client.Name + "."})
	}
	return ld{"@context": "https://schema.org", "@type": "HowTo", "name": pg.Title, "description": pg.Description,
		"url": s.urls.Abs(pg.Path), "inLanguage": s.kb.Site.Language,
		"tool": []any{ld{"@type": "HowToTool", "name": g.Client.Name}}, "step": steps}
}

// orderedSteps returns the text of each item of the top-level ordered
// lists in an HTML fragment.
func orderedSteps(fragment string) []string {
	// Parse only the ordered lists, not the whole body with its tables and
	// code: a guide page's steps are a small part of it, and this runs for
	// every guide page. Tags here are goldmark's (raw HTML is dropped and
	// code is escaped), so "<ol" and "</ol>" can be counted.
	fragment = orderedLists(fragment)
	if fragment == "" {
		return nil
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return nil
	}
	var steps []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Ol {
			for li := n.FirstChild; li != nil; li = li.NextSibling {
				if li.Type == html.ElementNode && li.DataAtom == atom.Li {
					if t := nodeText(li); t != "" {
						steps = append(steps, t)
					}
				}
			}
			return // nested lists belong to their step
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return steps
}

// orderedLists returns the outermost <ol>…</ol> elements of fragment,
// concatenated.
func orderedLists(fragment string) string {
	var b strings.Builder
	for {
		start := strings.Index(fragment, "<ol")
		if start < 0 {
			return b.String()
		}
		depth, i := 0, start
		for i < len(fragment) {
			open, end := strings.Index(fragment[i:], "<ol"), strings.Index(fragment[i:], "</ol>")
			if end < 0 {
				return b.String()
			}
			if open >= 0 && open < end {
				depth++
				i += open + len("<ol")
				continue
			}
			depth--
			i += end + len("</ol>")
			if depth == 0 {
				break
			}
		}
		b.WriteString(fragment[start:i])
		fragment = fragment[i:]
	}
}

// textOf is the text of an HTML fragment, whitespace collapsed.
func textOf(fragment string) string {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return fragment
	}
	var parts []string
	for _, n := range nodes {
		parts = append(parts, nodeText(n))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
