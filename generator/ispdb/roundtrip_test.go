package ispdb

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mailkb/generator/export"
	"mailkb/generator/model"
)

// The round trip: an ISPDB file imported into an empty knowledge base and
// loaded back must give the same servers, ports, socket types, user names
// and authentication, and so must its Thunderbird autoconfig export once
// parsed again. "The same" is up to mailkb's vocabulary: password-cleartext
// and password-encrypted are both a password, and a user name other than
// the two placeholders is "other".

// norm is a server reduced to what a round trip keeps.
type norm struct {
	Type, Host string
	Port       int
	Socket     string   // SSL, STARTTLS or plain
	Auth       []string // "oauth2", "password", sorted
	Username   string   // a placeholder, or "other"
}

func (n norm) String() string {
	return fmt.Sprintf("%s %s:%d %s [%s] %s", n.Type, n.Host, n.Port, n.Socket, strings.Join(n.Auth, " "), n.Username)
}

// normServers reduces the IMAP, POP3 and SMTP servers of an autoconfig
// file, written independently of the importer's own mapping.
func normServers(t *testing.T, ep EmailProvider) []norm {
	t.Helper()
	var out []norm
	for _, s := range append(slices.Clone(ep.Incoming), ep.Outgoing...) {
		if s.Type != "imap" && s.Type != "pop3" && s.Type != "smtp" {
			continue
		}
		n := norm{Type: s.Type, Host: s.Hostname, Socket: s.SocketType, Username: "other"}
		if _, err := fmt.Sscan(s.Port, &n.Port); err != nil {
			t.Fatalf("port %q", s.Port)
		}
		for _, a := range s.Authentication {
			m := map[string]string{"OAuth2": "oauth2", "password-cleartext": "password", "password-encrypted": "password"}[a]
			if m != "" && !slices.Contains(n.Auth, m) {
				n.Auth = append(n.Auth, m)
			}
		}
		slices.Sort(n.Auth)
		if s.Username == "%EMAILADDRESS%" || s.Username == "%EMAILLOCALPART%" {
			n.Username = s.Username
		}
		out = append(out, n)
	}
	return out
}

// normEndpoint reduces a loaded endpoint the same way.
func normEndpoint(e *model.Endpoint) norm {
	n := norm{Type: string(e.Protocol), Host: e.Host, Port: e.Port,
		Socket:   map[model.Security]string{model.TLS: "SSL", model.STARTTLS: "STARTTLS", model.NoTLS: "plain"}[e.Security],
		Username: map[model.Username]string{model.EmailAddress: "%EMAILADDRESS%", model.LocalPart: "%EMAILLOCALPART%", model.OtherName: "other"}[e.Username]}
	for _, a := range e.Auth {
		n.Auth = append(n.Auth, string(a))
	}
	slices.Sort(n.Auth)
	return n
}

// sameServers compares the servers as a set, and the first of each
// protocol, which is the preferred one in both directions.
func sameServers(t *testing.T, what string, got, want []norm) {
	t.Helper()
	key := func(n norm) string { return n.String() }
	g, w := make([]string, len(got)), make([]string, len(want))
	for i := range got {
		g[i] = key(got[i])
	}
	for i := range want {
		w[i] = key(want[i])
	}
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s: servers differ\n got: %q\nwant: %q", what, g, w)
		return
	}
	for _, proto := range []string{"imap", "pop3", "smtp"} {
		first := func(ns []norm) string {
			for _, n := range ns {
				if n.Type == proto {
					return n.String()
				}
			}
			return ""
		}
		if first(got) != first(want) {
			t.Errorf("%s: first %s server is %q, want %q", what, proto, first(got), first(want))
		}
	}
}

func TestRoundTrip(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range entries {
		file := entry.Name()
		if !strings.HasSuffix(file, ".xml") {
			continue
		}
		t.Run(file, func(t *testing.T) {
			orig, err := Parse(fixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			ep := orig.Providers[0]
			want := normServers(t, ep)

			root := newKB(t, true)
			rep := runImport(t, root, filepath.Join("testdata", file))
			r := result(t, rep, file)
			if r.Outcome != Created {
				t.Fatalf("%s", summary(rep))
			}
			kb := loadChecked(t, root)
			p := kb.Provider(r.Provider)
			var got []norm
			for _, e := range p.CurrentEndpoints() {
				got = append(got, normEndpoint(e))
			}
			sameServers(t, "imported", got, want)
			for _, proto := range []model.Protocol{model.IMAP, model.POP3, model.SMTP} {
				if es := p.InForce(proto, today); len(es) > 0 && !es[0].Preferred {
					t.Errorf("the first %s endpoint is not preferred", proto)
				}
			}

			files, err := export.Files(kb, export.Options{BaseURL: "https://mailkb.example/", Today: today})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ep.Domains {
				data, ok := files[export.AutoconfigPath(strings.ToLower(d))]
				if !ok {
					t.Fatalf("no autoconfig file for %s", d)
				}
				back, err := Parse(data)
				if err != nil {
					t.Fatalf("the exported autoconfig for %s does not parse: %v", d, err)
				}
				bp := back.Providers[0]
				sameServers(t, "exported for "+d, normServers(t, bp), want)
				if !slices.Equal(bp.Domains, lower(ep.Domains)) {
					t.Errorf("exported domains %q, want %q", bp.Domains, ep.Domains)
				}
				if bp.DisplayName != ep.DisplayName {
					t.Errorf("exported displayName %q, want %q", bp.DisplayName, ep.DisplayName)
				}
				if visit := enableURL(orig); visit != enableURL(back) {
					t.Errorf("exported enable visiturl %q, want %q", enableURL(back), visit)
				}
			}
		})
	}
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

// enableURL is where a file sends the user to switch access on.
func enableURL(c *Config) string {
	for _, es := range [][]Enable{c.Providers[0].Enable, c.Enable} {
		if len(es) > 0 {
			return es[0].VisitURL
		}
	}
	return ""
}
