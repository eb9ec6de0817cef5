package site

import (
	"bytes"
	"fmt"
	"maps"
	"strings"
	"testing"
)

// recorder is a reporter that keeps what a check reports; Fatal ends the
// check as it would end a test.
type recorder struct{ errs []string }

func (r *recorder) Helper()                   {}
func (r *recorder) Logf(string, ...any)       {}
func (r *recorder) Error(a ...any)            { r.errs = append(r.errs, fmt.Sprint(a...)) }
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatal(a ...any)            { r.Error(a...); panic(r) }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...); panic(r) }

// run runs one check on s and returns what it reported.
func (r *recorder) run(name string, s *realSite) []string {
	defer func() {
		if v := recover(); v != nil && v != r {
			panic(v)
		}
	}()
	for _, c := range realChecks {
		if c.name == name {
			c.check(s, r)
			return r.errs
		}
	}
	panic("no check " + name)
}

// TestRealKBChecksCatchMistakes shows that each check of real data can
// fail: on the golden site, where all pass, one page is spoilt at a time
// the way a bug in the generator would spoil it, and the check must say so.
func TestRealKBChecksCatchMistakes(t *testing.T) {
	good := newRealSite(t, goldenKB(t), goldenDay)
	for _, c := range realChecks {
		if errs := new(recorder).run(c.name, good); len(errs) > 0 {
			t.Fatalf("%s fails on the golden site itself: %v", c.name, errs)
		}
	}
	replace := func(file, old, new string) func(map[string][]byte) {
		return func(files map[string][]byte) {
			if !bytes.Contains(files[file], []byte(old)) {
				t.Fatalf("test is stale: %q not in %s", old, file)
			}
			files[file] = bytes.ReplaceAll(files[file], []byte(old), []byte(new))
		}
	}
	tests := []struct {
		check string
		spoil func(map[string][]byte)
		want  string
	}{
		{"URLContract", func(f map[string][]byte) { delete(f, "hosts/pop3.wren.example/index.html") }, "missing /kb/hosts/pop3.wren.example/"},
		{"URLContract", func(f map[string][]byte) { f["guides/oldmail/kestrel/pop3/index.html"] = []byte("x") }, "a guide the data does not call for"},
		{"URLContract", func(f map[string][]byte) { f["providers/wren/as-of/1999/index.html"] = []byte("x") }, "outside the provider's record"},
		{"Links", replace("index.html", `href="/kb/providers/"`, `href="/kb/nowhere/"`), "broken link"},
		{"Links", replace("index.html", `href="/kb/providers/"`, `href="/providers/"`), "not a path of the site"},
		{"Deterministic", replace("history/index.html", "Wren Mail", "Wren Post"), "differs between two builds"},
		{"RecordOnProviderPages", replace("providers/wren/index.html", "pop3.wren.exmaple", "x"), `lacks "pop3.wren.exmaple"`},
		{"RecordOnProviderPages", replace("providers/wren/index.html", "Example Tutorials", "x"), `lacks "Example Tutorials"`},
		{"HostPages", replace("hosts/pop3.wren.example/index.html", "pop.wren.example", "x"), "does not point to its replacement"},
		{"Guides", replace("guides/oldmail/wren/pop3/index.html", `href="/kb/guides/newmail/wren/pop3/"`, `href="/kb/"`), "does not link /kb/guides/newmail/wren/pop3/"},
		{"Guides", replace("guides/newmail/wren/imap/index.html", "imap.wren.example", "imap.wren.invalid"), "lacks imap.wren.example"},
		{"AsOfPages", replace("providers/wren/as-of/2009/index.html", ">pop3.wren.example<", ">pop.wren.example<"), "shows pop.wren.example, which was not in force in 2009"},
		{"AsOfPages", replace("providers/wren/as-of/2013/index.html", ">pop.wren.example<", ">x<"), "lacks pop.wren.example, in force in 2013"},
		{"AsOfPages", replace("providers/wren/as-of/2009/index.html", `<tr class="preferred">`, `<tr>`), "does not mark smtp.wren.example preferred"},
		{"FeedAndSitemap", replace("sitemap.xml", "<loc>https://golden.example/kb/history/</loc>", ""), "sitemap lacks history/index.html"},
		{"StructuredData", replace("providers/wren/index.html", `"@type":"FAQPage"`, `"@type":"WebPage"`), "no FAQPage"},
		{"OpenGraphAndRobots", replace("guides/newmail/wren/imap/index.html", `og:title" content="Wren Mail`, `og:title" content="Wren`), "og:title"},
		{"SearchIndex", replace("search/index.json", `"r":["/kb/hosts/pop.wren.example/"]`, `"r":[]`), "want its replacement /kb/hosts/pop.wren.example/"},
		{"GuidePagesAreLight", func(f map[string][]byte) {
			f["guides/newmail/wren/imap/index.html"] = append(f["guides/newmail/wren/imap/index.html"], strings.Repeat("x", guideBudget)...)
		}, "over the"},
	}
	for _, tt := range tests {
		t.Run(tt.check+"/"+tt.want, func(t *testing.T) {
			bad := *good
			bad.files = maps.Clone(good.files)
			tt.spoil(bad.files)
			errs := new(recorder).run(tt.check, &bad)
			if !strings.Contains(strings.Join(errs, "\n"), tt.want) {
				t.Errorf("%s reported %q, want %q", tt.check, errs, tt.want)
			}
		})
	}
}
