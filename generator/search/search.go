// Package search makes the site's search: the entries the search page
// finds by name (providers, hosts old, new and wrong, mail programs,
// guides, articles) and a full-text index of every page's sections, which
// /js/search.js reads in the browser. The build writes both as static
// files: no server, and nothing fetched from anywhere but the site.
package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"

	"mailkb/generator/model"
	"mailkb/generator/urls"
	"mailkb/generator/view"
)

// Entry is one thing the search page can find by name. The build
// writes them all to /search/index.json, beside the full-text index of
// every page (searchindex.go); /js/search.js searches both in the browser:
// no server, and nothing fetched from anywhere but the site. The search
// page also lists them all, so it is a plain index without JavaScript.
type Entry struct {
	Kind  string `json:"k"`           // provider, host, client, guide or article
	Title string `json:"t"`           // what the result shows and matches first
	URL   string `json:"u"`           // the page
	Text  string `json:"s,omitempty"` // one line under the title
	// Terms are other words that find the page: hostnames, domains, former
	// names, platforms. The full-text index holds them as the page's
	// keywords, so index.json does not repeat them.
	Terms []string `json:"-"`
	// See lists the URLs of entries shown with this one wherever it is
	// found: the current replacements of a host no longer published, and
	// for a mistaken host the right value and what replaced it since.
	See []string `json:"r,omitempty"`
	// Host says what a host is: current, old (no longer published) or
	// wrong (a mistake in published guides). Empty for other kinds.
	Host string `json:"h,omitempty"`
}

// What a host entry's Host says.
const (
	hostCurrent = "current"
	hostOld     = "old"
	hostWrong   = "wrong"
)

// Entries lists providers, hosts (old and new, and the wrong ones
// that circulate), clients, guides and articles.
func Entries(kb *model.KB, u urls.URLs, hosts []*view.Host, guides []*view.Guide, articles []*view.Article) []Entry {
	var out []Entry
	for _, p := range kb.Providers {
		terms := append([]string{}, p.Domains...)
		for _, f := range p.FormerNames {
			terms = append(terms, f.Name)
		}
		seen := map[string]bool{}
		for _, e := range p.Endpoints {
			if !seen[e.Host] && !e.HostIsTemplate() {
				seen[e.Host] = true
				terms = append(terms, e.Host)
			}
		}
		out = append(out, Entry{Kind: "provider", Title: p.Name, URL: u.Provider(p),
			Text: "Current settings, history and sources", Terms: terms})
	}
	for _, h := range hosts {
		e := Entry{Kind: "host", Title: h.Name, URL: u.Host(h.Name)}
		var providers []string
		for _, ep := range h.Endpoints {
			if name := ep.Provider.Name; !contains(providers, name) {
				providers = append(providers, name)
			}
		}
		switch {
		case h.Current():
			e.Text, e.Host = "Current server of "+strings.Join(providers, " and "), hostCurrent
		case h.Published():
			e.Text, e.Host = "No longer published ("+strings.Join(providers, ", ")+")", hostOld
		default:
			e.Text, e.Host = "Not a real setting: a mistake in published guides", hostWrong
		}
		e.Terms = providers
		see := func(host string) {
			if u := u.Host(host); host != h.Name && !contains(e.See, u) {
				e.See = append(e.See, u)
			}
		}
		for _, r := range h.Replacements() {
			see(r.Host)
		}
		// A mistake leads to the right value and, when that value is no
		// longer published, to what replaced it; a name that is itself a
		// current server (an IMAP host given as the SMTP one) leads to
		// its own page only.
		for _, er := range h.Errata {
			if h.Current() {
				break
			}
			if right := er.Erratum.Right; model.ValidHostname(right) {
				see(right)
			}
			if now := view.CurrentSuccessor(er.Erratum.Endpoint); now != nil && !now.HostIsTemplate() {
				see(now.Host)
			}
		}
		out = append(out, e)
	}
	for _, c := range kb.Clients {
		out = append(out, Entry{Kind: "client", Title: c.Name, URL: u.Client(c),
			Text: c.Vendor + " · " + strings.Join(c.Platforms, ", "), Terms: append([]string{c.Vendor}, c.Platforms...)})
	}
	aliases := map[*model.Provider][]string{}
	for _, p := range kb.Providers {
		aliases[p] = providerAliases(p)
	}
	for _, g := range guides {
		text := fmt.Sprintf("%s with %s in %s", g.Provider.Name, g.Protocol.Label(), g.Client.Name)
		if g.Historical {
			text += ", historical: settings of " + g.AsOfDate.Human()
		}
		// A guide is found by the names its provider and program go by,
		// which its own text may not use: "hotmail outlook 2013 imap".
		terms := []string{g.Protocol.Label()}
		for _, name := range []string{g.Client.Name, g.Provider.Name} {
			if !strings.Contains(g.Title, name) {
				terms = append(terms, name)
			}
		}
		terms = append(append(terms, aliases[g.Provider]...), g.Client.Platforms...)
		out = append(out, Entry{Kind: "guide", Title: g.Title, URL: g.URL, Text: text, Terms: terms})
	}
	for _, a := range articles {
		out = append(out, Entry{Kind: "article", Title: a.Title, URL: a.URL, Text: a.Description})
	}
	return out
}

// providerAliases are the names a provider goes by besides its own: its
// former names and the names its mail domains are registered under
// (hotmail of hotmail.co.uk), each once.
func providerAliases(p *model.Provider) []string {
	var out []string
	for _, f := range p.FormerNames {
		out = append(out, f.Name)
	}
	for _, d := range p.Domains {
		registered, err := publicsuffix.EffectiveTLDPlusOne(d)
		if err != nil {
			continue
		}
		if name, _, _ := strings.Cut(registered, "."); !contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Group is one kind of entry on the search page's plain list.
type Group struct {
	Kind, Heading string
	Entries       []Entry
}

// Groups orders entries for the plain list.
func Groups(entries []Entry) []Group {
	groups := []Group{{Kind: "provider", Heading: "Providers"}, {Kind: "host", Heading: "Server names"},
		{Kind: "client", Heading: "Mail programs"}, {Kind: "guide", Heading: "Guides"}, {Kind: "article", Heading: "Articles"}}
	for _, e := range entries {
		for i := range groups {
			if groups[i].Kind == e.Kind {
				groups[i].Entries = append(groups[i].Entries, e)
			}
		}
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Entries) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// unindexedKinds are the pages the index leaves out: those that list
// others, whose words are the titles of the pages they link to, and the
// year pages, whose tables repeat the provider page's history of servers
// (which links them) year after year.
var unindexedKinds = map[string]bool{"home": true, "providers": true, "clients": true, "guides": true,
	"hosts": true, "search": true, "404": true, "as-of": true}

// hostBoost keeps a page about a name no longer published, or never real,
// below the pages about what to use: it still comes first when typed
// whole, but not for a word it shares with them.
var hostBoost = map[string]float64{hostCurrent: 1, hostOld: 0.8, hostWrong: 0.5}

// Page is one page's part of the full-text index.
type Page struct {
	path  string
	entry *pageEntry
	// what it was read with, besides the page itself
	name     string
	keywords []string
	boost    float64
}

// Read reads a rendered page, at site path, for the full-text index: nil
// for a page the index leaves out (listings, year pages, a page without
// a main element). e is the page's entry, when it has one: its title,
// keywords and kind of host weigh in the ranking.
func Read(path string, html []byte, e *Entry) (*Page, error) {
	if unindexedKinds[pageKind(html)] {
		return nil, nil
	}
	page, ok := extractSearchPage(path, html)
	if !ok {
		return nil, nil
	}
	p := &Page{path: path}
	p.name, p.keywords, p.boost = readWith(e)
	var err error
	p.entry, err = indexPage(&indexedPage{searchPage: page, Name: cmp.Or(p.name, page.Title), Keywords: p.keywords, Boost: p.boost})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ReadWith reports whether p, read from the same page, stays right for
// the entry e: a page reused from an earlier build keeps its part of the
// index unless its entry changed.
func (p *Page) ReadWith(e *Entry) bool {
	name, keywords, boost := readWith(e)
	return p.name == name && slices.Equal(p.keywords, keywords) && p.boost == boost
}

// readWith is what an entry adds to its page's reading: its title, the
// words that find it and the weight of its kind of host.
func readWith(e *Entry) (name string, keywords []string, boost float64) {
	if e == nil {
		return "", nil, 1
	}
	boost = 1
	if b, ok := hostBoost[e.Host]; ok {
		boost = b
	}
	return e.Title, e.Terms, boost
}

// Index makes the search's files: index.json — the entries, and what the
// browser needs to read the full-text index — and the full-text index
// files, named relative to index.json's folder. pages may come in any
// order and hold nils (pages left out).
func Index(entries []Entry, pages []*Page) (indexJSON []byte, files map[string][]byte, err error) {
	read := slices.DeleteFunc(slices.Clone(pages), func(p *Page) bool { return p == nil })
	slices.SortFunc(read, func(a, b *Page) int { return strings.Compare(a.path, b.path) })
	merger := newTextMerger()
	for _, p := range read {
		merger.add(p.entry)
	}
	text, err := merger.files()
	if err != nil {
		return nil, nil, err
	}
	out, err := json.Marshal(struct {
		Version int          `json:"version"`
		Entries []Entry      `json:"entries"`
		Text    textManifest `json:"text"`
	}{2, entries, text.Manifest})
	if err != nil {
		return nil, nil, err
	}
	return append(out, '\n'), text.Files, nil
}
