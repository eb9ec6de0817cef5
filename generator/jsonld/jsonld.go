// Package jsonld describes pages for search engines as schema.org JSON-LD
// objects: a breadcrumb trail, a HowTo made from a guide's numbered steps,
// and a page of questions and answers. Objects are maps, which marshal
// with sorted keys: the same page gives the same bytes.
package jsonld

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ld is one JSON-LD object. Maps marshal with sorted keys, so the output
// is deterministic and "@context" and "@type" come first.
type ld = map[string]any

// Crumb is one step of a breadcrumb trail, with its absolute URL.
type Crumb struct{ Name, URL string }

// Breadcrumbs is the BreadcrumbList of a trail, the page itself last.
func Breadcrumbs(trail []Crumb) any {
	items := make([]any, len(trail))
	for i, c := range trail {
		items[i] = ld{"@type": "ListItem", "position": i + 1, "name": c.Name, "item": c.URL}
	}
	return ld{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
}

// HowTo describes a guide at url for the mail program tool: its steps are
// the items of the ordered lists in its body (HTML), in order; a guide
// without one gets a single step that points at its settings table.
func HowTo(name, description, url, language, tool, body string) any {
	var steps []any
	for i, text := range orderedSteps(body) {
		steps = append(steps, ld{"@type": "HowToStep", "position": i + 1, "text": text})
	}
	if len(steps) == 0 {
		steps = append(steps, ld{"@type": "HowToStep", "position": 1,
			"text": "Enter the server names, ports and encryption from the settings table in " + tool + "."})
	}
	return ld{"@context": "https://schema.org", "@type": "HowTo", "name": name, "description": description,
		"url": url, "inLanguage": language, "tool": []any{ld{"@type": "HowToTool", "name": tool}}, "step": steps}
}

// Question is one question with its answer as HTML.
type Question struct{ Question, AnswerHTML string }

// FAQPage is the FAQPage of questions; answers are given as their text.
func FAQPage(qs []Question) any {
	items := make([]any, len(qs))
	for i, q := range qs {
		items[i] = ld{"@type": "Question", "name": q.Question, "acceptedAnswer": ld{"@type": "Answer", "text": textOf(q.AnswerHTML)}}
	}
	return ld{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": items}
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
