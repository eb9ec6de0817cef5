package site

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/kbtest"
	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/search"
	"mailkb/generator/urls"
	"mailkb/generator/verify"
)

// repoRoot is the repository: the bundled knowledge base, and the
// templates the tests' own knowledge bases are rendered with.
const repoRoot = "../.."

// TestBundledSite runs the checks of a knowledge base of real data on the
// bundled one, as it is in the repository, on today's date.
func TestBundledSite(t *testing.T) { checkRealKB(t, repoRoot) }

// TestBundledSiteAfterMaintainerEdits does what a maintainer does on any
// day — adds a provider and records a check dated today, through the same
// code as `./build.sh verify` — on a copy of the bundled knowledge base,
// and runs the same checks on the copy: neither edit may break the suite.
func TestBundledSiteAfterMaintainerEdits(t *testing.T) {
	root := kbtest.CopyBundled(t)
	added := kbtest.AddProvider(t, root)
	day := kbtest.Day(t, root)
	kb, err := loader.Load(root, loader.WithToday(day))
	if err != nil {
		t.Fatal(err)
	}
	// A check of the new provider, and one of a provider that was there.
	targets := [][2]string{{added.ID, "smtp"}}
	for _, p := range kb.Providers {
		if current := p.CurrentEndpoints(); p.ID != added.ID && len(current) > 0 {
			targets = append(targets, [2]string{p.ID, current[0].ID})
			break
		}
	}
	for _, tg := range targets {
		ev := verify.Event{Date: model.DateOf(day), Method: model.Manual, By: "A maintainer", Note: "Checked today."}
		if _, err := verify.Record(context.Background(), root, tg[0], tg[1], ev, verify.Options{Today: day}); err != nil {
			t.Fatalf("verify %s %s: %v", tg[0], tg[1], err)
		}
	}
	if len(targets) < 2 {
		t.Log("the bundled knowledge base has no current endpoint to record a check of")
	}
	checkRealKB(t, root)
}

// realSite is a knowledge base of real data, loaded and rendered on one
// day, with what its checks derive from it.
type realSite struct {
	root   string
	day    time.Time
	kb     *model.KB
	files  map[string][]byte
	urls   urls.URLs
	guides []plannedGuide
	srcs   []*content.Source
}

// checkRealKB checks the knowledge base at root as its data has it, on
// the day kbtest.Day gives. No check names a provider, client, host or
// date: each expectation is read from the loaded model, so the checks hold
// for the bundled knowledge base and for any copy of it a maintainer has
// extended. It returns the site, for a caller's own checks.
func checkRealKB(t *testing.T, root string) *realSite {
	t.Helper()
	s := newRealSite(t, root, kbtest.Day(t, root))
	for _, c := range realChecks {
		t.Run(c.name, func(t *testing.T) { c.check(s, t) })
	}
	return s
}

// newRealSite renders and loads the knowledge base at root on day.
func newRealSite(t *testing.T, root string, day time.Time) *realSite {
	t.Helper()
	// Check, not Render: a lint error fails the test, and the checks
	// still say what else is wrong.
	files, findings, err := Check(Options{Root: root, Now: day})
	if err != nil {
		t.Fatalf("the knowledge base at %s does not build on %s:\n%v", root, day.Format(time.DateOnly), err)
	}
	for _, e := range lint.Errors(findings) {
		t.Errorf("check: %s", e)
	}
	kb, err := loader.Load(root, loader.WithToday(day))
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := content.Load(os.DirFS(root), root)
	if err != nil {
		t.Fatal(err)
	}
	return &realSite{root: root, day: day, kb: kb, files: files, urls: urls.New(kb.Site.BaseURL), srcs: srcs,
		guides: plannedGuides(kb, srcs, day)}
}

// reporter is what a check reports to: a test, or, in the test of the
// checks themselves, a recorder.
type reporter interface {
	Helper()
	Error(args ...any)
	Errorf(format string, args ...any)
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

// realChecks are the checks of a knowledge base of real data.
var realChecks = []struct {
	name  string
	check func(*realSite, reporter)
}{
	{"URLContract", (*realSite).checkURLContract},
	{"Links", (*realSite).checkLinks},
	{"Deterministic", (*realSite).checkDeterministic},
	{"RecordOnProviderPages", (*realSite).checkRecordOnProviderPages},
	{"HostPages", (*realSite).checkHostPages},
	{"Guides", (*realSite).checkGuides},
	{"AsOfPages", (*realSite).checkAsOfPages},
	{"FeedAndSitemap", (*realSite).checkFeedAndSitemap},
	{"StructuredData", (*realSite).checkStructuredData},
	{"OpenGraphAndRobots", (*realSite).checkOpenGraphAndRobots},
	{"SearchIndex", (*realSite).checkSearchIndex},
	{"GuidePagesAreLight", (*realSite).checkGuideBudget},
}

// plannedGuide is a guide page the data calls for, and the day whose
// settings it shows.
type plannedGuide struct {
	client   *model.Client
	provider *model.Provider
	protocol model.Protocol
	day      time.Time // the day of the settings it shows
	path     string
	today    time.Time // the day of the build
}

// plannedGuides works out, from the data alone, which guide pages the
// site must have: for each guide source, each provider (those it names, or
// all) and each incoming protocol (those it names, or all its client
// speaks) that the provider published, together with SMTP to send
// (HTTPMail sends by itself), while the client was current — showing the
// last such day, or the guide's as_of.
func plannedGuides(kb *model.KB, srcs []*content.Source, today time.Time) []plannedGuide {
	u := urls.New(kb.Site.BaseURL)
	var out []plannedGuide
	for _, src := range srcs {
		c := kb.Client(src.Client)
		if src.Kind != content.Guide || c == nil {
			continue
		}
		providers := kb.Providers
		if len(src.Providers) > 0 {
			providers = nil
			for _, id := range src.Providers {
				if p := kb.Provider(id); p != nil {
					providers = append(providers, p)
				}
			}
		}
		protocols := src.Protocols
		if len(protocols) == 0 {
			for _, p := range c.Protocols {
				if p.Incoming() {
					protocols = append(protocols, p)
				}
			}
		}
		from, until := c.From.Start(), today.AddDate(0, 0, 1)
		if !c.Until.IsZero() && c.Until.Start().Before(until) {
			until = c.Until.Start()
		}
		for _, p := range providers {
			for _, proto := range protocols {
				together := []model.Protocol{proto, model.SMTP}
				if proto == model.HTTPMail {
					together = together[:1]
				}
				day, ok := p.LatestInForce(together, from, until, today)
				if !src.AsOf.IsZero() {
					day, ok = src.AsOf.Start(), len(p.InForce(proto, src.AsOf.Start(), today)) > 0
				}
				if ok {
					out = append(out, plannedGuide{c, p, proto, day, u.Guide(c, p, proto), today})
				}
			}
		}
	}
	return out
}

// historical reports whether the guide is of the past: it shows a way in
// that is no longer published (an incoming server that ended, or is not
// in force today; its outgoing servers do not count), or its program is
// no longer current.
func (g plannedGuide) historical(today time.Time) bool {
	if !g.client.Until.IsZero() && !g.client.Until.Start().After(today) {
		return true
	}
	for _, e := range g.provider.InForce(g.protocol, g.day, today) {
		if e.Status != model.Current || !e.InForceOn(today, today) {
			return true
		}
	}
	return false
}

// works reports whether the guide's program can add the account on day
// t in a way the data documents; one that documents no way is taken at
// its word.
func (g plannedGuide) works(t time.Time) bool {
	ways := g.client.WaysIn(g.provider, g.protocol, t, g.today)
	return len(ways) == 0 || slices.ContainsFunc(ways, model.Way.Works)
}

// file is the output file of a site path (which starts with the base
// path), or "" for a path outside the site.
func (s *realSite) file(p string) string {
	if !strings.HasPrefix(p, s.urls.Base()+"/") {
		return ""
	}
	return s.urls.File(p)
}

// page is the output of a site path; nil when there is none.
func (s *realSite) page(p string) []byte {
	if f := s.file(p); f != "" {
		return s.files[f]
	}
	return nil
}

// asOfYearsOf are the years with an as-of page: from the first year any
// endpoint of p is placed in to today's.
func asOfYearsOf(p *model.Provider, today time.Time) []int {
	first := 0
	for _, e := range p.Endpoints {
		if start, _, ok := e.Window(today); ok && (first == 0 || start.Year() < first) {
			first = start.Year()
		}
	}
	var years []int
	for y := first; first > 0 && y <= today.Year(); y++ {
		years = append(years, y)
	}
	return years
}

// namedHosts are the hosts p names that are one server each (not made
// from the user's domain).
func namedHosts(p *model.Provider) []string {
	var out []string
	for _, e := range p.Endpoints {
		if !e.HostIsTemplate() && !slices.Contains(out, e.Host) {
			out = append(out, e.Host)
		}
	}
	return out
}

func (s *realSite) checkURLContract(t reporter) {
	want := []string{"/", "/404.html", "/sitemap.xml", "/feed.xml", "/robots.txt", "/css/site.css", "/js/copy.js", "/js/search.js",
		"/favicon.svg", "/providers/", "/guides/", "/clients/", "/hosts/", "/history/", "/sources/", "/search/", "/search/index.json",
		"/api/v1/providers.json", "/api/v1/schema.json", "/embed/mailkb-settings.js"}
	for i, p := range want {
		want[i] = s.urls.Path(p)
	}
	asOf := map[string]bool{}
	for _, p := range s.kb.Providers {
		want = append(want, s.urls.Provider(p), s.urls.Embed(p, ""), s.urls.Path("/api/v1/providers/"+p.ID+".json"),
			s.urls.Path("/providers/"+p.ID+"/settings.csv"))
		for _, y := range asOfYearsOf(p, s.day) {
			want = append(want, s.urls.AsOf(p, y))
			asOf[s.file(s.urls.AsOf(p, y))] = true
		}
		for _, h := range namedHosts(p) {
			want = append(want, s.urls.Host(h))
		}
		for _, er := range p.Errata {
			if er.Field == "host" && model.ValidHostname(er.Wrong) {
				want = append(want, s.urls.Host(er.Wrong))
			}
		}
	}
	for _, c := range s.kb.Clients {
		want = append(want, s.urls.Client(c))
	}
	guides := map[string]bool{}
	for _, g := range s.guides {
		want = append(want, g.path)
		guides[s.file(g.path)] = true
	}
	for _, src := range s.srcs {
		// An article about a provider this knowledge base lacks is left out.
		if src.Kind == content.Article && (src.Provider == "" || s.kb.Provider(src.Provider) != nil) {
			want = append(want, s.urls.Path("/articles/"+src.Slug+"/"))
		}
	}
	for _, p := range want {
		if s.page(p) == nil {
			t.Errorf("missing %s", p)
		}
	}
	// Nothing more: a guide or as-of page the data does not call for
	// would show settings no source gives.
	for f := range s.files {
		parts := strings.Split(f, "/")
		switch {
		case len(parts) == 5 && parts[0] == "guides" && !guides[f]:
			t.Errorf("%s is a guide the data does not call for", f)
		case len(parts) == 5 && parts[0] == "providers" && parts[2] == "as-of" && !asOf[f]:
			t.Errorf("%s is an as-of page outside the provider's record", f)
		}
	}
}

var hrefPattern = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
var idPattern = regexp.MustCompile(`id="([^"]*)"`)
var schemePattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// checkLinks follows every internal link and anchor from the home page,
// and checks that every page can be reached.
func (s *realSite) checkLinks(t reporter) {
	ids := map[string]map[string]bool{}
	for name, body := range s.files {
		if strings.HasSuffix(name, ".html") {
			ids[name] = map[string]bool{}
			for _, m := range idPattern.FindAllSubmatch(body, -1) {
				ids[name][string(m[1])] = true
			}
		}
	}
	reached := map[string]bool{"index.html": true}
	queue := []string{"index.html"}
	for len(queue) > 0 {
		page := queue[0]
		queue = queue[1:]
		for _, m := range hrefPattern.FindAllSubmatch(s.files[page], -1) {
			link := html.UnescapeString(string(m[1]))
			if schemePattern.MatchString(link) {
				continue // another site's address, or mailto:
			}
			p, frag, _ := strings.Cut(link, "#")
			file := page
			if p != "" {
				if file = s.file(p); file == "" {
					t.Errorf("%s: link %q is not a path of the site (under %s/)", page, link, s.urls.Base())
					continue
				}
			}
			if s.files[file] == nil {
				t.Errorf("%s: broken link %q", page, link)
				continue
			}
			if frag != "" && strings.HasSuffix(file, ".html") && !ids[file][frag] {
				t.Errorf("%s: link %q names an anchor that %s does not have", page, link, file)
			}
			if strings.HasSuffix(file, ".html") && !reached[file] {
				reached[file] = true
				queue = append(queue, file)
			}
		}
	}
	for name := range s.files {
		if strings.HasSuffix(name, ".html") && name != "404.html" && !reached[name] {
			t.Errorf("%s cannot be reached from the home page", name)
		}
	}
}

// checkDeterministic builds again and compares every byte.
func (s *realSite) checkDeterministic(t reporter) {
	again, _, err := Check(Options{Root: s.root, Now: s.day})
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(s.files) {
		t.Fatalf("%d files, then %d", len(s.files), len(again))
	}
	for name, body := range s.files {
		if !bytes.Equal(body, again[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

var tagPattern = regexp.MustCompile(`(?s)<[^>]*>`)
var spaces = regexp.MustCompile(`\s+`)

// pageText is what a page says: its markup removed, entities decoded and
// spaces collapsed, so that a phrase is found whatever the layout.
func pageText(page []byte) string {
	return spaces.ReplaceAllString(html.UnescapeString(tagPattern.ReplaceAllString(string(page), " ")), " ")
}

// pageSays reports whether text holds phrase, spaces collapsed alike.
func pageSays(text, phrase string) bool {
	return strings.Contains(text, spaces.ReplaceAllString(strings.TrimSpace(phrase), " "))
}

// checkRecordOnProviderPages checks that each provider page carries the
// record as the data has it: every server, every wrong value and its
// correction, each era, fact, dispute, question and source, and the date
// of each server's latest check.
func (s *realSite) checkRecordOnProviderPages(t reporter) {
	for _, p := range s.kb.Providers {
		page := pageText(s.page(s.urls.Provider(p)))
		var want []string
		want = append(want, p.Name)
		want = append(want, namedHosts(p)...)
		for _, f := range p.FormerNames {
			want = append(want, f.Name)
		}
		for _, e := range p.Eras {
			want = append(want, e.Name)
		}
		for _, e := range p.Endpoints {
			if v := e.LastVerified(); v != nil {
				want = append(want, v.Date.Human())
			}
		}
		for _, f := range p.Facts {
			want = append(want, f.Title)
		}
		for _, d := range p.Disputes {
			want = append(want, d.Question)
		}
		for _, er := range p.Errata {
			want = append(want, er.Wrong, er.Right)
		}
		for _, q := range p.FAQ {
			want = append(want, q.Question)
		}
		for _, q := range p.Troubleshooting {
			want = append(want, q.Question)
		}
		for _, src := range p.Citations() {
			want = append(want, src.Publisher)
		}
		for _, w := range want {
			if !pageSays(page, w) {
				t.Errorf("%s lacks %q", s.urls.Provider(p), w)
			}
		}
		// The quick reference is today's: every current server and none
		// that is only history.
		quick := hostsIn(settingsTables(s.page(s.urls.Provider(p)), 1))
		current := map[string]bool{}
		for _, e := range model.MailServers(p.CurrentEndpoints()) {
			if !e.HostIsTemplate() {
				current[e.Host] = true
				if !quick[e.Host] {
					t.Errorf("%s: the quick reference lacks the current server %s", s.urls.Provider(p), e.Host)
				}
			}
		}
		for _, h := range namedHosts(p) {
			if quick[h] && !current[h] {
				t.Errorf("%s: the quick reference shows %s, which no current endpoint names", s.urls.Provider(p), h)
			}
		}
	}
}

var tablePattern = regexp.MustCompile(`(?s)<table class="settings">.*?</table>`)

// preferredRow is the row a settings table marks as the first choice.
var preferredRow = regexp.MustCompile(`(?s)<tr class="preferred">.*?</tr>`)

// settingsTables is the text of a page's first n settings tables (all for
// n < 0).
func settingsTables(page []byte, n int) string {
	var b strings.Builder
	for _, m := range tablePattern.FindAll(page, n) {
		b.WriteString(pageText(m) + "\n")
	}
	return b.String()
}

var hostToken = regexp.MustCompile(`[a-z0-9-]+(?:\.[a-z0-9-]+)+`)

// hostsIn is the set of host names written in a text.
func hostsIn(text string) map[string]bool {
	out := map[string]bool{}
	for _, h := range hostToken.FindAllString(strings.ToLower(text), -1) {
		out[h] = true
	}
	return out
}

// checkHostPages checks each host page against the endpoints and errata
// that name the host.
func (s *realSite) checkHostPages(t reporter) {
	for _, p := range s.kb.Providers {
		for _, e := range p.Endpoints {
			if e.HostIsTemplate() {
				continue
			}
			page := pageText(s.page(s.urls.Host(e.Host)))
			if !pageSays(page, p.Name) || !pageSays(page, strconv.Itoa(e.Port)) {
				t.Errorf("%s does not say that %s used it (port %d)", s.urls.Host(e.Host), p.Name, e.Port)
			}
			if r := kbtest.Successor(e); r != nil && r.Host != e.Host && !kbtest.HasCurrent(s.kb, e.Host) && !pageSays(page, r.Host) {
				t.Errorf("%s does not point to its replacement %s", s.urls.Host(e.Host), r.Host)
			}
		}
		for _, er := range p.Errata {
			if er.Field == "host" && model.ValidHostname(er.Wrong) && !pageSays(pageText(s.page(s.urls.Host(er.Wrong))), er.Right) {
				t.Errorf("%s, a known mistake, does not give the right value %s", s.urls.Host(er.Wrong), er.Right)
			}
		}
	}
}

// checkGuides checks that each guide shows the servers of its day, and
// that a guide of settings no longer published links to the guides of
// today's settings for the same provider and protocol whose programs can
// still add the account.
func (s *realSite) checkGuides(t reporter) {
	for _, g := range s.guides {
		page := s.page(g.path)
		if page == nil {
			continue // checkURLContract reports it
		}
		hosts := hostsIn(pageText(page))
		for _, proto := range []model.Protocol{g.protocol, model.SMTP} {
			if es := g.provider.InForce(proto, g.day, g.today); len(es) > 0 && !es[0].HostIsTemplate() && !hosts[es[0].Host] &&
				(proto != model.SMTP || g.protocol != model.HTTPMail) {
				t.Errorf("%s lacks %s, the %s server on %s", g.path, es[0].Host, proto.Label(), g.day.Format(time.DateOnly))
			}
		}
		if !g.historical(s.day) {
			continue
		}
		for _, o := range s.guides {
			if o.provider == g.provider && o.protocol == g.protocol && !o.historical(s.day) && o.works(s.day) &&
				!bytes.Contains(page, []byte(`href="`+o.path+`"`)) {
				t.Errorf("%s shows settings no longer published but does not link %s, which shows today's and works", g.path, o.path)
			}
		}
	}
}

// checkAsOfPages checks each provider's year pages: the tables of a year
// show every server in force (or, where none was, last known) on some day
// of it, and no other server of the provider.
func (s *realSite) checkAsOfPages(t reporter) {
	tomorrow := s.day.AddDate(0, 0, 1)
	history := s.page(s.urls.History())
	for _, p := range s.kb.Providers {
		tl := p.Timeline(s.day)
		years := asOfYearsOf(p, s.day)
		for i, y := range years {
			path := s.urls.AsOf(p, y)
			page := s.page(path)
			if page == nil {
				continue // checkURLContract reports it
			}
			// Every day of the year: what was in force (or last known),
			// and which of it was the first choice that day.
			want, preferred, mayPrefer := map[string]bool{}, map[string]bool{}, map[string]bool{}
			for day := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == y && day.Before(tomorrow); day = day.AddDate(0, 0, 1) {
				for _, proto := range model.Protocols {
					if !proto.MailServer() {
						continue
					}
					es := tl.InForce(proto, day)
					inForce := len(es) > 0
					if !inForce {
						es = tl.LastKnown(proto, day)
					}
					for _, e := range es {
						if e.HostIsTemplate() {
							continue
						}
						want[e.Host] = true
						if e.PreferredOn(day) {
							mayPrefer[e.Host] = true
							// The tag marks a first choice among others of its protocol.
							preferred[e.Host] = preferred[e.Host] || (inForce && len(es) > 1)
						}
					}
				}
			}
			tables := tablePattern.FindAll(page, -1)
			shown, shownPreferred := hostsIn(settingsTables(page, -1)), map[string]bool{}
			for _, table := range tables {
				for _, row := range preferredRow.FindAll(table, -1) {
					maps.Copy(shownPreferred, hostsIn(pageText(row)))
				}
			}
			for h := range want {
				if !shown[h] {
					t.Errorf("%s lacks %s, in force in %d", path, h, y)
				}
			}
			for _, h := range namedHosts(p) {
				if shown[h] && !want[h] {
					t.Errorf("%s shows %s, which was not in force in %d", path, h, y)
				}
				if preferred[h] && !shownPreferred[h] {
					t.Errorf("%s does not mark %s preferred, the first choice on some day of %d", path, h, y)
				}
				if shownPreferred[h] && !mayPrefer[h] {
					t.Errorf("%s marks %s preferred, which was not the first choice on any day of %d", path, h, y)
				}
			}
			if !bytes.Contains(page, []byte(`href="`+s.urls.Provider(p))) {
				t.Errorf("%s does not link %s", path, s.urls.Provider(p))
			}
			if i > 0 && !bytes.Contains(page, []byte(`href="`+s.urls.AsOf(p, years[i-1])+`"`)) {
				t.Errorf("%s does not link the year before", path)
			}
			if !bytes.Contains(s.page(s.urls.Provider(p)), []byte(`href="`+path+`"`)) {
				t.Errorf("%s does not link %s", s.urls.Provider(p), path)
			}
			if bytes.Contains(history, []byte(fmt.Sprintf(`id="y%d"`, y))) && !bytes.Contains(history, []byte(`href="`+path+`"`)) {
				t.Errorf("the history's year %d does not link %s", y, path)
			}
		}
	}
}

// feedDoc is the part of feed.xml the checks read.
type feedDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      []string `xml:"id"`
	Title   []string `xml:"title"`
	Updated []string `xml:"updated"`
	Author  []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      []string `xml:"id"`
		Title   []string `xml:"title"`
		Updated []string `xml:"updated"`
		Summary string   `xml:"summary"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

// checkFeedAndSitemap checks the Atom feed against the rules of RFC 4287
// that the W3C feed validator enforces, and the sitemap against the
// sitemaps.org protocol: absolute unique URLs under the site, at most
// 50,000, and every page but the 404 page and embeds.
func (s *realSite) checkFeedAndSitemap(t reporter) {
	var feed feedDoc
	if err := xml.Unmarshal(s.files["feed.xml"], &feed); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	one := func(what string, vs []string) string {
		if len(vs) != 1 || strings.TrimSpace(vs[0]) == "" {
			t.Errorf("%s: %d values %q, want exactly one, not empty", what, len(vs), vs)
			return ""
		}
		return vs[0]
	}
	isDate := func(what, v string) {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			t.Errorf("%s %q is not an RFC 3339 date-time", what, v)
		}
	}
	isIRI := func(what, v string) {
		if u, err := url.Parse(v); err != nil || !u.IsAbs() {
			t.Errorf("%s %q is not an absolute IRI", what, v)
		}
	}
	isIRI("feed id", one("feed id", feed.ID))
	one("feed title", feed.Title)
	isDate("feed updated", one("feed updated", feed.Updated))
	if len(feed.Author) != 1 || feed.Author[0].Name == "" {
		t.Error("the feed needs an author with a name (its entries have none)")
	}
	self := false
	for _, l := range feed.Links {
		isIRI("feed link", l.Href)
		if l.Rel == "self" {
			self = len(feed.ID) > 0 && l.Href == feed.ID[0] && l.Type == "application/atom+xml"
		}
	}
	if !self {
		t.Error(`the feed needs <link rel="self"> to its own address`)
	}
	if len(feed.Entries) == 0 {
		t.Fatal("the feed has no entries")
	}
	ids := map[string]bool{}
	for i, e := range feed.Entries {
		what := fmt.Sprintf("entry %d", i)
		id := one(what+" id", e.ID)
		isIRI(what+" id", id)
		if ids[id] {
			t.Errorf("%s: id %s is not unique", what, id)
		}
		ids[id] = true
		one(what+" title", e.Title)
		isDate(what+" updated", one(what+" updated", e.Updated))
		alternate := 0
		for _, l := range e.Links {
			isIRI(what+" link", l.Href)
			if l.Rel == "" || l.Rel == "alternate" {
				alternate++
			}
		}
		if alternate != 1 || e.Summary == "" {
			t.Errorf("%s: %d alternate links and summary %q; an entry without content needs one of each", what, alternate, e.Summary)
		}
		if i > 0 && len(e.Updated) > 0 && len(feed.Entries[i-1].Updated) > 0 && e.Updated[0] > feed.Entries[i-1].Updated[0] {
			t.Errorf("%s is newer than the one before it; the feed is newest first", what)
		}
	}
	if len(feed.Updated) > 0 && len(feed.Entries[0].Updated) > 0 && feed.Updated[0] != feed.Entries[0].Updated[0] {
		t.Errorf("feed updated %s, newest entry %s", feed.Updated[0], feed.Entries[0].Updated[0])
	}

	var sm struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(s.files["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	if len(sm.URLs) == 0 || len(sm.URLs) > 50000 || len(s.files["sitemap.xml"]) > 50<<20 {
		t.Errorf("sitemap has %d URLs in %d bytes", len(sm.URLs), len(s.files["sitemap.xml"]))
	}
	seen := map[string]bool{}
	for _, u := range sm.URLs {
		p, ok := strings.CutPrefix(u.Loc, s.urls.Abs(""))
		if !ok || seen[u.Loc] || s.page(p) == nil {
			t.Errorf("sitemap URL %q is outside the site, repeated or has no page", u.Loc)
		}
		seen[u.Loc] = true
	}
	for name := range s.files {
		if strings.HasSuffix(name, ".html") && name != "404.html" && !strings.HasPrefix(name, "embed/") &&
			!seen[s.urls.Abs(s.urls.Path("/"+strings.TrimSuffix(name, "index.html")))] {
			t.Errorf("sitemap lacks %s", name)
		}
	}
}

var ldPattern = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// jsonLDOf decodes every JSON-LD block of a page, keyed by @type.
func jsonLDOf(t reporter, page []byte) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, m := range ldPattern.FindAllSubmatch(page, -1) {
		var v map[string]any
		if err := json.Unmarshal(m[1], &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		if v["@context"] != "https://schema.org" {
			t.Errorf("JSON-LD without the schema.org context: %s", m[1])
		}
		typ, _ := v["@type"].(string)
		out[typ] = v
	}
	return out
}

// checkBreadcrumbs checks that a page's breadcrumb trail is numbered from
// one and ends at the page's canonical URL.
func checkBreadcrumbs(t reporter, name string, page []byte, bc map[string]any) {
	t.Helper()
	items, _ := bc["itemListElement"].([]any)
	if len(items) == 0 {
		t.Errorf("%s: an empty breadcrumb trail", name)
		return
	}
	last, _ := items[len(items)-1].(map[string]any)
	if item, _ := last["item"].(string); !bytes.Contains(page, []byte(`<link rel="canonical" href="`+item+`">`)) {
		t.Errorf("%s: the last breadcrumb %v is not the canonical URL", name, last["item"])
	}
	for i, it := range items {
		if pos, _ := it.(map[string]any)["position"].(float64); int(pos) != i+1 {
			t.Errorf("%s: breadcrumb %d has position %v", name, i, pos)
		}
	}
}

// checkStructuredData checks the JSON-LD of each page the data makes:
// guides are HowTos whose tool is their client, providers with questions
// are FAQPages that ask them in the data's order, host pages have a trail
// and the home page has none.
func (s *realSite) checkStructuredData(t reporter) {
	type expect struct {
		path  string
		types []string
	}
	var pages []expect
	for _, g := range s.guides {
		pages = append(pages, expect{g.path, []string{"BreadcrumbList", "HowTo"}})
	}
	for _, p := range s.kb.Providers {
		types := []string{"BreadcrumbList"}
		if len(p.FAQ) > 0 {
			types = append(types, "FAQPage")
		}
		pages = append(pages, expect{s.urls.Provider(p), types})
		for _, h := range namedHosts(p) {
			pages = append(pages, expect{s.urls.Host(h), []string{"BreadcrumbList"}})
		}
	}
	pages = append(pages, expect{s.urls.Home(), nil})
	for _, e := range pages {
		page := s.page(e.path)
		got := jsonLDOf(t, page)
		if len(got) != len(e.types) {
			t.Errorf("%s: JSON-LD types %v, want %v", e.path, slices.Sorted(maps.Keys(got)), e.types)
		}
		for _, typ := range e.types {
			if got[typ] == nil {
				t.Errorf("%s: no %s", e.path, typ)
			}
		}
		if bc := got["BreadcrumbList"]; bc != nil {
			checkBreadcrumbs(t, e.path, page, bc)
		}
	}
	for _, g := range s.guides {
		howTo := jsonLDOf(t, s.page(g.path))["HowTo"]
		tools, _ := howTo["tool"].([]any)
		if len(tools) == 0 || tools[0].(map[string]any)["name"] != g.client.Name {
			t.Errorf("%s: HowTo tool %v, want %s", g.path, howTo["tool"], g.client.Name)
		}
		if steps, _ := howTo["step"].([]any); bytes.Contains(s.page(g.path), []byte("<ol>")) && len(steps) == 0 {
			t.Errorf("%s: a numbered list, and no HowTo steps", g.path)
		}
	}
	for _, p := range s.kb.Providers {
		if len(p.FAQ) == 0 {
			continue
		}
		qs, _ := jsonLDOf(t, s.page(s.urls.Provider(p)))["FAQPage"]["mainEntity"].([]any)
		if len(qs) != len(p.FAQ) {
			t.Errorf("%s: %d questions in FAQPage, the data has %d", s.urls.Provider(p), len(qs), len(p.FAQ))
			continue
		}
		for i, q := range qs {
			if name := q.(map[string]any)["name"]; name != p.FAQ[i].Question {
				t.Errorf("%s: FAQPage question %d is %q, the data's is %q", s.urls.Provider(p), i, name, p.FAQ[i].Question)
			}
		}
	}
}

var titlePattern = regexp.MustCompile(`<title>([^<]*)</title>`)

// checkOpenGraphAndRobots checks each guide's Open Graph tags against its
// title and address, and robots.txt against the sitemap's address.
func (s *realSite) checkOpenGraphAndRobots(t reporter) {
	site := html.EscapeString(s.kb.Site.Title)
	for _, g := range s.guides {
		page := s.page(g.path)
		m := titlePattern.FindSubmatch(page)
		if m == nil {
			t.Errorf("%s has no title", g.path)
			continue
		}
		title := strings.TrimSuffix(string(m[1]), " · "+site)
		for _, want := range []string{
			`<meta property="og:type" content="article">`,
			`<meta property="og:title" content="` + title + `">`,
			`<meta property="og:url" content="` + s.urls.Abs(g.path) + `">`,
			`<meta property="og:site_name" content="` + site + `">`,
			`<meta property="og:description" content="`,
		} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("%s lacks %s", g.path, want)
			}
		}
	}
	robots := string(s.files["robots.txt"])
	if !strings.Contains(robots, "User-agent: *\n") || !strings.Contains(robots, "\nSitemap: "+s.urls.Abs(s.urls.Sitemap())+"\n") {
		t.Errorf("robots.txt:\n%s", robots)
	}
}

// checkSearchIndex checks that the search index finds every host, and
// that an old or wrong host brings along the host that replaced or
// corrects it, as the search page shows them.
func (s *realSite) checkSearchIndex(t reporter) {
	var idx struct {
		Entries []search.Entry `json:"entries"`
	}
	if err := json.Unmarshal(s.files["search/index.json"], &idx); err != nil {
		t.Fatal(err)
	}
	byURL := map[string]search.Entry{}
	kinds := map[string]int{}
	for _, e := range idx.Entries {
		byURL[e.URL] = e
		kinds[e.Kind]++
		if s.page(e.URL) == nil {
			t.Errorf("entry %q links to %s, which does not exist", e.Title, e.URL)
		}
	}
	if kinds["provider"] != len(s.kb.Providers) || kinds["client"] != len(s.kb.Clients) || kinds["guide"] != len(s.guides) {
		t.Errorf("the index has %v; the data has %d providers, %d clients and %d guides", kinds, len(s.kb.Providers), len(s.kb.Clients), len(s.guides))
	}
	list := s.page(s.urls.Search())
	for _, p := range s.kb.Providers {
		for _, e := range p.Endpoints {
			if e.HostIsTemplate() {
				continue
			}
			entry, ok := byURL[s.urls.Host(e.Host)]
			if !ok {
				t.Errorf("no search entry for %s", e.Host)
				continue
			}
			if r := kbtest.Successor(e); r != nil && r.Host != e.Host && !slices.Contains(entry.See, s.urls.Host(r.Host)) {
				t.Errorf("%s: see also %v, want its replacement %s", e.Host, entry.See, s.urls.Host(r.Host))
			}
			if !bytes.Contains(list, []byte(`href="`+s.urls.Host(e.Host)+`"`)) {
				t.Errorf("the search page's plain list lacks %s", e.Host)
			}
		}
		for _, er := range p.Errata {
			if er.Field != "host" || !model.ValidHostname(er.Wrong) {
				continue
			}
			// A wrong value that is itself a current server's name (an
			// IMAP host given as the SMTP one) leads to its own page only.
			if kbtest.HasCurrent(s.kb, er.Wrong) {
				continue
			}
			if entry := byURL[s.urls.Host(er.Wrong)]; model.ValidHostname(er.Right) && !slices.Contains(entry.See, s.urls.Host(er.Right)) {
				t.Errorf("%s (a known mistake): see also %v, want %s", er.Wrong, entry.See, s.urls.Host(er.Right))
			}
		}
	}
}

// guideBudget is the most a guide page may weigh: its HTML plus the one
// stylesheet, so that it opens fast on a slow phone connection.
const guideBudget = 60 * 1024

// checkGuideBudget checks every guide against the budget, and reports the
// heaviest.
func (s *realSite) checkGuideBudget(t reporter) {
	css := len(s.files["css/site.css"])
	heaviest, name := 0, ""
	for _, g := range s.guides {
		total := len(s.page(g.path)) + css
		if total > heaviest {
			heaviest, name = total, g.path
		}
		if total >= guideBudget {
			t.Errorf("%s: %d bytes of HTML + %d of CSS = %d, over the %d budget", g.path, total-css, css, total, guideBudget)
		}
	}
	t.Logf("%d guides; heaviest %s: %d bytes with the stylesheet (%d of CSS)", len(s.guides), name, heaviest, css)
}
