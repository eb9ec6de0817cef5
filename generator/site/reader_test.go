package site

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// guideBudget is the most a guide page may weigh: its HTML plus the one
// stylesheet, so that it opens fast on a slow phone connection.
const guideBudget = 60 * 1024

// TestGuidePagesAreLight checks every guide of the bundled site against
// the budget, and reports the heaviest.
func TestGuidePagesAreLight(t *testing.T) {
	files := renderBundled(t)
	css := len(files["css/site.css"])
	heaviest, name, guides := 0, "", 0
	for f, body := range files {
		if !strings.HasPrefix(f, "guides/") || f == "guides/index.html" || !strings.HasSuffix(f, ".html") {
			continue
		}
		guides++
		if total := len(body) + css; total > heaviest {
			heaviest, name = total, f
		}
		if total := len(body) + css; total >= guideBudget {
			t.Errorf("%s: %d bytes of HTML + %d of CSS = %d, over the %d budget", f, len(body), css, total, guideBudget)
		}
	}
	if guides == 0 {
		t.Fatal("no guide pages")
	}
	t.Logf("%d guides; heaviest %s: %d bytes with the stylesheet (%d of CSS)", guides, name, heaviest, css)
}

var ldPattern = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// jsonLDOf decodes every JSON-LD block of a page, keyed by @type.
func jsonLDOf(t *testing.T, page []byte) map[string]map[string]any {
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
		out[v["@type"].(string)] = v
	}
	return out
}

func TestStructuredData(t *testing.T) {
	files := renderBundled(t)
	tests := []struct {
		page  string
		types []string
	}{
		{"guides/thunderbird/outlook-com/imap/index.html", []string{"BreadcrumbList", "HowTo"}},
		{"guides/outlook-express/outlook-com/pop3/index.html", []string{"BreadcrumbList", "HowTo"}},
		{"providers/outlook-com/index.html", []string{"BreadcrumbList", "FAQPage"}},
		{"hosts/pop3.live.com/index.html", []string{"BreadcrumbList"}},
		{"index.html", nil},
	}
	for _, tt := range tests {
		got := jsonLDOf(t, files[tt.page])
		if len(got) != len(tt.types) {
			t.Errorf("%s: JSON-LD types %v, want %v", tt.page, sortedKeys(got), tt.types)
		}
		for _, typ := range tt.types {
			if got[typ] == nil {
				t.Errorf("%s: no %s", tt.page, typ)
			}
		}
		if bc := got["BreadcrumbList"]; bc != nil {
			items := bc["itemListElement"].([]any)
			last := items[len(items)-1].(map[string]any)
			if !strings.Contains(string(files[tt.page]), `<link rel="canonical" href="`+last["item"].(string)+`">`) {
				t.Errorf("%s: the last breadcrumb %v is not the canonical URL", tt.page, last["item"])
			}
			for i, it := range items {
				if pos := it.(map[string]any)["position"].(float64); int(pos) != i+1 {
					t.Errorf("%s: breadcrumb %d has position %v", tt.page, i, pos)
				}
			}
		}
	}
	howTo := jsonLDOf(t, files["guides/thunderbird/outlook-com/imap/index.html"])["HowTo"]
	steps := howTo["step"].([]any)
	if len(steps) != 6 {
		t.Errorf("Thunderbird guide: %d HowTo steps, want the 6 list items", len(steps))
	}
	if first := steps[0].(map[string]any)["text"].(string); !strings.HasPrefix(first, "Open ≡ menu → New Account") {
		t.Errorf("first step = %q", first)
	}
	if howTo["tool"].([]any)[0].(map[string]any)["name"] != "Thunderbird" {
		t.Errorf("HowTo tool = %v", howTo["tool"])
	}
	faq := jsonLDOf(t, files["providers/outlook-com/index.html"])["FAQPage"]
	qs := faq["mainEntity"].([]any)
	q := qs[0].(map[string]any)
	answer := q["acceptedAnswer"].(map[string]any)["text"].(string)
	if q["name"] != "What is Outlook.com's outgoing (SMTP) server?" || !strings.HasPrefix(answer, "smtp-mail.outlook.com, port 587") {
		t.Errorf("first FAQ = %v / %q", q["name"], answer)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestJSONLDCannotCloseTheScript puts markup in data that ends up in
// JSON-LD and checks that it stays inside the script element, escaped.
func TestJSONLDCannotCloseTheScript(t *testing.T) {
	kb := smallKB()
	kb["data/providers/acme.yaml"] += `faq:
  - id: evil
    question: "Does </script><script>alert(1)</script> work?"
    answer: "No & never <b>bold</b>."
    sources: [s1]
`
	files, err := Render(Options{Root: writeKB(t, kb), Now: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	page := files["providers/acme/index.html"]
	if strings.Contains(string(page), "<script>alert(1)") {
		t.Fatal("a FAQ question closed the JSON-LD script element")
	}
	faq := jsonLDOf(t, page)["FAQPage"]
	q := faq["mainEntity"].([]any)[0].(map[string]any)
	if q["name"] != "Does </script><script>alert(1)</script> work?" {
		t.Errorf("question = %q, want it intact after decoding", q["name"])
	}
}

func TestOpenGraphAndRobots(t *testing.T) {
	files := renderBundled(t)
	page := string(files["guides/thunderbird/outlook-com/imap/index.html"])
	for _, want := range []string{
		`<meta property="og:type" content="article">`,
		`<meta property="og:title" content="Outlook.com in Thunderbird (IMAP)">`,
		`<meta property="og:url" content="https://mailkb.example/guides/thunderbird/outlook-com/imap/">`,
		`<meta property="og:site_name" content="mailkb">`,
		`<meta property="og:description" content="`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("guide lacks %s", want)
		}
	}
	robots := string(files["robots.txt"])
	if !strings.Contains(robots, "User-agent: *\n") || !strings.Contains(robots, "\nSitemap: https://mailkb.example/sitemap.xml\n") {
		t.Errorf("robots.txt:\n%s", robots)
	}
}

// TestFeedValidates checks the Atom feed against the rules of RFC 4287
// that the W3C feed validator enforces.
func TestFeedValidates(t *testing.T) {
	files := renderBundled(t)
	var feed struct {
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
	if err := xml.Unmarshal(files["feed.xml"], &feed); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	one := func(what string, vs []string) string {
		if len(vs) != 1 || strings.TrimSpace(vs[0]) == "" {
			t.Errorf("%s: %d values %q, want exactly one, not empty", what, len(vs), vs)
			return ""
		}
		return vs[0]
	}
	isDate := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s %q is not an RFC 3339 date-time", what, s)
		}
	}
	isIRI := func(what, s string) {
		if u, err := url.Parse(s); err != nil || !u.IsAbs() {
			t.Errorf("%s %q is not an absolute IRI", what, s)
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
			self = l.Href == feed.ID[0] && l.Type == "application/atom+xml"
		}
	}
	if !self {
		t.Error(`the feed needs <link rel="self"> to its own address`)
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
	}
}

// TestSitemapValidates checks the sitemap against the sitemaps.org
// protocol: the namespace, absolute unique URLs under the site, no more
// than 50,000 of them, and no page left out but the 404 page and embeds.
func TestSitemapValidates(t *testing.T) {
	files := renderBundled(t)
	var sm struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	if len(sm.URLs) == 0 || len(sm.URLs) > 50000 || len(files["sitemap.xml"]) > 50<<20 {
		t.Errorf("sitemap has %d URLs in %d bytes", len(sm.URLs), len(files["sitemap.xml"]))
	}
	seen := map[string]bool{}
	for _, u := range sm.URLs {
		if !strings.HasPrefix(u.Loc, "https://mailkb.example/") || seen[u.Loc] {
			t.Errorf("sitemap URL %q is outside the site or repeated", u.Loc)
		}
		seen[u.Loc] = true
		if files[target(strings.TrimPrefix(u.Loc, "https://mailkb.example"))] == nil {
			t.Errorf("sitemap URL %q has no page", u.Loc)
		}
	}
	for _, must := range []string{"https://mailkb.example/search/", "https://mailkb.example/providers/outlook-com/as-of/2009/"} {
		if !seen[must] {
			t.Errorf("sitemap lacks %s", must)
		}
	}
}

func TestAsOfPages(t *testing.T) {
	files := renderBundled(t)
	tests := []struct {
		page      string
		want, not []string
	}{
		{"providers/outlook-com/as-of/2009/index.html",
			[]string{"From 1 January 2009 until February 2009", "services.msn.com", "From February 2009", "pop3.live.com", "smtp.live.com", `href="/providers/outlook-com/as-of/2008/"`, `href="/providers/outlook-com/as-of/2010/"`},
			[]string{"outlook.office365.com"}},
		{"providers/outlook-com/as-of/2026/index.html",
			[]string{"outlook.office365.com", "smtp-mail.outlook.com"},
			[]string{"<code>pop3.live.com</code>", `as-of/2027/`}},
	}
	for _, tt := range tests {
		page := string(files[tt.page])
		if page == "" {
			t.Errorf("no %s", tt.page)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", tt.page, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(page, n) {
				t.Errorf("%s has %q", tt.page, n)
			}
		}
	}
	provider := string(files["providers/outlook-com/index.html"])
	history := string(files["history/index.html"])
	for _, link := range []string{`href="/providers/outlook-com/as-of/2009/"`, `href="/providers/outlook-com/as-of/2026/"`} {
		if !strings.Contains(provider, link) {
			t.Errorf("provider page does not link %s", link)
		}
	}
	if !strings.Contains(history, `<h2 id="y2009">2009</h2>`) || !strings.Contains(history, `href="/providers/outlook-com/as-of/2009/"`) {
		t.Error("the history timeline's 2009 does not link the 2009 settings")
	}
}

// TestSearchIndex checks that old host names lead to their replacements,
// as the search page shows them.
func TestSearchIndex(t *testing.T) {
	files := renderBundled(t)
	var idx struct {
		Entries []SearchEntry `json:"entries"`
	}
	if err := json.Unmarshal(files["search/index.json"], &idx); err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]SearchEntry{}
	kinds := map[string]int{}
	for _, e := range idx.Entries {
		byTitle[e.Title] = e
		kinds[e.Kind]++
		if files[target(e.URL)] == nil {
			t.Errorf("entry %q links to %s, which does not exist", e.Title, e.URL)
		}
	}
	for _, k := range []string{"provider", "host", "client", "guide", "article"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in the index", k)
		}
	}
	tests := []struct{ host, replacement string }{
		{"pop3.live.com", "/hosts/outlook.office365.com/"},
		{"smtp.live.com", "/hosts/smtp-mail.outlook.com/"},
		{"pop3.live.vom", "/hosts/pop3.live.com/"}, // an erratum leads to the right value
	}
	for _, tt := range tests {
		e, ok := byTitle[tt.host]
		if !ok || e.URL != "/hosts/"+tt.host+"/" {
			t.Errorf("no host entry for %s", tt.host)
			continue
		}
		if !contains(e.See, tt.replacement) {
			t.Errorf("%s: see also %v, want %s", tt.host, e.See, tt.replacement)
		}
	}
	page := string(files["search/index.html"])
	if !strings.Contains(page, `<a href="/hosts/pop3.live.com/"><code>pop3.live.com</code></a>`) {
		t.Error("the search page's plain list lacks pop3.live.com")
	}
}
