package browsertest

import (
	"bytes"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/site"
)

// bundledSite is the bundled knowledge base, rendered once on today's
// date and served on 127.0.0.1, with the pages the tests visit. The pages
// are picked from the data — a provider with a history, one of its old
// servers and the one that replaced it, a current and a historical guide —
// so that the tests follow the data and name none of it.
type bundledSite struct {
	files  map[string][]byte
	server *httptest.Server
	kb     *model.KB

	provider *model.Provider // current IMAP and SMTP servers, and the longest history
	asOf     string          // one of its year pages, one with a change in the year if any
	guide    string          // a guide of a mail program still current
	oldGuide string          // a guide of a mail program of the past
	client   *model.Client   // the current guide's program
	article  string          // an article, "" when there is none
	// oldHosts are hosts no longer published, each with the current host
	// that replaced it.
	oldHosts [][2]string
}

var (
	bundledOnce sync.Once
	bundled     *bundledSite
	bundledErr  string
)

// theSite returns the bundled site, rendering it on first use.
func theSite(t *testing.T) *bundledSite {
	t.Helper()
	bundledOnce.Do(func() {
		day := kbtest.Day(t, RepoRoot)
		files, err := site.Render(site.Options{Root: RepoRoot, Now: day})
		if err != nil {
			bundledErr = "the bundled site does not build:\n" + err.Error()
			return
		}
		kb, err := loader.Load(RepoRoot, loader.WithToday(day))
		if err != nil {
			bundledErr = err.Error()
			return
		}
		b := &bundledSite{files: files, kb: kb, server: httptest.NewServer(Handler(files))}
		if msg := b.pick(); msg != "" {
			bundledErr = msg
		}
		bundled = b
	})
	if bundledErr != "" {
		t.Fatal(bundledErr)
	}
	if bundled == nil { // the first test to ask failed while setting it up
		t.Fatal("the bundled site could not be set up; see the first failure")
	}
	return bundled
}

// pick chooses the pages the tests visit; it says what is missing when
// the data offers none to choose.
func (b *bundledSite) pick() string {
	for _, p := range b.kb.Providers {
		if currentHost(p, model.IMAP) != nil && currentHost(p, model.SMTP) != nil &&
			(b.provider == nil || len(p.Endpoints) > len(b.provider.Endpoints)) {
			b.provider = p
		}
	}
	if b.provider == nil {
		return "no bundled provider has a current IMAP and a current SMTP server to show"
	}
	p := b.provider
	var years []string
	for name := range b.files {
		if strings.HasPrefix(name, "providers/"+p.ID+"/as-of/") {
			years = append(years, "/"+strings.TrimSuffix(name, "index.html"))
		}
	}
	sort.Strings(years)
	for _, y := range years {
		if bytes.Count(b.files[strings.TrimPrefix(y, "/")+"index.html"], []byte(`<table class="settings">`)) > 1 {
			b.asOf = y
			break
		}
	}
	if b.asOf == "" && len(years) > 0 {
		b.asOf = years[0]
	}
	var guides []string
	for name := range b.files {
		if parts := strings.Split(name, "/"); len(parts) == 5 && parts[0] == "guides" && b.kb.Client(parts[1]) != nil {
			guides = append(guides, name)
		}
	}
	sort.Strings(guides)
	// The provider's own guides first, then the others'.
	sort.SliceStable(guides, func(i, j int) bool {
		return strings.Split(guides[i], "/")[2] == p.ID && strings.Split(guides[j], "/")[2] != p.ID
	})
	for _, name := range guides {
		parts := strings.Split(name, "/")
		c, path := b.kb.Client(parts[1]), "/"+strings.TrimSuffix(name, "index.html")
		switch {
		case c.Until.IsZero() && parts[2] == p.ID && b.guide == "":
			b.guide, b.client = path, c
		case !c.Until.IsZero() && b.oldGuide == "":
			b.oldGuide = path
		}
	}
	if b.asOf == "" || b.guide == "" || b.oldGuide == "" {
		return "the bundled site has no year page or no guide of a current mail program for " + p.ID + ", or no guide of a program of the past"
	}
	for _, e := range p.Endpoints {
		r := kbtest.Successor(e)
		if e.HostIsTemplate() || r == nil || r.Host == e.Host || kbtest.HasCurrent(&model.KB{Providers: []*model.Provider{p}}, e.Host) || slices.ContainsFunc(b.oldHosts, func(h [2]string) bool { return h[0] == e.Host }) {
			continue
		}
		b.oldHosts = append(b.oldHosts, [2]string{e.Host, r.Host})
	}
	if len(b.oldHosts) == 0 {
		return "no server of " + p.ID + " was replaced by another host: the search tests need one"
	}
	for name := range b.files {
		if strings.HasPrefix(name, "articles/") && (b.article == "" || "/"+strings.TrimSuffix(name, "index.html") < b.article) {
			b.article = "/" + strings.TrimSuffix(name, "index.html")
		}
	}
	return ""
}

// currentHost is p's first current endpoint of proto (the preferred one).
func currentHost(p *model.Provider, proto model.Protocol) *model.Endpoint {
	for _, e := range p.CurrentEndpoints() {
		if e.Protocol == proto && !e.HostIsTemplate() {
			return e
		}
	}
	return nil
}
