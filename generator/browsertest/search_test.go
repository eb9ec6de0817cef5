package browsertest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mailkb/generator/benchcorpus"
	"mailkb/generator/kbtest"
	"mailkb/generator/model"
	"mailkb/generator/site"
)

// searchQuery is a query the full-text search must answer, with what
// counts as an answer, read from the data.
type searchQuery struct {
	query string
	why   string // what the data says the answer is
	// relevant reports whether a result's link (a path, with an anchor if
	// the result points into the page) answers the query.
	relevant func(link string) bool
	top      int // how many of the first results may hold the answer
	// first, when set, are the links the results must begin with, in
	// this order; relevant is then unused.
	first []string
}

var wordPattern = regexp.MustCompile(`[\pL\pN]+`)

// hasWords reports whether text has each of words, alone or plural.
func hasWords(text string, words ...string) bool {
	have := map[string]bool{}
	for _, w := range wordPattern.FindAllString(strings.ToLower(text), -1) {
		have[w], have[strings.TrimSuffix(w, "s")] = true, true
	}
	for _, w := range words {
		if !have[w] {
			return false
		}
	}
	return true
}

// pagePath is a link without its anchor.
func pagePath(link string) string {
	p, _, _ := strings.Cut(link, "#")
	return p
}

// hostPages lists every host name the site has a page for.
func (b *bundledSite) hostPages() []string {
	var out []string
	for name := range b.files {
		if rest, ok := strings.CutPrefix(name, "hosts/"); ok && strings.Count(rest, "/") == 1 && strings.HasSuffix(rest, "/index.html") {
			out = append(out, strings.TrimSuffix(rest, "/index.html"))
		}
	}
	slices.Sort(out)
	return out
}

// oneEdit reports whether a and b differ by one inserted, removed or
// replaced character, or two neighbours swapped.
func oneEdit(a, b string) bool {
	if a == b || len(a)-len(b) > 1 || len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	switch {
	case len(a) == len(b):
		return a[i+1:] == b[i+1:] || (i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:])
	case len(a) > len(b):
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// slipOf returns a name one letter away from host that no page has and
// that is one letter away from no other host, so it can only mean host;
// "" if there is none.
func slipOf(host string, hosts []string) string {
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] < 'a' || host[i] > 'z' {
			continue
		}
		for c := byte('a'); c <= 'z'; c++ {
			slip := host[:i] + string(c) + host[i+1:]
			if slip == host || !model.ValidHostname(slip) || slices.Contains(hosts, slip) {
				continue
			}
			near := 0
			for _, h := range hosts {
				if oneEdit(slip, h) {
					near++
				}
			}
			if near == 1 {
				return slip
			}
		}
	}
	return ""
}

// searchQueries are the queries of issue 13, each with its answer read
// from the bundled data. A query the data has no answer for is logged and
// left out.
func (b *bundledSite) searchQueries(t *testing.T) []searchQuery {
	var out []searchQuery
	add := func(q searchQuery, ok bool, none string) {
		if !ok {
			t.Logf("%q: not checked: %s", q.query, none)
			return
		}
		out = append(out, q)
	}
	set := func(links []string) func(string) bool {
		return func(link string) bool { return slices.Contains(links, link) }
	}
	pages := func(links []string) func(string) bool {
		return func(link string) bool { return slices.Contains(links, pagePath(link)) }
	}

	// Questions, problems and disputes about app passwords, at their anchors.
	var appPassword []string
	for _, p := range b.kb.Providers {
		for _, e := range p.FAQ {
			if hasWords(e.Question, "app", "password") {
				appPassword = append(appPassword, "/providers/"+p.ID+"/#faq-"+e.ID)
			}
		}
		for _, e := range p.Troubleshooting {
			if hasWords(e.Question, "app", "password") {
				appPassword = append(appPassword, "/providers/"+p.ID+"/#t-"+e.ID)
			}
		}
		for _, d := range p.Disputes {
			if hasWords(d.Question, "app", "password") {
				appPassword = append(appPassword, "/providers/"+p.ID+"/#dispute-"+d.ID)
			}
		}
	}
	add(searchQuery{query: "app password", why: fmt.Sprintf("a question about app passwords: %v", appPassword),
		relevant: set(appPassword), top: 3}, len(appPassword) > 0, "no question, problem or dispute asks about app passwords")

	// The pages of a provider or host that signs in with OAuth2 today.
	var oauth, port993 []string
	for _, p := range b.kb.Providers {
		for _, e := range p.CurrentEndpoints() {
			if e.HostIsTemplate() {
				continue
			}
			if slices.Contains(e.Auth, model.OAuth2) {
				oauth = append(oauth, "/providers/"+p.ID+"/", "/hosts/"+e.Host+"/")
			}
			if e.Port == 993 {
				port993 = append(port993, "/providers/"+p.ID+"/", "/hosts/"+e.Host+"/")
			}
		}
	}
	for _, q := range []string{"oauth", "oau"} {
		add(searchQuery{query: q, why: "the page of a provider or server that signs in with OAuth2 today", relevant: pages(oauth), top: 3},
			len(oauth) > 0, "no current server signs in with OAuth2")
	}
	add(searchQuery{query: "993", why: "the page of a provider or server on port 993 today", relevant: pages(port993), top: 3},
		len(port993) > 0, "no current server is on port 993")

	// The troubleshooting entry about a locked mailbox.
	var locked []string
	for _, p := range b.kb.Providers {
		for _, e := range p.Troubleshooting {
			if hasWords(e.Question, "mailbox", "locked") {
				locked = append(locked, "/providers/"+p.ID+"/#t-"+e.ID)
			}
		}
	}
	add(searchQuery{query: "mailbox is locked", why: fmt.Sprintf("the troubleshooting entry %v", locked), relevant: set(locked), top: 1},
		len(locked) > 0, "no troubleshooting entry is about a locked mailbox")

	// The IMAP guide of a 2013 program for a provider once called Hotmail.
	var hotmail2013 []string
	for _, p := range b.kb.Providers {
		names := append([]string{p.Name}, p.Domains...)
		for _, f := range p.FormerNames {
			names = append(names, f.Name)
		}
		if !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(strings.ToLower(n), "hotmail") }) {
			continue
		}
		for _, c := range b.kb.Clients {
			if g := "guides/" + c.ID + "/" + p.ID + "/imap/index.html"; strings.Contains(c.Name, "2013") && b.files[g] != nil {
				hotmail2013 = append(hotmail2013, "/"+strings.TrimSuffix(g, "index.html"))
			}
		}
	}
	add(searchQuery{query: "hotmail outlook 2013 imap", why: fmt.Sprintf("the guide %v", hotmail2013), relevant: pages(hotmail2013), top: 3},
		len(hotmail2013) > 0, "no IMAP guide of a program named …2013 for a provider called Hotmail")

	// A guide of a program that runs on Android.
	var android []string
	for _, c := range b.kb.Clients {
		if slices.ContainsFunc(c.Platforms, func(p string) bool { return strings.EqualFold(p, "android") }) {
			android = append(android, "/guides/"+c.ID+"/")
		}
	}
	add(searchQuery{query: "android", why: fmt.Sprintf("a guide of a program for Android (%v)", android), top: 3,
		relevant: func(link string) bool {
			return slices.ContainsFunc(android, func(prefix string) bool { return strings.HasPrefix(link, prefix) })
		}}, len(android) > 0, "no program runs on Android")

	// A known mistake, and a slip one letter from it, lead to the right
	// value and to what replaced it since.
	hosts := b.hostPages()
	current := map[string]bool{}
	for _, p := range b.kb.Providers {
		for _, e := range p.CurrentEndpoints() {
			current[e.Host] = true
		}
	}
	errata := 0
	for _, p := range b.kb.Providers {
		for _, er := range p.Errata {
			if er.Field != "host" || !model.ValidHostname(er.Wrong) || !model.ValidHostname(er.Right) {
				continue
			}
			if current[er.Wrong] {
				t.Logf("%q: not checked as a mistake: it is a current server too, which the search shows first", er.Wrong)
				continue
			}
			errata++
			first := []string{"/hosts/" + er.Right + "/"}
			if now := kbtest.Successor(er.Endpoint); now != nil && now.Host != er.Right && !now.HostIsTemplate() {
				first = append(first, "/hosts/"+now.Host+"/")
			}
			why := "the right value and today's server"
			out = append(out, searchQuery{query: er.Wrong, why: why, first: first})
			if slip := slipOf(er.Wrong, hosts); slip != "" {
				out = append(out, searchQuery{query: slip, why: why + " (a slip of " + er.Wrong + ")", first: first})
			}
		}
	}
	if errata == 0 {
		t.Log("erratum queries: not checked: the data has no mistaken host name")
	}
	// A slip in an old host name leads to it and to its replacement.
	old := b.oldHosts[0]
	if slip := slipOf(old[0], hosts); slip != "" {
		out = append(out, searchQuery{query: slip, why: "a slip of " + old[0] + ", and what replaced it",
			first: []string{"/hosts/" + old[0] + "/", "/hosts/" + old[1] + "/"}})
	}
	return out
}

// searchResults opens the search page for q and returns, for each result
// in order, its links: the result's own first, then the sections under it.
func searchResults(t *testing.T, ctx context.Context, base, q string) [][]string {
	t.Helper()
	run(t, ctx, chromedp.Navigate(base+"/search/?q="+url.QueryEscape(q)))
	eval[bool](t, ctx, fmt.Sprintf(`new Promise((resolve, reject) => {
  const started = Date.now();
  (function poll() {
    const r = document.getElementById("search-results");
    if (r && r.getAttribute("data-query") === %q && r.getAttribute("aria-busy") !== "true") { return resolve(true); }
    if (Date.now() - started > 10000) { return reject(new Error("no results shown")); }
    setTimeout(poll, 20);
  })();
})`, q))
	return eval[[][]string](t, ctx, `[...document.querySelectorAll("#search-results > ul > li")].map(
  li => [...li.querySelectorAll("a")].map(a => a.getAttribute("href")))`)
}

// answered checks results against a query; "" when they answer it.
func (q searchQuery) answered(results [][]string) string {
	if q.first != nil {
		var got []string
		for _, r := range results[:min(len(results), len(q.first))] {
			got = append(got, r[0])
		}
		if !slices.Equal(got, q.first) {
			return fmt.Sprintf("results begin %v; want %v (%s)", got, q.first, q.why)
		}
		return ""
	}
	for _, r := range results[:min(len(results), q.top)] {
		if slices.ContainsFunc(r, q.relevant) {
			return ""
		}
	}
	return fmt.Sprintf("none of the first %d results %v is %s", q.top, results[:min(len(results), q.top)], q.why)
}

// TestFullTextSearch runs the queries of issue 13 on the bundled site and
// checks that each finds what the data says answers it, where a result
// points into the page at the right place.
func TestFullTextSearch(t *testing.T) {
	b := theSite(t)
	ctx := tab(t)
	for _, q := range b.searchQueries(t) {
		t.Run(q.query, func(t *testing.T) {
			results := searchResults(t, ctx, b.server.URL, q.query)
			if msg := q.answered(results); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// pagefindTool is Pagefind's command, which npm ci installs with its
// binary for this platform.
const pagefindTool Tool = "pagefind/lib/runner/bin.cjs"

// TestSearchAgainstPagefind measures the site's search against Pagefind on
// the bundled site: the same queries in Chromium through both (Pagefind's
// own pagefind.js API on the same pages), the first results of each,
// whether each answers the query, what a query downloads, the size of each
// index and what building it costs; and the index sizes for a synthetic
// site of 1,000 pages. It prints its figures and asserts nothing about
// them; set MAILKB_SEARCH_COMPARE=1 to run it (scripts/search-compare.sh
// does).
func TestSearchAgainstPagefind(t *testing.T) {
	if os.Getenv("MAILKB_SEARCH_COMPARE") == "" {
		t.Skip("set MAILKB_SEARCH_COMPARE=1 to compare the search with Pagefind (scripts/search-compare.sh)")
	}
	pagefind, err := pagefindTool.Find()
	if err != nil {
		t.Fatal(err)
	}
	b := theSite(t)
	dir := filepath.Join(t.TempDir(), "site")
	writeSite(t, dir, b.files)
	buildTime := medianTime(t, 3, func() {
		if _, err := site.Render(site.Options{Root: RepoRoot, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
	})
	pagefindTime := medianTime(t, 3, func() { runPagefind(t, pagefind, dir) })
	server := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer server.Close()

	ours, theirs := 0, 0
	var oursBytes, theirBytes [][2]int
	queries := b.searchQueries(t)
	for _, q := range queries {
		ctx := tab(t)
		got := searchResults(t, ctx, server.URL, q.query)
		oursBytes = append(oursBytes, fetched(t, ctx, dir, "/search/"))
		ctx = tab(t)
		run(t, ctx, chromedp.Navigate(server.URL+"/404.html"))
		pf := eval[[][]string](t, ctx, fmt.Sprintf(`(async () => {
  const pagefind = await import("/pagefind/pagefind.js");
  const found = await pagefind.search(%q);
  const data = await Promise.all(found.results.slice(0, 5).map(r => r.data()));
  return data.map(d => [d.url].concat((d.sub_results || []).map(s => s.url).filter(u => u !== d.url)));
})()`, q.query))
		theirBytes = append(theirBytes, fetched(t, ctx, dir, "/pagefind/"))
		verdict := func(results [][]string) string {
			if q.answered(results) == "" {
				return "answers"
			}
			return "misses"
		}
		if verdict(got) == "answers" {
			ours++
		}
		if verdict(pf) == "answers" {
			theirs++
		}
		t.Logf("%q — wanted: %s\n  mailkb   %s: %s\n  Pagefind %s: %s", q.query, q.why, verdict(got), firstLinks(got), verdict(pf), firstLinks(pf))
	}
	t.Logf("answered: mailkb %d of %d queries, Pagefind %d of %d", ours, len(queries), theirs, len(queries))
	t.Logf("downloaded by the first query on a page (median of the queries):\n  mailkb   %s\n  Pagefind %s",
		medianMax(oursBytes), medianMax(theirBytes))
	t.Logf("building (median of 3): the whole mailkb site with its index %v; Pagefind after it %v", buildTime, pagefindTime)
	t.Logf("bundled site, %d pages: %s", pageCount(b.files), indexSizes(t, dir))

	corpus := filepath.Join(t.TempDir(), "kb")
	if err := benchcorpus.Write(1000, corpus, filepath.Join(RepoRoot, "templates")); err != nil {
		t.Fatal(err)
	}
	var files map[string][]byte
	bigBuild := medianTime(t, 3, func() {
		if files, err = site.Render(site.Options{Root: corpus, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
	})
	bigDir := filepath.Join(t.TempDir(), "big")
	writeSite(t, bigDir, files)
	bigPagefind := medianTime(t, 3, func() { runPagefind(t, pagefind, bigDir) })
	t.Logf("synthetic site, %d pages: %s; building (median of 3): mailkb %v, Pagefind after it %v",
		pageCount(files), indexSizes(t, bigDir), bigBuild, bigPagefind)
}

func writeSite(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runPagefind(t *testing.T, pagefind, dir string) {
	t.Helper()
	os.RemoveAll(filepath.Join(dir, "pagefind"))
	if out, err := exec.Command(pagefind, "--site", dir).CombinedOutput(); err != nil {
		t.Fatalf("pagefind: %v\n%s", err, out)
	}
}

// medianTime runs f n times and returns the median duration.
func medianTime(t *testing.T, n int, f func()) time.Duration {
	t.Helper()
	var times []time.Duration
	for range n {
		start := time.Now()
		f()
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[n/2].Round(time.Millisecond)
}

// fetched is what the page downloaded from under a folder of the site in
// dir: the bytes, and what they come to gzipped.
func fetched(t *testing.T, ctx context.Context, dir, folder string) [2]int {
	t.Helper()
	var n [2]int
	for _, p := range eval[[]string](t, ctx, fmt.Sprintf(`[...new Set(performance.getEntriesByType("resource").map(e => new URL(e.name).pathname).filter(p => p.startsWith(%q)))]`, folder)) {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		n[0] += len(data)
		n[1] += gzipped(data)
	}
	return n
}

// gzipped is the size of data as a server that compresses sends it, or as
// it is when it is compressed already.
func gzipped(data []byte) int {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(data)
	w.Close()
	return min(z.Len(), len(data))
}

func medianMax(ns [][2]int) string {
	if len(ns) == 0 {
		return "-"
	}
	s := slices.Clone(ns)
	slices.SortFunc(s, func(a, b [2]int) int { return a[0] - b[0] })
	kb := func(n [2]int) string {
		return fmt.Sprintf("%.1f KB (%.1f KB gzipped)", float64(n[0])/1024, float64(n[1])/1024)
	}
	return kb(s[len(s)/2]) + ", at most " + kb(s[len(s)-1])
}

func firstLinks(results [][]string) string {
	var out []string
	for _, r := range results[:min(3, len(results))] {
		out = append(out, strings.Join(r[:min(2, len(r))], " + "))
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, " | ")
}

func pageCount(files map[string][]byte) int {
	n := 0
	for name := range files {
		if strings.HasSuffix(name, ".html") {
			n++
		}
	}
	return n
}

// indexSizes sums each index's files: mailkb's under search/ (beside the
// search page itself), Pagefind's under pagefind/ without its optional
// user interfaces; gzip is what a server that compresses sends (Pagefind
// compresses its own files).
func indexSizes(t *testing.T, dir string) string {
	t.Helper()
	sum := func(folder string, keep func(string) bool) (files, raw, zipped int) {
		filepath.WalkDir(filepath.Join(dir, folder), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !keep(d.Name()) {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files, raw, zipped = files+1, raw+len(data), zipped+gzipped(data)
			return nil
		})
		return
	}
	n1, raw1, z1 := sum("search", func(name string) bool { return name != "index.html" })
	n2, raw2, z2 := sum("pagefind", func(name string) bool { return !strings.Contains(name, "-ui") && !strings.Contains(name, "highlight") })
	return fmt.Sprintf("mailkb index %d files, %.1f KB (%.1f KB gzipped); Pagefind %d files, %.1f KB (%.1f KB as sent)",
		n1, float64(raw1)/1024, float64(z1)/1024, n2, float64(raw2)/1024, float64(z2)/1024)
}
