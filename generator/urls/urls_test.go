package urls

import (
	"testing"

	"mailkb/generator/model"
)

func TestPathsAndFiles(t *testing.T) {
	p := &model.Provider{ID: "acme"}
	c := &model.Client{ID: "mailer"}
	for _, tt := range []struct {
		base, path, file string
		got              func(URLs) string
	}{
		{"https://x.example/", "/", "index.html", URLs.Home},
		{"https://x.example/kb/", "/kb/", "index.html", URLs.Home},
		{"https://x.example/kb", "/kb/providers/acme/", "providers/acme/index.html", func(u URLs) string { return u.Provider(p) }},
		{"https://x.example/", "/guides/mailer/acme/imap/", "guides/mailer/acme/imap/index.html", func(u URLs) string { return u.Guide(c, p, model.IMAP) }},
		{"https://x.example/kb/", "/kb/providers/acme/as-of/2009/", "providers/acme/as-of/2009/index.html", func(u URLs) string { return u.AsOf(p, 2009) }},
		{"https://x.example/kb/", "/kb/embed/acme/smtp/fragment.html", "embed/acme/smtp/fragment.html", func(u URLs) string { return u.EmbedFragment(p, model.SMTP) }},
		{"https://x.example/", "/404.html", "404.html", URLs.NotFound},
		{"https://x.example/kb/", "/kb/api/v1/providers/acme.json", "api/v1/providers/acme.json", func(u URLs) string { return u.ProviderJSON(p) }},
		{"https://x.example/", "/autoconfig/v1.1/acme.example", "autoconfig/v1.1/acme.example", func(u URLs) string { return u.Autoconfig("acme.example") }},
		{"https://x.example/", "/mobileconfig/acme-imap.mobileconfig", "mobileconfig/acme-imap.mobileconfig", func(u URLs) string { return u.Mobileconfig(p, model.IMAP) }},
	} {
		u := New(tt.base)
		if got := tt.got(u); got != tt.path {
			t.Errorf("%s: path %q, want %q", tt.base, got, tt.path)
		}
		if got := u.File(tt.path); got != tt.file {
			t.Errorf("%s: File(%q) = %q, want %q", tt.base, tt.path, got, tt.file)
		}
	}
}

func TestAbsAndHost(t *testing.T) {
	u := New("https://kb.example:8443/help/")
	if got, want := u.Abs(u.Sources()), "https://kb.example:8443/help/sources/"; got != want {
		t.Errorf("Abs = %q, want %q", got, want)
	}
	if u.Hostname() != "kb.example" || u.Base() != "/help" {
		t.Errorf("Hostname %q, Base %q", u.Hostname(), u.Base())
	}
}

func TestRebase(t *testing.T) {
	for _, tt := range []struct{ base, in, want string }{
		{"https://x.example/", `<a href="/history/">`, `<a href="/history/">`},
		{"https://x.example/kb/", `<a href="/history/">h</a> <a href="//cdn.example/x">c</a> <a href="https://y.example/">y</a>`,
			`<a href="/kb/history/">h</a> <a href="//cdn.example/x">c</a> <a href="https://y.example/">y</a>`},
	} {
		if got := New(tt.base).Rebase(tt.in); got != tt.want {
			t.Errorf("Rebase(%q) under %s = %q, want %q", tt.in, tt.base, got, tt.want)
		}
	}
}
