package site

import (
	"encoding/json"
	"html/template"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
func (b *builder) structuredData(pg *Page) []any {
	var out []any
	if len(pg.Crumbs) > 0 {
		items := make([]any, 0, len(pg.Crumbs)+1)
		for i, c := range pg.Crumbs {
			items = append(items, ld{"@type": "ListItem", "position": i + 1, "name": c.Title, "item": b.urls.Abs(c.URL)})
		}
		items = append(items, ld{"@type": "ListItem", "position": len(pg.Crumbs) + 1, "name": pg.Title, "item": b.urls.Abs(pg.Path)})
		out = append(out, ld{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})
	}
	switch {
	case pg.Kind == "guide" && pg.Guide != nil:
		out = append(out, b.howTo(pg))
	case pg.Kind == "provider" && pg.Provider != nil && len(pg.Provider.FAQ) > 0:
		var qs []any
		for _, q := range pg.Provider.FAQ {
			answer, err := b.md.Block(q.Answer)
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
func (b *builder) howTo(pg *Page) ld {
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
		"url": b.urls.Abs(pg.Path), "inLanguage": b.kb.Site.Language,
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

// robots is robots.txt: everything may be crawled, and the sitemap says
// what there is. Embeds carry their own noindex.
func (b *builder) robots() []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + b.urls.Abs(b.urls.Sitemap()) + "\n")
}
