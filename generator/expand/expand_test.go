package expand

import (
	"strings"
	"testing"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/markdown"
	"mailkb/generator/model"
	"mailkb/generator/shortcode"
	"mailkb/generator/urls"
)

// blocks renders block shortcodes as markers, to see where they land.
type blocks struct{}

func (blocks) Settings(rows []*model.Endpoint, asOf time.Time) (string, error) {
	return "<table data-rows=\"" + strings.Repeat("r", len(rows)) + "\"></table>\n", nil
}
func (blocks) Fact(p *model.Provider, f *model.Fact) (string, error) {
	return "<aside>" + f.ID + "</aside>\n", nil
}

// scope is one guide's: a provider with IMAP (OAuth2 only) and SMTP (two
// ports), a client, IMAP, on a day.
func scope(t *testing.T) (*Env, Scope) {
	t.Helper()
	p := &model.Provider{ID: "acme", Name: "Acme Mail"}
	ep := func(proto model.Protocol, host string, port int, sec model.Security, auth ...model.Auth) *model.Endpoint {
		e := &model.Endpoint{ID: string(proto) + "-" + host, Provider: p, Protocol: proto, Host: host, Port: port, Security: sec, Auth: auth,
			Username: model.EmailAddress, Status: model.Current, Period: model.Period{From: model.Date{Y: 2020, Precision: model.Year}}}
		p.Endpoints = append(p.Endpoints, e)
		return e
	}
	ep(model.IMAP, "imap.acme.example", 993, model.TLS, model.OAuth2)
	ep(model.SMTP, "smtp.acme.example", 587, model.STARTTLS, model.OAuth2).Preferred = true
	ep(model.SMTP, "smtp.acme.example", 465, model.TLS, model.OAuth2)
	p.Facts = []*model.Fact{{ID: "turn-on", Title: "Turn IMAP on"}}
	c := &model.Client{ID: "mailer", Name: "Mailer", UI: map[string]string{"add": "File → Add"}}
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	kb := &model.KB{Providers: []*model.Provider{p}, Clients: []*model.Client{c}}
	return &Env{KB: kb, URLs: urls.New("https://kb.example/sub/"), Today: day, Blocks: blocks{}},
		Scope{Provider: p, Client: c, Protocol: model.IMAP, AsOf: day}
}

func parse(t *testing.T, src string) []shortcode.Node {
	t.Helper()
	nodes, err := shortcode.Parse("g.md", 1, src, content.Paired)
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}

// TestPlain: values in a guide's scope, as a title shows them.
func TestPlain(t *testing.T) {
	env, sc := scope(t)
	for _, tt := range []struct{ src, want string }{
		{"{{< provider >}} in {{< client >}}", "Acme Mail in Mailer"},
		{"{{< host >}}:{{< port >}} ({{< security >}})", "imap.acme.example:993 (SSL/TLS)"},
		{"{{< host smtp >}} on {{< ports smtp >}}", "smtp.acme.example on 587 or 465"},
		{"{{< username >}}; {{< auth >}}", "your full email address; OAuth2"},
		{"{{< ui add >}}", "File → Add"},
		{"{{< url provider >}} {{< url host smtp >}}", "/sub/providers/acme/ /sub/hosts/smtp.acme.example/"},
		{`{{< if accepts="password" >}}type it{{< /if >}}{{< unless accepts="password" >}}sign in on the page{{< /unless >}}`, "sign in on the page"},
		{`{{< if protocol="pop3" >}}POP3{{< /if >}}{{< if provider="acme, other" >}}acme{{< /if >}}`, "acme"},
	} {
		x := New(env, sc)
		if got := x.Plain(parse(t, tt.src)); got != tt.want || len(x.Errors()) > 0 {
			t.Errorf("%s: %q (errors %v), want %q", tt.src, got, x.Errors(), tt.want)
		}
	}
}

// TestErrors: a shortcode that cannot be answered is an error with its
// position, never left out in silence.
func TestErrors(t *testing.T) {
	env, sc := scope(t)
	for _, tt := range []struct{ src, want string }{
		{"{{< hots >}}", `g.md:1:1: {{< hots >}}: unknown shortcode; did you mean "host"?`},
		{"x {{< ui nosuch >}}", `g.md:1:3: {{< ui >}}: client "mailer" has no ui label "nosuch"`},
		{"{{< host pop3 >}}", `g.md:1:1: {{< host >}}: Acme Mail published no POP3`},
	} {
		x := New(env, sc)
		x.Plain(parse(t, tt.src))
		if got := x.Errors().Error(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %q, want it to start %q", tt.src, got, tt.want)
		}
	}
}

// TestTokensSurviveMarkdown: a value in a code block and in a link URL
// is written in after rendering, escaped once; a block lands where its
// paragraph was.
func TestTokensSurviveMarkdown(t *testing.T) {
	env, sc := scope(t)
	x := New(env, sc)
	src := "Server [{{< host >}}]({{< url host >}}).\n\n```yaml\nhost: {{< host >}}\n```\n\n{{< settings >}}\n\n{{< fact turn-on >}}\n"
	md := x.Markdown(parse(t, src))
	html, err := markdown.New().Block(md)
	if err != nil {
		t.Fatal(err)
	}
	out, err := x.Finish(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<a href="/sub/hosts/imap.acme.example/">imap.acme.example</a>`, "imap.acme.example</span>",
		`<table data-rows="rrr"></table>`, "<aside>turn-on</aside>"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !x.HasSettings() {
		t.Error("the settings shortcode is not noted")
	}
}
