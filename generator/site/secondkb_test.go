package site

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
)

// secondProvider is the id of the provider in testdata/secondkb.
const secondProvider = "icloud"

// sourceEntry is one entry of data/sources.yaml as written.
type sourceEntry struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	Publisher string `yaml:"publisher"`
	Author    string `yaml:"author,omitempty"`
	Date      string `yaml:"date,omitempty"`
	URL       string `yaml:"url,omitempty"`
	Note      string `yaml:"note,omitempty"`
}

// secondKB assembles a knowledge base of the second provider alone: the
// repository's templates, content and mail programs, testdata/secondkb's
// site, bibliography and provider, and the bibliography entries the mail
// programs cite.
func secondKB(t *testing.T) string {
	t.Helper()
	root := kbtest.CopyBundled(t, "templates", "content", "data/clients")
	if err := kbtest.CopyTree(filepath.Join("testdata", "secondkb", "data"), filepath.Join(root, "data")); err != nil {
		t.Fatal(err)
	}
	var bib struct {
		Sources []sourceEntry `yaml:"sources"`
	}
	file := filepath.Join(root, "data", "sources.yaml")
	data, err := os.ReadFile(file)
	if err == nil {
		err = yaml.Unmarshal(data, &bib)
	}
	if err != nil {
		t.Fatal(err)
	}
	bundled, err := loader.Load(repoRoot, loader.WithToday(kbtest.Day(t, repoRoot)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range bundled.Clients {
		for _, s := range c.Sources {
			if slices.ContainsFunc(bib.Sources, func(e sourceEntry) bool { return e.ID == s.ID }) {
				continue
			}
			e := sourceEntry{ID: s.ID, Title: s.Title, Publisher: s.Publisher, Author: s.Author, URL: s.URL, Note: s.Note}
			if !s.Date.IsZero() {
				e.Date = s.Date.String()
			}
			bib.Sources = append(bib.Sources, e)
		}
	}
	if data, err = yaml.Marshal(bib); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestSecondProvider builds a provider other than the bundled ones,
// written from published sources alone (testdata/secondkb: Apple's mail,
// .Mac to iCloud), with the repository's own templates, guides and mail
// programs and no change to Go code, and checks the site from its data:
// the build and check pass, every page shows the servers of its day (the
// checks of real data), guides of past and present settings exist, and
// nothing made for this provider names another provider.
func TestSecondProvider(t *testing.T) {
	s := checkRealKB(t, secondKB(t))
	p := s.kb.Provider(secondProvider)
	if p == nil {
		t.Fatalf("no provider %q in the second knowledge base", secondProvider)
	}
	t.Run("GuidesOfEveryEra", func(t *testing.T) {
		var past, present []string
		for _, g := range s.guides {
			if g.provider != p {
				continue
			}
			if g.historical(s.day) {
				past = append(past, g.path)
			} else {
				present = append(present, g.path)
			}
		}
		t.Logf("guides of settings no longer published: %v", past)
		t.Logf("guides of today's settings: %v", present)
		if len(past) == 0 || len(present) == 0 {
			t.Errorf("%d historical and %d current guides; the data calls for both", len(past), len(present))
		}
	})
	t.Run("DomainsWithTheirPeriods", func(t *testing.T) {
		page := pageText(s.page(s.urls.Provider(p)))
		for _, d := range p.Domains {
			if !pageSays(page, d) {
				t.Errorf("the provider page does not list %s", d)
			}
			if pd, ok := p.DomainPeriods[d]; ok && !pd.From.IsZero() && !pageSays(page, pd.From.Human()) {
				t.Errorf("the provider page does not say that %s serves from %s", d, pd.From.Human())
			}
		}
	})
	t.Run("NoOtherProviderNamed", func(t *testing.T) { s.checkNoOtherProvider(t, p) })
	t.Run("OnlyDatesOfTheData", func(t *testing.T) { s.checkOnlyDatesOfTheData(t, p) })
	t.Run("PagesReadRightly", func(t *testing.T) { s.checkPagesReadRightly(t, p) })
}

var writtenDate = regexp.MustCompile(`\b(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b`)

// checkOnlyDatesOfTheData reports each day or month named in a guide for
// p that neither the data — p's record, as its page tells it, and the mail
// programs' — nor the day the guide shows gives: prose that tells another
// provider's history ("from February 2009") does.
func (s *realSite) checkOnlyDatesOfTheData(t reporter, p *model.Provider) {
	known := map[string]bool{}
	add := func(d model.Date) {
		if d.IsZero() {
			return
		}
		known[d.Human()] = true
		if d.Precision == model.Day {
			known[time.Month(d.M).String()+" "+strconv.Itoa(d.Y)] = true
		}
	}
	period := func(pd model.Period) { add(pd.From); add(pd.Until) }
	verified := func(vs []model.Verification) {
		for _, v := range vs {
			add(v.Date)
		}
	}
	add(model.DateOf(s.day))
	for y := 1900; y <= s.day.Year(); y++ {
		add(model.Date{Y: y, M: 1, D: 1, Precision: model.Day}) // where a year page starts
	}
	for _, src := range p.Citations() {
		add(src.Date)
	}
	for _, c := range s.kb.Clients {
		period(c.Period)
	}
	for _, f := range p.FormerNames {
		period(f.Period)
	}
	for _, pd := range p.DomainPeriods {
		period(pd)
	}
	for _, e := range p.Eras {
		period(e.Period)
	}
	for _, e := range p.Endpoints {
		period(e.Period)
		verified(e.Verified)
		for _, pd := range e.PreferredDuring {
			period(pd)
		}
	}
	for _, f := range p.Facts {
		period(f.Period)
		verified(f.Verified)
	}
	for _, d := range writtenDate.FindAllString(pageText(s.page(s.urls.Provider(p))), -1) {
		known[d] = true // the record's own words
	}
	for _, g := range s.guides {
		add(model.DateOf(g.day))
	}
	for _, g := range s.guides {
		if g.provider != p {
			continue
		}
		name := s.file(g.path)
		body := pageText(s.files[name])
		for _, d := range writtenDate.FindAllStringIndex(body, -1) {
			if date := body[d[0]:d[1]]; !known[date] {
				t.Errorf("%s names %s, a date none of the data gives: %s", sitePathOf(name), date, quoteAround(body, d[0], d[1]))
			}
		}
	}
}

var (
	doubledPattern = regexp.MustCompile(`\(([^()]+)\) \(([^()]+)\)`)
	portsPattern   = regexp.MustCompile(`\b(\d+) or (\d+)\b`)
)

// checkPagesReadRightly reports, on the pages made for p, wording that
// does not fit what the data says: a label said twice ("(IMAP) (IMAP)"),
// one port offered as two alternatives ("587 or 587"), and a guide that
// tells the program to send with the incoming server's user name where
// the data gives another.
func (s *realSite) checkPagesReadRightly(t reporter, p *model.Provider) {
	for _, name := range s.filesFor(p) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		body := pageText(s.files[name])
		for _, m := range doubledPattern.FindAllStringSubmatch(body, -1) {
			if m[1] == m[2] {
				t.Errorf("%s says %q twice: %q", sitePathOf(name), m[1], m[0])
			}
		}
		for _, m := range portsPattern.FindAllStringSubmatch(body, -1) {
			if m[1] == m[2] {
				t.Errorf("%s offers port %s as two alternatives: %q", sitePathOf(name), m[1], m[0])
			}
		}
	}
	for _, g := range s.guides {
		in, out := g.provider.InForce(g.protocol, g.day, g.today), g.provider.InForce(model.SMTP, g.day, g.today)
		same := g.client.UI["same_settings"]
		if g.provider != p || len(in) == 0 || len(out) == 0 || in[0].Username == out[0].Username || same == "" {
			continue
		}
		if body := pageText(s.page(g.path)); pageSays(body, same) {
			i := strings.Index(body, same)
			t.Errorf("%s tells the program to use the incoming server's sign-in for sending (%q), but the user names differ: %s to read, %s to send: %s",
				g.path, same, in[0].UsernameLabel(), out[0].UsernameLabel(), quoteAround(body, i, i+len(same)))
		}
	}
}

// checkNoOtherProvider reads every file made for provider p and reports
// each that names another provider of the repository — its name, a former
// name, a server, a mail domain or its page — which prose written with
// one provider in mind does.
func (s *realSite) checkNoOtherProvider(t reporter, p *model.Provider) {
	bundled, err := loader.Load(repoRoot, loader.WithToday(s.day))
	if err != nil {
		t.Fatal(err)
	}
	var names, hosts []string
	for _, o := range bundled.Providers {
		if o.ID == p.ID {
			continue
		}
		names = append(names, o.Name, "/providers/"+o.ID+"/")
		for _, f := range o.FormerNames {
			names = append(names, f.Name)
		}
		hosts = append(hosts, namedHosts(o)...)
		hosts = append(hosts, o.Domains...)
	}
	for _, name := range s.filesFor(p) {
		body := string(s.files[name])
		if strings.HasSuffix(name, ".html") {
			body = pageText(s.files[name])
		}
		lower := strings.ToLower(body)
		found := hostsIn(lower)
		said := map[string]bool{} // in lower case: a name that is also a domain is reported once
		for _, n := range names {
			if i := strings.Index(body, n); i >= 0 {
				said[strings.ToLower(n)] = true
				t.Errorf("%s names %q: %s", sitePathOf(name), n, quoteAround(body, i, i+len(n)))
			}
		}
		for _, h := range hosts {
			if found[h] && !said[h] {
				said[h] = true
				i := strings.Index(lower, h)
				t.Errorf("%s names %s: %s", sitePathOf(name), h, quoteAround(body, i, i+len(h)))
			}
		}
	}
}

// filesFor lists the files made for provider p: its pages, year pages
// and embeds, the guides for it, the pages of its servers, and its
// exports.
func (s *realSite) filesFor(p *model.Provider) []string {
	own := map[string]bool{}
	for _, h := range namedHosts(p) {
		own["hosts/"+h+"/index.html"] = true
	}
	for _, d := range p.Domains {
		own["autoconfig/v1.1/"+d] = true
		own["autodiscover/"+d+".xml"] = true
	}
	var out []string
	for name := range s.files {
		parts := strings.Split(name, "/")
		if own[name] || strings.HasPrefix(name, "providers/"+p.ID+"/") || strings.HasPrefix(name, "embed/"+p.ID+"/") ||
			strings.HasPrefix(name, "api/v1/providers/"+p.ID+".") || strings.HasPrefix(name, "mobileconfig/"+p.ID+"-") ||
			len(parts) == 5 && parts[0] == "guides" && parts[2] == p.ID {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// quoteAround is text around body[i:j], for a message, cut at whole
// characters.
func quoteAround(body string, i, j int) string {
	from, to := max(0, i-80), min(len(body), j+60)
	for from > 0 && !utf8.RuneStart(body[from]) {
		from--
	}
	for to < len(body) && !utf8.RuneStart(body[to]) {
		to++
	}
	return "…" + body[from:to] + "…"
}

// sitePathOf is the site path of an output file, for messages.
func sitePathOf(file string) string {
	if path.Base(file) == "index.html" {
		return "/" + strings.TrimSuffix(file, "index.html")
	}
	return "/" + file
}
