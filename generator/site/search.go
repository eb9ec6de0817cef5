package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"golang.org/x/net/publicsuffix"

	"mailkb/generator/model"
)

// SearchEntry is one thing the search page can find by name. The build
// writes them all to /search/index.json, beside the full-text index of
// every page (searchindex.go); /js/search.js searches both in the browser:
// no server, and nothing fetched from anywhere but the site. The search
// page also lists them all, so it is a plain index without JavaScript.
type SearchEntry struct {
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
			e.Text, e.Host = "Current server of "+strings.Join(providers, " and "), hostCurrent
		case h.Published():
			e.Text, e.Host = "No longer published ("+strings.Join(providers, ", ")+")", hostOld
		default:
			e.Text, e.Host = "Not a real setting: a mistake in published guides", hostWrong
		}
		e.Terms = providers
		see := func(host string) {
			if u := b.urls.Host(host); host != h.Name && !contains(e.See, u) {
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
			if now := currentSuccessor(er.Erratum.Endpoint); now != nil && !now.HostIsTemplate() {
				see(now.Host)
			}
		}
		out = append(out, e)
	}
	for _, c := range b.kb.Clients {
		out = append(out, SearchEntry{Kind: "client", Title: c.Name, URL: b.urls.Client(c),
			Text: c.Vendor + " · " + strings.Join(c.Platforms, ", "), Terms: append([]string{c.Vendor}, c.Platforms...)})
	}
	aliases := map[*model.Provider][]string{}
	for _, p := range b.kb.Providers {
		aliases[p] = providerAliases(p)
	}
	for _, g := range b.guides {
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
		out = append(out, SearchEntry{Kind: "guide", Title: g.Title, URL: g.URL, Text: text, Terms: terms})
	}
	for _, a := range articles {
		out = append(out, SearchEntry{Kind: "article", Title: a.Title, URL: a.URL, Text: a.Description})
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

// SearchGroup is one kind of entry on the search page's plain list.
type SearchGroup struct {
	Kind, Heading string
	Entries       []SearchEntry
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

// searchBatch is how many pages a build reads at a time: their terms are
// merged into the index and let go before the next pages are read.
const searchBatch = 256

// searchIndex writes the full-text index of every rendered page into the
// build, beside /search/index.json, and returns index.json: the entries
// and what the browser needs to read the index. It runs once every page
// is rendered. In a Session it reads again only the pages whose bytes, or
// whose entry, changed since the last build.
func (b *builder) searchIndex(entries []SearchEntry) ([]byte, error) {
	byURL := map[string]*SearchEntry{}
	for i := range entries {
		byURL[entries[i].URL] = &entries[i]
	}
	cache := searchCacheOf(b.session)
	var kept map[string]cachedPage
	if cache != nil {
		cache.mu.Lock()
		defer cache.mu.Unlock()
		kept = map[string]cachedPage{}
	}
	paths := slices.Clone(b.pages)
	slices.Sort(paths)
	merger := newTextMerger()
	for batch := range slices.Chunk(paths, searchBatch) {
		read := make([]cachedPage, len(batch))
		var jobs []func() error
		for i, p := range batch {
			now := cachedPage{html: b.files[b.fileOf(p)], boost: 1}
			if e := byURL[p]; e != nil {
				now.name, now.keywords = e.Title, e.Terms
				if boost, ok := hostBoost[e.Host]; ok {
					now.boost = boost
				}
			}
			if was, ok := cache.page(p); ok && was.sameInputs(now) {
				read[i] = was
				continue
			}
			read[i] = now
			if unindexedKinds[pageKind(now.html)] {
				continue
			}
			jobs = append(jobs, func() error {
				page, ok := extractSearchPage(p, now.html)
				if !ok {
					return nil
				}
				var err error
				read[i].entry, err = indexPage(&indexedPage{searchPage: page, Name: cmp.Or(now.name, page.Title),
					Keywords: now.keywords, Boost: now.boost})
				return err
			})
		}
		if errs := parallel(jobs); len(errs) > 0 {
			return nil, errs.Err()
		}
		for i, p := range batch {
			if kept != nil {
				kept[p] = read[i]
			}
			if read[i].entry != nil {
				merger.add(read[i].entry)
			}
		}
	}
	if cache != nil {
		cache.pages = kept
	}
	text, err := merger.files()
	if err != nil {
		return nil, err
	}
	dir := path.Dir(b.fileOf(b.urls.SearchIndex()))
	for name, data := range text.Files {
		b.files[path.Join(dir, name)] = data
	}
	out, err := json.Marshal(struct {
		Version int           `json:"version"`
		Entries []SearchEntry `json:"entries"`
		Text    textManifest  `json:"text"`
	}{2, entries, text.Manifest})
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// searchCache is what the search index keeps between the builds of a
// Session: each page with what it was read from.
type searchCache struct {
	mu    sync.Mutex
	pages map[string]cachedPage // by URL path
}

// page returns what the last build read of a page; nothing outside a
// Session.
func (c *searchCache) page(path string) (cachedPage, bool) {
	if c == nil {
		return cachedPage{}, false
	}
	p, ok := c.pages[path]
	return p, ok
}

// cachedPage is a page's part of the index and what it was made from.
type cachedPage struct {
	html     []byte
	name     string
	keywords []string
	boost    float64
	entry    *pageEntry // nil for a page the index leaves out
}

// sameInputs reports whether c was made from what now is. A page reused
// from the last build is the same slice, which bytes.Equal compares
// without reading it.
func (c cachedPage) sameInputs(now cachedPage) bool {
	return bytes.Equal(c.html, now.html) && c.name == now.name && slices.Equal(c.keywords, now.keywords) && c.boost == now.boost
}

var (
	searchCachesMu sync.Mutex
	searchCaches   = map[weak.Pointer[Session]]*searchCache{}
)

// searchCacheOf returns a Session's search cache, made on its first build
// and dropped when the Session is garbage; nil outside a Session.
func searchCacheOf(s *Session) *searchCache {
	if s == nil {
		return nil
	}
	key := weak.Make(s)
	searchCachesMu.Lock()
	defer searchCachesMu.Unlock()
	c := searchCaches[key]
	if c == nil {
		c = &searchCache{}
		searchCaches[key] = c
		runtime.AddCleanup(s, func(key weak.Pointer[Session]) {
			searchCachesMu.Lock()
			delete(searchCaches, key)
			searchCachesMu.Unlock()
		}, key)
	}
	return c
}
