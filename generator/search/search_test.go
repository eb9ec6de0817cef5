package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// repoRoot is the repository, from this package.
const repoRoot = "../.."

// tokenize returns the tokens of text, in order.
func tokenize(text string) []string {
	var out []string
	eachToken(text, func(t string) { out = append(out, t) })
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Sign in with OAuth2", []string{"sign", "oauth2", "oauth"}},
		{"pop3.live.com", []string{"pop3.live.com", "live.com", "pop3", "pop", "live", "com"}},
		{"smtp-mail.outlook.com.", []string{"smtp-mail.outlook.com", "outlook.com", "smtp-mail", "smtp", "mail", "outlook", "com"}},
		{"Port 993, not 995.", []string{"port", "993", "not", "995"}},
		{"Microsoft's app passwords", []string{"microsoft", "app", "password"}},
		{"Mailboxes, addresses, entries and switches", []string{"mailbox", "address", "entry", "switch"}},
		{"status of iOS", []string{"status", "ios"}},
		{"2024-09-16", []string{"2024-09-16", "2024", "09", "16"}},
		{"user@hotmail.co.uk", []string{"user@hotmail.co.uk", "user", "hotmail", "co", "uk"}},
		{"“Mailbox is locked”", []string{"mailbox", "locked"}},
		{"Windows10 pop3s", []string{"windows10", "window", "pop3s"}},
		{"Ünïcode Straße", []string{"ünïcode", "straße"}},
		{"a I x", nil},
		{strings.Repeat("y", maxTokenLen+1) + " ok", []string{"ok"}},
	}
	for _, tt := range tests {
		if got := tokenize(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestPrimaryTokensAndBigrams(t *testing.T) {
	tests := []struct {
		text         string
		words, pairs []string
	}{
		{"Do I need an app password?", []string{"do", "need", "app", "password"}, []string{"do need", "need app", "app password"}},
		{"“Mailbox is locked”", []string{"mailbox", "locked"}, []string{"mailbox locked"}},
		{"Outlook.com in Outlook 2013 (IMAP)", []string{"outlook.com", "outlook", "2013", "imap"}, []string{"outlook.com outlook", "outlook 2013", "2013 imap"}},
		{"pop3.live.com", []string{"pop3.live.com"}, nil},
	}
	for _, tt := range tests {
		if got := primaryTokens(tt.text); !slices.Equal(got, tt.words) {
			t.Errorf("primaryTokens(%q) = %q, want %q", tt.text, got, tt.words)
		}
		if got := bigrams(tt.text); !slices.Equal(got, tt.pairs) {
			t.Errorf("bigrams(%q) = %q, want %q", tt.text, got, tt.pairs)
		}
	}
}

// htmlPage wraps main content as a rendered page of a kind.
func htmlPage(kind, main string) []byte {
	return []byte(`<!DOCTYPE html><html><head><title>x</title><script>var skipped = "script";</script></head>
<body class="kind-` + kind + `"><header><nav><a href="/">Providers</a></nav><form><input><button>Search</button></form></header>
<main id="main">` + main + `</main><footer>footer words</footer></body></html>`)
}

func TestExtractSearchPage(t *testing.T) {
	type sec struct{ anchor, heading, text string }
	tests := []struct {
		name, kind, main string
		title            string
		want             []sec
	}{
		{"headings cut sections, and one without an id points at the one above",
			"provider", `<h1>Settings for <em>Wren</em></h1><p>Lead text.</p>
<h2 id="quick">Quick reference</h2><p>imap.wren.example port <code>993</code></p>
<h3>Details</h3><p>More.</p><h2 id="faq">Questions</h2>`, "Settings for Wren",
			[]sec{{"", "Settings for Wren", "Lead text."}, {"quick", "Quick reference", "imap.wren.example port 993"},
				{"quick", "Details", "More."}, {"faq", "Questions", ""}}},
		{"an element with an id is named by its first summary, heading or cell, and ends with itself",
			"provider", `<h1>T</h1><h2 id="faq">Questions</h2>
<details class="faq" id="faq-app"><summary>Do I need an app password?</summary><p>No.</p></details>
<p>After the questions.</p>
<table><tr id="erratum-x"><td><del><code>pop3.wren.exmaple</code></del> <small>(host)</small></td><td>pop3.wren.example</td></tr></table>
<article id="dispute-y"><h3>Which port?</h3><p>Both.</p></article>`, "T",
			[]sec{{"", "T", ""}, {"faq", "Questions", "After the questions."}, {"faq-app", "Do I need an app password?", "No."},
				{"erratum-x", "pop3.wren.exmaple (host)", "pop3.wren.example"}, {"dispute-y", "Which port?", "Both."}}},
		{"a labelled aside is a section of the heading above it",
			"provider", `<h1>T</h1><h2 id="facts">Good to know</h2><aside class="fact" aria-label="OAuth2 only"><p>Use OAuth2.</p></aside>`, "T",
			[]sec{{"", "T", ""}, {"facts", "Good to know", ""}, {"facts", "OAuth2 only", "Use OAuth2."}}},
		{"drawings, controls and scripts say nothing",
			"host", `<h1><code>pop.wren.example</code></h1><p>Used<br>until 2014.</p><svg><title>drawing</title><text>x</text></svg>
<button>Copy</button><script>var x = "no";</script><noscript>no</noscript>`, "pop.wren.example",
			[]sec{{"", "pop.wren.example", "Used until 2014."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := extractSearchPage("/x/", htmlPage(tt.kind, tt.main))
			if !ok || p.Kind != tt.kind || p.Title != tt.title {
				t.Fatalf("ok %v, kind %q, title %q; want a %s page titled %q", ok, p.Kind, p.Title, tt.kind, tt.title)
			}
			var got []sec
			for _, s := range p.Sections {
				got = append(got, sec{s.Anchor, s.Heading, s.Text})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("sections:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	if _, ok := extractSearchPage("/x/", []byte(`<html><body><p>No main.</p></body></html>`)); ok {
		t.Error("a page without a main element was read as a page")
	}
}

// textIndexOf builds the index of pages written as HTML, with their names,
// keywords and boosts.
func textIndexOf(t *testing.T, pages []testPage) *textIndex {
	t.Helper()
	var in []*indexedPage
	for _, tp := range pages {
		p, ok := extractSearchPage(tp.url, htmlPage(tp.kind, tp.main))
		if !ok {
			t.Fatalf("%s: no main", tp.url)
		}
		ip := &indexedPage{searchPage: p, Name: p.Title, Keywords: tp.keywords, Boost: 1}
		if tp.name != "" {
			ip.Name = tp.name
		}
		if tp.boost != 0 {
			ip.Boost = tp.boost
		}
		in = append(in, ip)
	}
	m := newTextMerger()
	for _, p := range in {
		e, err := indexPage(p)
		if err != nil {
			t.Fatal(err)
		}
		m.add(e)
	}
	idx, err := m.files()
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

type testPage struct {
	url, kind, name, main string
	keywords              []string
	boost                 float64
}

// posting is one page's entry for a term, decoded.
type posting struct {
	page, weight int
	named        bool
	sections     []int
}

// postingsOf decodes a term's postings from the index's runs.
func postingsOf(t *testing.T, idx *textIndex, term string) []posting {
	t.Helper()
	for name, data := range idx.Files {
		if !strings.HasPrefix(name, "t/") {
			continue
		}
		var run map[string][]int
		if err := json.Unmarshal(data, &run); err != nil {
			t.Fatal(err)
		}
		list, ok := run[term]
		if !ok {
			continue
		}
		var out []posting
		page := 0
		for i := 0; i < len(list); {
			page += list[i]
			n := list[i+2] >> 1
			out = append(out, posting{page, list[i+1], list[i+2]&1 == 1, list[i+3 : i+3+n]})
			i += 3 + n
		}
		return out
	}
	return nil
}

func TestTextIndexWeights(t *testing.T) {
	filler := strings.Repeat("Other words fill the page. ", 8)
	idx := textIndexOf(t, []testPage{
		{url: "/title/", kind: "article", main: "<h1>Kestrel</h1><p>" + filler + "</p>"},
		{url: "/heading/", kind: "article", main: "<h1>Page</h1><h2 id=\"k\">Kestrel</h2><p>" + filler + "</p>"},
		{url: "/body/", kind: "article", main: "<h1>Page</h1><p>Kestrel. " + filler + "</p>"},
		{url: "/often/", kind: "article", main: "<h1>Page</h1><p>" + strings.Repeat("Kestrel. ", 10) + filler + "</p>"},
		{url: "/halved/", kind: "host", main: "<h1>Page</h1><p>Kestrel. " + filler + "</p>", boost: 0.5},
		{url: "/named/", kind: "provider", name: "Kestrel Post", main: "<h1>Settings for Kestrel Post</h1><p>" + filler + "</p>"},
		{url: "/keywords/", kind: "guide", main: "<h1>Page</h1><p>" + filler + "</p>", keywords: []string{"Kestrel"}},
	})
	weight := map[string]posting{}
	for _, p := range postingsOf(t, idx, "kestrel") {
		var frag struct{ U string }
		json.Unmarshal(idx.Files[fmt.Sprintf("p/%d.json", p.page)], &frag)
		weight[frag.U] = p
		if frag.U == "/named/" && idx.Manifest.Names[p.page] != 2 {
			t.Errorf("the name %q counts %d words, want 2", "Kestrel Post", idx.Manifest.Names[p.page])
		}
	}
	order := []string{"/title/", "/keywords/", "/heading/", "/body/"}
	for i := 1; i < len(order); i++ {
		if a, b := weight[order[i-1]].weight, weight[order[i]].weight; a <= b {
			t.Errorf("%s weighs %d, not more than %s's %d: title, keywords, headings and body should count in that order", order[i-1], a, order[i], b)
		}
	}
	if one, ten := weight["/body/"].weight, weight["/often/"].weight; ten <= one || ten >= 5*one {
		t.Errorf("ten mentions weigh %d against one's %d: repeats should add, but saturate", ten, one)
	}
	if full, half := weight["/body/"].weight, weight["/halved/"].weight; half*2 < full-1 || half*2 > full+1 {
		t.Errorf("a page boosted by 0.5 weighs %d against %d", half, full)
	}
	for url, p := range weight {
		if p.named != (url == "/named/" || url == "/title/") {
			t.Errorf("%s: named %v; only the pages whose name has the word are", url, p.named)
		}
	}
	if s := weight["/heading/"].sections; !slices.Contains(s, 1*4+inHeading) {
		t.Errorf("/heading/ lists sections %v, want its section 1 with the word in the heading", s)
	}
	if !slices.Equal(postingsOf(t, idx, "kestrel post")[0].sections, []int{0*4 + inHeading}) {
		t.Error("the words of a name side by side are not indexed as a pair")
	}
}

func TestPostingSectionsKeepHeadingsFirst(t *testing.T) {
	var secs []int32
	for s := range int32(20) {
		level := int32(inBody)
		if s == 3 || s == 17 {
			level = inHeading
		}
		secs = append(secs, s*4+level)
	}
	got := postingSections(secs)
	if len(got) != maxPostingSections || !slices.Contains(got, 17*4+inHeading) || !slices.Contains(got, 0*4+inBody) || !slices.IsSorted(got) {
		t.Errorf("kept %v of 20 sections: want %d in page order, the headings (3, 17) and the earliest", got, maxPostingSections)
	}
}

// searchJS runs templates/static/js/search.js under Node with a request,
// skipping the test when Node is missing.
func searchJS(t *testing.T, req any) map[string]json.RawMessage {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found: the search engine in search.js is tested under Node (Debian: nodejs, which npm brings)")
	}
	script, err := filepath.Abs(filepath.Join(repoRoot, "templates", "static", "js", "search.js"))
	if err != nil {
		t.Fatal(err)
	}
	driver := filepath.Join(t.TempDir(), "driver.js")
	if err := os.WriteFile(driver, []byte(searchDriver), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, driver, script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	return res
}

// searchDriver answers a request with search.js's engine: the tokens of
// texts, the query terms of texts, the results of queries over an index
// folder, and what host names resolve to.
const searchDriver = `
const eng = require(process.argv[2]);
const fs = require("fs"), path = require("path");
const req = JSON.parse(fs.readFileSync(0, "utf8"));
(async () => {
  const out = {
    tokens: (req.texts || []).map(eng.tokenize),
    terms: (req.texts || []).map(t => eng.queryTerms(t).map(q => q.token)),
    results: [],
    hosts: (req.hostQueries || []).map(q => { const r = eng.resolveHost(q, req.hosts); return r ? r.entries.map(e => e.t).concat(r.slip ? ["(slip)"] : []) : []; }),
  };
  if (req.dir) {
    const read = p => JSON.parse(fs.readFileSync(path.join(req.dir, p), "utf8"));
    const e = new eng.Engine(read("manifest.json"), p => Promise.resolve(read(p)));
    for (const q of req.queries) {
      const r = await e.search(q);
      const hits = [];
      for (const h of r.hits) {
        const pg = await e.page(h.page);
        const s = h.sections.length ? pg.s[h.sections[0][0]] : null;
        hits.push(pg.u + (s && s[0] ? "#" + s[0] : ""));
      }
      out.results.push({ hits: hits, partial: r.partial });
    }
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e.stack || e); process.exit(1); });
`

// TestTokensMatchSearchJS runs the browser's tokenizer on the same texts
// as the build's, the words of a whole rendered page among them: a query
// can only find what both split the same way.
func TestTokensMatchSearchJS(t *testing.T) {
	texts := []string{"Sign in with OAuth2", "pop3.live.com", "smtp-mail.outlook.com.", "Microsoft's app passwords",
		"Mailboxes, addresses, entries and switches", "2024-09-16", "user@hotmail.co.uk", "“Mailbox is locked”",
		"Windows10 pop3s", "Ünïcode Straße", "don’t .leading trailing- e.g. x_y-z", strings.Repeat("y", maxTokenLen+1)}
	// Two whole rendered pages: the golden pages of the site package.
	for _, name := range []string{"providers_wren.html", "guides_newmail_wren_imap.html"} {
		page, err := os.ReadFile(filepath.Join(repoRoot, "generator", "site", "testdata", "golden", name))
		if err != nil {
			t.Fatal(err)
		}
		p, ok := extractSearchPage(name, page)
		if !ok {
			t.Fatalf("%s has no main element", name)
		}
		for _, s := range p.Sections {
			texts = append(texts, s.Heading, s.Text)
		}
	}
	res := searchJS(t, map[string]any{"texts": texts})
	var tokens, terms [][]string
	json.Unmarshal(res["tokens"], &tokens)
	json.Unmarshal(res["terms"], &terms)
	for i, text := range texts {
		if want := tokenize(text); !slices.Equal(tokens[i], want) && !(len(want) == 0 && len(tokens[i]) == 0) {
			t.Errorf("%q: search.js tokens %q, the build's %q", text, tokens[i], want)
		}
		if want := primaryTokens(text); !slices.Equal(terms[i], want) && !(len(want) == 0 && len(terms[i]) == 0) {
			t.Errorf("%q: search.js query terms %q, the build's primary tokens %q", text, terms[i], want)
		}
	}
}

// TestSearchRanking builds the index of a few small pages and runs
// queries through search.js's engine: what comes first, and where in the
// page it points.
func TestSearchRanking(t *testing.T) {
	idx := textIndexOf(t, []testPage{
		{url: "/providers/wren/", kind: "provider", name: "Wren Mail", keywords: []string{"wren.example", "Wrenpost"},
			main: `<h1>Mail server settings for Wren Mail</h1><p>Wren Mail signs in with OAuth2.</p>
<h2 id="quick">Quick reference</h2><p>IMAP imap.wren.example port 993, SSL/TLS.</p>
<h2 id="troubleshooting">Troubleshooting</h2><h3 id="t-locked">“Mailbox is locked”</h3><p>Wait a few minutes and sign in again.</p>
<h2 id="faq">Questions</h2><details id="faq-app-password"><summary>Do I need an app password?</summary><p>No: Wren Mail takes OAuth2 only.</p></details>`},
		{url: "/hosts/imap.wren.example/", kind: "host", main: `<h1><code>imap.wren.example</code></h1><p>A current mail server name of Wren Mail.</p>`},
		{url: "/hosts/imap.wren.exmaple/", kind: "host", boost: hostBoost[hostWrong],
			main: `<h1><code>imap.wren.exmaple</code></h1><p>Not a real setting. The right value is imap.wren.example.</p>`},
		{url: "/clients/pigeon-2013/", kind: "client", name: "Pigeon 2013", keywords: []string{"Android"},
			main: `<h1>Pigeon 2013</h1><p>A mail program for phones.</p>`},
		{url: "/guides/pigeon-2013/wren/imap/", kind: "guide", keywords: []string{"IMAP", "Wrenpost", "Android"},
			main: `<h1>Wren Mail in Pigeon 2013 (IMAP)</h1><h2 id="steps">Steps</h2><p>Enter imap.wren.example and your password.</p>`},
		{url: "/articles/passwords/", kind: "article",
			main: `<h1>Passwords</h1><p>` + strings.Repeat("A password here, a password there. An app store elsewhere. ", 6) + `</p>`},
	})
	dir := t.TempDir()
	for name, data := range idx.Files {
		os.MkdirAll(filepath.Join(dir, path.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	manifest, _ := json.Marshal(idx.Manifest)
	os.WriteFile(filepath.Join(dir, "manifest.json"), manifest, 0o644)

	tests := []struct {
		query   string
		first   []string // the first results, in order
		partial bool
	}{
		{"app password", []string{"/providers/wren/#faq-app-password"}, false},
		{"app-password", []string{"/providers/wren/#faq-app-password"}, false},                      // looked up as its parts
		{"mailbox is locked", []string{"/providers/wren/#t-locked"}, false},                         // "is" is dropped
		{"mailboxes locked", []string{"/providers/wren/#t-locked"}, false},                          // plurals
		{"oau", []string{"/providers/wren/"}, false},                                                // a prefix of OAuth2
		{"993", []string{"/providers/wren/#quick"}, false},                                          // a port
		{"pigeon 2013", []string{"/clients/pigeon-2013/", "/guides/pigeon-2013/wren/imap/"}, false}, // the name first
		{"wrenpost pigeon 2013 imap", []string{"/guides/pigeon-2013/wren/imap/"}, false},            // a former name in the keywords
		{"imap.wren.example", []string{"/hosts/imap.wren.example/"}, false},
		{"imap.wren", []string{"/hosts/imap.wren.example/", "/hosts/imap.wren.exmaple/"}, false}, // a wrong name below the right one
		{"imap.wren.exmaple", []string{"/hosts/imap.wren.exmaple/"}, false},
		{"password pelican", []string{"/articles/passwords/"}, true}, // no page has both
		{"pelican", nil, false},
	}
	var queries []string
	for _, tt := range tests {
		queries = append(queries, tt.query)
	}
	res := searchJS(t, map[string]any{"dir": dir, "queries": queries})
	var results []struct {
		Hits    []string
		Partial bool
	}
	json.Unmarshal(res["results"], &results)
	for i, tt := range tests {
		got := results[i]
		if len(got.Hits) < len(tt.first) || !slices.Equal(got.Hits[:len(tt.first)], tt.first) || got.Partial != tt.partial ||
			(tt.first == nil && len(got.Hits) > 0) {
			t.Errorf("%q: %q (partial %v); want first %q (partial %v)", tt.query, got.Hits, got.Partial, tt.first, tt.partial)
		}
	}
}

func TestResolveHost(t *testing.T) {
	hosts := []map[string]string{{"t": "imap.wren.example", "h": "current"}, {"t": "imap.wren.exmaple", "h": "wrong"},
		{"t": "pop.wren.example", "h": "old"}, {"t": "pop3.wren.example", "h": "old"}}
	tests := []struct {
		query string
		want  []string // the hosts it resolves to, and "(slip)" when by a one-character slip
	}{
		{"imap.wren.example", []string{"imap.wren.example"}},
		{" IMAP.wren.exmaple ", []string{"imap.wren.exmaple"}},
		{"imap.wren.exampel", []string{"imap.wren.example", "(slip)"}},                     // two letters swapped
		{"imap.wren.exmaplee", []string{"imap.wren.exmaple", "(slip)"}},                    // one too many
		{"pop.wren.exampl", []string{"pop.wren.example", "(slip)"}},                        // one missing
		{"pop4.wren.example", []string{"pop.wren.example", "pop3.wren.example", "(slip)"}}, // two near ones
		{"imap.kite.example", nil},
		{"wren mail", nil},
	}
	var queries []string
	for _, tt := range tests {
		queries = append(queries, tt.query)
	}
	res := searchJS(t, map[string]any{"hosts": hosts, "hostQueries": queries})
	var got [][]string
	json.Unmarshal(res["hosts"], &got)
	for i, tt := range tests {
		if !slices.Equal(got[i], tt.want) && !(len(tt.want) == 0 && len(got[i]) == 0) {
			t.Errorf("%q resolves to %q, want %q", tt.query, got[i], tt.want)
		}
	}
}

// tokenizerParts is what the tokenizer itself says of each start tag of
// src: its name, and its last id and aria-label.
func tokenizerParts(src string) (ours, theirs []string) {
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.EndTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tag, id, label := tagParts(z.Raw(), tt == html.StartTagToken)
		ours = append(ours, fmt.Sprintf("%v|%q|%q", tag, id, label))
		name, more := z.TagName()
		wantTag, wantID, wantLabel := atom.Lookup(name), "", ""
		for more && tt == html.StartTagToken {
			var k, v []byte
			k, v, more = z.TagAttr()
			switch string(k) {
			case "id":
				wantID = string(v)
			case "aria-label":
				wantLabel = string(v)
			}
		}
		theirs = append(theirs, fmt.Sprintf("%v|%q|%q", wantTag, wantID, wantLabel))
	}
}

// TestTagParts and FuzzTagParts: tagParts reads tags as the tokenizer
// does, on the markup pages have (no NUL, no carriage return: neither can
// reach a page).
func TestTagParts(t *testing.T) {
	for _, src := range []string{`<h2 id="faq">Q</h2>`, `<aside aria-label="Tip &amp; trick" class=x>`, `<DIV ID=a>`, `<a id='q' id="r">`,
		`<p/ id="s">`, `<input disabled id = "t">`, `<td data-label="Port" id="u&#39;v">`, `</h3 id="w">`, `<img src=x id=y/>`, `<x =a id=b>`} {
		ours, theirs := tokenizerParts(src)
		if !slices.Equal(ours, theirs) {
			t.Errorf("%s: %v, the tokenizer %v", src, ours, theirs)
		}
	}
}

func FuzzTagParts(f *testing.F) {
	for _, s := range []string{`<h2 id="faq">Q</h2>`, `<aside aria-label="a &amp; b">`, `<a id=x/>`, `<p id='a b'>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if strings.ContainsAny(src, "\x00\r") || !utf8.ValidString(src) {
			t.Skip()
		}
		if ours, theirs := tokenizerParts(src); !slices.Equal(ours, theirs) {
			t.Errorf("%q: %v, the tokenizer %v", src, ours, theirs)
		}
	})
}
