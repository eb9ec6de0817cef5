package site

import (
	"encoding/json"
	"fmt"
	"strings"

	"mailkb/generator/model"
)

// SearchEntry is one thing the search page can find. The build writes
// them all to /search/index.json, which /js/search.js filters in the
// browser: no server, and nothing fetched from anywhere but the site. The
// search page also lists them all, so it is a plain index without
// JavaScript.
type SearchEntry struct {
	Kind  string   `json:"k"`           // provider, host, client, guide or article
	Title string   `json:"t"`           // what the result shows and matches first
	URL   string   `json:"u"`           // the page
	Text  string   `json:"s,omitempty"` // one line under the title
	Terms []string `json:"w,omitempty"` // other words that find it: hostnames, domains, former names
	// See lists the URLs of entries shown with this one wherever it is
	// found: the current replacements of a host no longer published.
	See []string `json:"r,omitempty"`
}

// SearchGroup is one kind of entry on the search page's plain list.
type SearchGroup struct {
	Kind, Heading string
	Entries       []SearchEntry
}

// searchEntries lists providers, hosts (old and new, and the wrong ones
// that circulate), clients, guides and articles.
func (b *builder) searchEntries(articles []*Article) []SearchEntry {
	var out []SearchEntry
	for _, p := range b.kb.Providers {
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
		out = append(out, SearchEntry{Kind: "provider", Title: p.Name, URL: b.urls.Provider(p),
			Text: "Current settings, history and sources", Terms: terms})
	}
	for _, h := range b.hosts {
		e := SearchEntry{Kind: "host", Title: h.Name, URL: b.urls.Host(h.Name)}
		var providers []string
		for _, ep := range h.Endpoints {
			if name := ep.Provider.Name; !contains(providers, name) {
				providers = append(providers, name)
			}
		}
		switch {
		case h.Current():
			e.Text = "Current server of " + strings.Join(providers, " and ")
		case h.Published():
			e.Text = "No longer published (" + strings.Join(providers, ", ") + ")"
		default:
			e.Text = "Not a real setting: a mistake in published guides"
		}
		e.Terms = providers
		for _, r := range h.Replacements() {
			e.See = append(e.See, b.urls.Host(r.Host))
		}
		for _, er := range h.Errata {
			if right := er.Erratum.Right; model.ValidHostname(right) && !contains(e.See, b.urls.Host(right)) {
				e.See = append(e.See, b.urls.Host(right))
			}
		}
		out = append(out, e)
	}
	for _, c := range b.kb.Clients {
		out = append(out, SearchEntry{Kind: "client", Title: c.Name, URL: b.urls.Client(c),
			Text: c.Vendor + " · " + strings.Join(c.Platforms, ", "), Terms: append([]string{c.Vendor}, c.Platforms...)})
	}
	for _, g := range b.guides {
		text := fmt.Sprintf("%s with %s in %s", g.Provider.Name, g.Protocol.Label(), g.Client.Name)
		if g.Historical {
			text += ", historical: settings of " + g.AsOfDate.Human()
		}
		out = append(out, SearchEntry{Kind: "guide", Title: g.Title, URL: g.URL, Text: text,
			Terms: []string{g.Client.Name, g.Provider.Name, g.Protocol.Label()}})
	}
	for _, a := range articles {
		out = append(out, SearchEntry{Kind: "article", Title: a.Title, URL: a.URL, Text: a.Description})
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

// searchGroups orders entries for the plain list.
func searchGroups(entries []SearchEntry) []SearchGroup {
	groups := []SearchGroup{{Kind: "provider", Heading: "Providers"}, {Kind: "host", Heading: "Server names"},
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

// searchIndex is /search/index.json.
func searchIndex(entries []SearchEntry) ([]byte, error) {
	b, err := json.Marshal(struct {
		Version int           `json:"version"`
		Entries []SearchEntry `json:"entries"`
	}{1, entries})
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
