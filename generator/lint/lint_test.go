package lint

import (
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/loader"
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

func check(t *testing.T, endpoints string, guide string) []Finding {
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
		{"bad TLD con", ok + endpoint("pop", "pop3", "outlook.office365.con", 995, "tls", fresh), "", "ends in .con, which is not a top-level domain; did you mean outlook.office365.com?"},
		{"slip in the domain", ok + endpoint("pop", "pop3", "pop.acne.com", 995, "tls", fresh), "",
			"host pop.acne.com is one slip away from imap.acme.com (used by 1 endpoints); did you mean pop.acme.com?"},
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
