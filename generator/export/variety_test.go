package export

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/urls"
)

// varietyKB is a small knowledge base with what the bundled one does not
// have: every sign-in method, the other ways in, user names and hosts made
// from the address, alternatives listed in an order other than the
// preferred one, POP3 listed before IMAP, a server that needs no sign-in.
var varietyKB = map[string]string{
	"data/site.yaml":    "title: Variety\nbase_url: https://mailkb.example/\n",
	"data/sources.yaml": "sources:\n  - id: help\n    title: Help pages\n    publisher: Example\n",
	// POP3 before IMAP; the second SMTP server is the preferred one; the
	// SMTP user name differs from the incoming ones.
	"data/providers/pw.yaml": `id: pw
name: Password Mail
summary: Signs in with passwords.
domains: [pw.example, pw2.example, {domain: moved.example, until: 2020}]
domain_sources: [help]
endpoints:
  - id: pop
    protocol: pop3
    host: pop.pw.example
    port: 995
    security: tls
    auth: [password-encrypted, password]
    username: local-part
    sources: [help]
  - id: imap-old
    protocol: imap
    host: mail.pw.example
    port: 993
    security: tls
    auth: [password]
    username: email-address
    until: 2020
    status: retired
    sources: [help]
  - id: imap-starttls
    protocol: imap
    host: imap.pw.example
    port: 143
    security: starttls
    auth: [password]
    username: local-part
    sources: [help]
  - id: imap
    protocol: imap
    host: imap.pw.example
    port: 993
    security: tls
    auth: [password, app-password, oauth2]
    username: local-part
    preferred: true
    sources: [help]
  - id: smtp-25
    protocol: smtp
    host: smtp.pw.example
    port: 25
    security: starttls
    auth: [smtp-after-pop]
    username: email-address
    preferred: [{until: 2015}]
    sources: [help]
  - id: smtp
    protocol: smtp
    host: smtp.pw.example
    port: 587
    security: starttls
    auth: [password, oauth2]
    username: '%EMAILLOCALPART%.%EMAILDOMAIN%'
    from: 2015
    preferred: true
    sources: [help]
facts:
  - id: turn-on-imap
    title: Turn IMAP on first
    kind: access
    text: IMAP is off until you turn it on.
    protocols: [imap]
    where: Settings → Accounts → IMAP
    url: https://pw.example/settings
    sources: [help]
`,
	// OAuth2 only, and every way in besides the mail servers.
	"data/providers/oauth-only.yaml": `id: oauth-only
name: OAuth Only
summary: Signs in with OAuth2 only.
domains: [oauth.example]
domain_sources: [help]
endpoints:
  - id: imap
    protocol: imap
    host: imap.oauth.example
    port: 993
    security: tls
    auth: [oauth2]
    username: email-address
    sources: [help]
  - id: ews
    protocol: ews
    url: https://mail.oauth.example/ews/exchange.asmx
    auth: [oauth2]
    username: '%EMAILADDRESS'
    sources: [help]
  - id: exchange
    protocol: exchange
    host: mail.oauth.example
    port: 443
    security: tls
    ews_url: https://mail.oauth.example/ews/exchange.asmx
    owa_url: https://mail.oauth.example/owa/
    auth: [oauth2, ntlm]
    username: email-address
    sources: [help]
  - id: graph
    protocol: graph
    url: https://graph.oauth.example/
    auth: [oauth2]
    username: email-address
    sources: [help]
  - id: smtp
    protocol: smtp
    host: smtp.oauth.example
    port: 587
    security: starttls
    auth: [oauth2]
    username: email-address
    sources: [help]
`,
	// Hosts and user names made from the user's domain; sending allowed
	// from the provider's network.
	"data/providers/templ.yaml": `id: templ
name: Template Hosting
summary: One server name per customer domain.
domains: [t1.example, t2.example, {domain: moved.example, from: 2020}]
domain_sources: [help]
endpoints:
  - id: imap
    protocol: imap
    host: mail.%EMAILDOMAIN%
    port: 993
    security: tls
    auth: [password]
    username: '%EMAILLOCALPART%@%EMAILDOMAIN%'
    sources: [help]
  - id: smtp
    protocol: smtp
    host: '%EMAILDOMAIN%'
    port: 25
    security: none
    auth: [client-ip]
    username: '%EMAILLOCALPART%@%EMAILDOMAIN%'
    sources: [help]
`,
	// Windows sign-in (the preferred server Kerberos only, which a
	// profile cannot set), and an open SMTP server.
	"data/providers/odd-auth.yaml": `id: odd-auth
name: Odd Auth
summary: NTLM and Kerberos.
domains: [odd.example]
domain_sources: [help]
endpoints:
  - id: imap-kerberos
    protocol: imap
    host: kerberos.odd.example
    port: 993
    security: tls
    auth: [gssapi]
    username: other
    username_note: Your Windows account name.
    preferred: true
    sources: [help]
  - id: imap
    protocol: imap
    host: imap.odd.example
    port: 993
    security: tls
    auth: [ntlm, gssapi]
    username: other
    username_note: Your Windows account name.
    sources: [help]
  - id: smtp
    protocol: smtp
    host: smtp.odd.example
    port: 465
    security: tls
    auth: [none]
    username: email-address
    sources: [help]
`,
}

// variety loads varietyKB and exports it.
func variety(t *testing.T) (*model.KB, map[string][]byte) {
	t.Helper()
	kb, err := loader.Load(kbtest.Write(t, varietyKB), loader.WithToday(buildDay))
	if err != nil {
		t.Fatalf("the test's knowledge base does not load:\n%v", err)
	}
	files, err := Files(kb, Options{URLs: urls.New(kb.Site.BaseURL), Today: buildDay})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return kb, files
}

// exported is one knowledge base and its exports, made on day.
type exported struct {
	name  string
	kb    *model.KB
	files map[string][]byte
	day   time.Time
}

// everyKB is the bundled knowledge base and varietyKB, for the tests that
// check each file against the model.
func everyKB(t *testing.T) []exported {
	t.Helper()
	vkb, vfiles := variety(t)
	return []exported{bundled(t), {"variety", vkb, vfiles, buildDay}}
}

// served are p's domains on day.
func served(p *model.Provider, day time.Time) []string {
	var out []string
	for _, d := range p.Domains {
		if pd, ok := p.DomainPeriods[d]; !ok || pd.Contains(day) {
			out = append(out, d)
		}
	}
	return out
}

// TestDomainThatMoved checks that a domain that passed from one provider
// to another is in the files of the one that serves it on the build day
// only.
func TestDomainThatMoved(t *testing.T) {
	_, files := variety(t)
	for file, want := range map[string]string{
		AutoconfigPath("moved.example"):   `<emailProvider id="templ">`,
		AutoconfigPath("pw.example"):      `<domain>pw2.example</domain>`,
		AutodiscoverPath("moved.example"): `<Server>mail.moved.example</Server>`,
	} {
		if !strings.Contains(string(files[file]), want) {
			t.Errorf("%s does not have %s:\n%s", file, want, files[file])
		}
	}
	if strings.Contains(string(files[AutoconfigPath("pw.example")]), "moved.example") {
		t.Errorf("the autoconfig of the provider the domain left still lists it:\n%s", files[AutoconfigPath("pw.example")])
	}
}

// TestJSONNewFields checks the fields the other ways in and preference
// periods add: url, ews_url, owa_url and preferred_during.
func TestJSONNewFields(t *testing.T) {
	_, files := variety(t)
	var oauth, pw apiProvider
	for file, into := range map[string]*apiProvider{ProviderJSONPath("oauth-only"): &oauth, ProviderJSONPath("pw"): &pw} {
		if err := json.Unmarshal(files[file], into); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	str := func(s *string) string {
		if s == nil {
			return "null"
		}
		return *s
	}
	got := map[string]string{}
	for _, e := range oauth.Endpoints {
		got[e.ID] = fmt.Sprintf("%s:%d url %s ews %s owa %s", e.Host, e.Port, str(e.URL), str(e.EWSURL), str(e.OWAURL))
	}
	for _, e := range pw.Endpoints {
		var periods []string
		for _, pd := range e.PreferredDuring {
			periods = append(periods, str(pd.From)+"–"+str(pd.Until))
		}
		got["pw "+e.ID] = fmt.Sprintf("preferred %v during %v", e.Preferred, periods)
	}
	for _, s := range pw.Current.Outgoing {
		got["pw current "+s.Endpoint] = fmt.Sprintf("preferred %v", s.Preferred)
	}
	for id, want := range map[string]string{
		"imap":               "imap.oauth.example:993 url null ews null owa null",
		"ews":                "mail.oauth.example:443 url https://mail.oauth.example/ews/exchange.asmx ews null owa null",
		"exchange":           "mail.oauth.example:443 url null ews https://mail.oauth.example/ews/exchange.asmx owa https://mail.oauth.example/owa/",
		"pw smtp-25":         "preferred false during [null–2015]",
		"pw smtp":            "preferred true during []",
		"pw current smtp-25": "preferred false",
		"pw current smtp":    "preferred true",
	} {
		if got[id] != want {
			t.Errorf("%s: %s, want %s", id, got[id], want)
		}
	}
}
