package lint

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/publicsuffix"

	"mailkb/generator/content"
	"mailkb/generator/diag"
	"mailkb/generator/loader"
	"mailkb/generator/model"
)

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

const sources = `sources:
  - id: s1
    title: Acme help
    publisher: Acme
  - id: unused
    title: Nobody cites this
    publisher: Nobody
`

func endpoint(id, proto, host string, port int, sec, extra string) string {
	return "  - id: " + id + "\n    protocol: " + proto + "\n    host: " + host + "\n    port: " + strconv.Itoa(port) +
		"\n    security: " + sec + "\n    auth: [password]\n    username: email-address\n    sources: [s1]\n" + extra
}

const fresh = "    verified:\n      - date: 2026-11-01\n        method: manual\n        by: Ann\n"

// loadForTest loads a knowledge base with one provider of the given
// endpoints (YAML list items).
func loadForTest(t testing.TB, endpoints string) *model.KB {
	t.Helper()
	provider := "id: acme\nname: Acme\nsummary: Test.\ndomains: [acme.com]\ndomain_sources: [s1]\nendpoints:\n" + endpoints
	fsys := fstest.MapFS{
		"data/sources.yaml":        {Data: []byte(sources)},
		"data/providers/acme.yaml": {Data: []byte(provider)},
	}
	kb, err := loader.LoadFS(fsys, "", loader.WithToday(today))
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

func check(t *testing.T, endpoints string, guide string) []Finding {
	t.Helper()
	kb := loadForTest(t, endpoints)
	var srcs []*content.Source
	if guide != "" {
		s, err := content.Parse("content/articles/a.md", content.Article, []byte("---\ntitle: A\n---\n"+guide))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, s)
	}
	exists := func(p string) bool { return p == "/providers/acme/" }
	return Check(kb, srcs, Options{Today: today, PageExists: exists})
}

func TestRules(t *testing.T) {
	ok := endpoint("imap", "imap", "imap.acme.com", 993, "tls", fresh) + endpoint("smtp", "smtp", "smtp.acme.com", 587, "starttls", fresh)
	tests := []struct {
		name, endpoints, guide string
		want                   string // "" = no error findings
	}{
		{"clean", ok, "See [the provider](/providers/acme/).", ""},
		{"bad TLD", ok + endpoint("pop", "pop3", "pop.acme.vom", 995, "tls", fresh), "",
			"error: host pop.acme.vom ends in .vom, which is not a top-level domain; did you mean pop.acme.com? [host-typo]"},
		{"bad TLD con", ok + endpoint("pop", "pop3", "pop.mail.acme.con", 995, "tls", fresh), "", "ends in .con, which is not a top-level domain; did you mean pop.mail.acme.com?"},
		{"slip in the domain", ok + endpoint("pop", "pop3", "pop.acne.com", 995, "tls", fresh), "",
			"host pop.acne.com is one slip away from imap.acme.com (used by 1 endpoints); did you mean pop.acme.com?"},
		{"a host under the provider's own domain is no slip", endpoint("imap", "imap", "mail.acmee.com", 993, "tls", fresh) + endpoint("pop", "pop3", "mail.acmee.com", 995, "tls", fresh) +
			endpoint("smtp", "smtp", "smtp.acme.com", 587, "starttls", fresh), "", ""},
		{"unusual says why a near-miss host is right", ok + endpoint("pop", "pop3", "pop.acne.com", 995, "tls", "    unusual: Acme's POP3 really lives at acne.com.\n"+fresh), "", ""},
		{"services under a deeper public suffix are no slip", endpoint("imap", "imap", "imaps.avocat.fr", 993, "tls", fresh) + endpoint("smtp", "smtp", "smtps.avocat.fr", 465, "tls", fresh), "", ""},
		{"POP3 on 993", ok + endpoint("pop", "pop3", "pop.acme.com", 993, "tls", fresh), "", "POP3 on port 993: that is the IMAP port (SSL/TLS)"},
		{"IMAP on 995", ok + endpoint("i2", "imap", "imap2.acme.com", 995, "tls", fresh), "", "IMAP on port 995: that is the POP3 port"},
		{"TLS on 587", endpoint("smtp", "smtp", "smtp.acme.com", 587, "tls", fresh), "", "SMTP on port 587 with SSL/TLS: port 587 speaks plaintext first, upgraded with STARTTLS"},
		{"STARTTLS on 465", endpoint("smtp", "smtp", "smtp.acme.com", 465, "starttls", fresh), "", "SMTP on port 465 with STARTTLS: port 465 speaks implicit TLS"},
		{"plaintext port marked TLS", endpoint("i", "imap", "imap.acme.com", 143, "tls", fresh), "", "IMAP on port 143 with SSL/TLS"},
		{"plaintext on a TLS port", endpoint("i", "imap", "imap.acme.com", 993, "none", fresh), "", "IMAP on port 993 with None"},
		{"unusual says why", endpoint("pop", "pop3", "pop.acme.com", 993, "tls", "    unusual: Acme really does this.\n"+fresh), "", ""},
		{"host in prose", ok, "Use imap.acme.com here.", "content/articles/a.md:4:5: error: imap.acme.com is written into the text; use {{< host >}}"},
		{"port in prose", ok, "Set the port to 993.", "content/articles/a.md:4:17: error: port 993 is written into the text"},
		{"host in a code block", ok, "```\nserver = smtp.acme.com\n```\n", "content/articles/a.md:5:10: error: smtp.acme.com is written into the text"},
		{"broken link", ok, "See [x](/providers/acme/nope/).", "content/articles/a.md:4:9: error: link to /providers/acme/nope/ goes nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs []string
			for _, f := range check(t, tt.endpoints, tt.guide) {
				if f.Severity == Error {
					errs = append(errs, f.String())
				}
			}
			got := strings.Join(errs, "\n")
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("errors:\n%s\nwant: %q", got, tt.want)
			}
		})
	}
}

// TestContentAboutOtherKBs: content may be shared between knowledge
// bases; what it names that this one lacks is warned of, not refused.
func TestContentAboutOtherKBs(t *testing.T) {
	kb := loadForTest(t, endpoint("imap", "imap", "imap.acme.com", 993, "tls", fresh))
	parse := func(name string, kind content.Kind, src string) *content.Source {
		s, err := content.Parse(name, kind, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	srcs := []*content.Source{
		parse("content/articles/other.md", content.Article, "---\ntitle: O\nprovider: zeta\n---\nUse zeta.example.\n"),
		parse("content/articles/cond.md", content.Article, "---\ntitle: C\n---\n{{< if provider=\"acme, zeta\" >}}x{{< /if >}}\n"),
	}
	var got []string
	for _, f := range Check(kb, srcs, Options{Today: today}) {
		if strings.HasPrefix(f.Rule, "content-") {
			got = append(got, f.String())
		}
	}
	want := []string{
		`content/articles/cond.md:4:1: warning: {{< if >}} names provider "zeta", which this knowledge base does not have; the condition holds for none (choose one of: acme) [content-provider]`,
		`content/articles/other.md:3:11: warning: content/articles/other.md is about provider "zeta", which this knowledge base does not have; the site leaves it out (choose one of: acme) [content-provider]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWarnings(t *testing.T) {
	old := "    verified:\n      - date: 2025-01-01\n        method: manual\n        by: Ann\n"
	fs := check(t, endpoint("imap", "imap", "imap.acme.com", 993, "tls", old)+endpoint("smtp", "smtp", "smtp.acme.com", 587, "starttls", ""), "")
	var got []string
	for _, f := range fs {
		if f.Severity == Warning {
			got = append(got, f.String())
		}
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"imap imap.acme.com:993 was last verified 2025-01-01, more than 180 days ago",
		"smtp smtp.acme.com:587 has never been verified",
		`data/sources.yaml:5:5: warning: source "unused" is cited by nothing`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}

// TestSlipsMatchPairwise checks the indexed slip rule against the rule's
// definition — every endpoint compared with every other of its provider —
// on hosts full of near misses: one and two edits, three edits (no slip),
// other top-level and deeper public suffixes, hosts used by several
// endpoints and ties broken by name; once laid out by hand, once drawn at
// random.
func TestSlipsMatchPairwise(t *testing.T) {
	domains := []string{"acme.com", "acne.com", "acme.net", "acmee.com", "cme.com", "akme.com", "bcne.com",
		"acme-mail.com", "acme.co.uk", "acmf.co.uk", "zeta.org", "zetta.org", "beta.org", "avocat.fr"}
	ports := map[string]string{"imap": "993 tls", "pop3": "995 tls", "smtp": "587 starttls"}
	var eps []string
	add := func(id, proto, host string) {
		var port int
		var sec string
		fmt.Sscanf(ports[proto], "%d %s", &port, &sec)
		eps = append(eps, endpoint(id, proto, host, port, sec, fresh))
	}
	var byHand, random []string
	for i, d := range domains {
		for j, proto := range []string{"imap", "pop3", "smtp"} {
			if (i+j)%4 == 3 {
				continue
			}
			host := proto + "." + d
			if i%3 == 0 {
				host = "mail." + d // one host for every protocol: used more often
			}
			add(fmt.Sprintf("e%d-%s", i, proto), proto, host)
		}
	}
	add("deep", "imap", "imaps.avocat.fr")
	byHand, eps = eps, nil
	r := rand.New(rand.NewPCG(3, 4))
	used := map[string]bool{}
	for i := range 400 {
		proto := []string{"imap", "pop3", "smtp"}[r.IntN(3)]
		host := []string{"a", "b", "mail", "mx", "zz"}[r.IntN(5)] + "." + domains[r.IntN(len(domains))]
		if !used[proto+host] {
			used[proto+host] = true
			add(fmt.Sprintf("r%d", i), proto, host)
		}
	}
	random = eps
	for name, eps := range map[string][]string{"by hand": byHand, "random": random} {
		t.Run(name, func(t *testing.T) {
			list := strings.Join(eps, "")
			var got []string
			for _, f := range check(t, list, "") {
				if f.Rule == "host-typo" && strings.Contains(f.Message, "one slip away") {
					got = append(got, f.Pos.String()+": "+f.Message)
				}
			}
			want := pairwiseSlips(loadForTest(t, list))
			if len(want) < 5 {
				t.Fatalf("the case should have several slips, the definition finds %d:\n%s", len(want), strings.Join(want, "\n"))
			}
			if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
				t.Errorf("slips:\n%s\nwant (every pair compared):\n%s", g, w)
			}
		})
	}
}

// pairwiseSlips is the slip rule by its definition: for each endpoint, the
// first other endpoint of its provider, in file order, whose registered
// domain is one or two edits away (unless the host's own registered domain
// is one of the provider's mail domains) and whose host is used at least as
// often (ties to the alphabetically first host).
func pairwiseSlips(kb *model.KB) []string {
	known := map[string]int{}
	for _, p := range kb.Providers {
		for _, e := range p.Endpoints {
			known[e.Host]++
		}
	}
	var out []string
	for _, p := range kb.Providers {
		for _, e := range p.Endpoints {
			reg, err := publicsuffix.EffectiveTLDPlusOne(e.Host)
			if !realTLD(e.Host) || err != nil || reg == e.Host || slices.Contains(p.Domains, reg) {
				continue
			}
			for _, o := range p.Endpoints {
				oreg, err := publicsuffix.EffectiveTLDPlusOne(o.Host)
				if err != nil || oreg == reg || oreg == o.Host || !realTLD(o.Host) {
					continue
				}
				d := diag.EditDistance(reg, oreg)
				if d >= 1 && d <= 2 && (known[o.Host] > known[e.Host] || known[o.Host] == known[e.Host] && o.Host < e.Host) {
					out = append(out, fmt.Sprintf("%s: host %s is one slip away from %s (used by %d endpoints); did you mean %s?",
						e.Pos, e.Host, o.Host, known[o.Host], strings.TrimSuffix(e.Host, reg)+oreg))
					break
				}
			}
		}
	}
	return out
}

// TestNearStrings checks the deletion index against its definition:
// every pair of distinct strings at most two edits apart, and no other.
func TestNearStrings(t *testing.T) {
	ss := []string{"acme.com", "acne.com", "acme.net", "akme.com", "cme.com", "me.com", "acne.co", "zzzz.org",
		"a.io", "ab.io", "b.io", "abc.io", "ba.io", "x", "xy", "yx", "example.com", "exmple.com", "exaample.com", "elpmaxe.com"}
	near := nearStrings(ss)
	pairs := 0
	for _, a := range ss {
		var want []string
		for _, b := range ss {
			if a != b && diag.EditDistance(a, b) <= 2 {
				want = append(want, b)
			}
		}
		pairs += len(want)
		got := append([]string{}, near[a]...)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("near %s = %v, want %v", a, got, want)
		}
	}
	if pairs == 0 {
		t.Fatal("the strings should have near pairs")
	}
}

func TestHostsWritten(t *testing.T) {
	names := map[string]bool{"imap.acme.com": true, "imap.acme.com.au": true, "smtp.acme.com": true, "acme.com": true}
	tests := []struct {
		text string
		want []string // offset:host as written
	}{
		{"imap.acme.com", []string{"0:imap.acme.com"}},
		{"Use imap.acme.com.", []string{"4:imap.acme.com"}},
		{"Use IMAP.Acme.COM now", []string{"4:IMAP.Acme.COM"}},
		{"the longer name: imap.acme.com.au", []string{"17:imap.acme.com.au"}},
		{"`smtp.acme.com:587` and (imap.acme.com)", []string{"1:smtp.acme.com", "25:imap.acme.com"}},
		{"imap.acme.com smtp.acme.com", []string{"0:imap.acme.com", "14:smtp.acme.com"}}, // one space apart: both
		{"user@acme.com or smtp.acme.com_x", []string{"5:acme.com", "17:smtp.acme.com"}},
		{"x.imap.acme.com -imap.acme.com imap.acme.comx imap.acme.com-2 imap.acme.com2", nil}, // part of a longer name
		{"imap.acme.community", nil},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		hostsWritten(tt.text, names, func(off int, host string) { got = append(got, fmt.Sprintf("%d:%s", off, host)) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("hostsWritten(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestPortMentions compares portMentions with the pattern it stands for.
func TestPortMentions(t *testing.T) {
	for _, text := range []string{"use port 993", "Ports: 465 or 587", "sport 25", "port\n25", "port 123456", "port port 25",
		"the portal 8080", "PORTſ 25", "ports are 25, 587", "port abcdefghijklm 25", "é port 25", "port 25x"} {
		if got, want := portMentions(text), portPattern.FindAllStringSubmatchIndex(text, -1); !reflect.DeepEqual(got, want) {
			t.Errorf("portMentions(%q) = %v, the pattern finds %v", text, got, want)
		}
	}
}

// FuzzPortMentions: on any text, portMentions finds what the pattern does.
func FuzzPortMentions(f *testing.F) {
	for _, s := range []string{"port 993", "Ports 25 and port 587", "xport 25", "port ſ 25", "port\t\t\t\t\t\t\t\t\t\t\t\t25"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := portMentions(text), portPattern.FindAllStringSubmatchIndex(text, -1); !reflect.DeepEqual(got, want) {
			t.Errorf("portMentions(%q) = %v, the pattern finds %v", text, got, want)
		}
	})
}
