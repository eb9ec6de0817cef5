package autoconfig

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixtures are real files of Thunderbird's ISP database; the import's
// tests use them too.
const fixtures = "../ispdb/testdata"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file, id, name        string
		domains, in, out      int
		first                 Server // the first incoming server
		oauth2, enable, docs  bool
		leaveMessagesOnServer bool // on some POP3 server
	}{
		{"aol.com.xml", "aol.com", "AOL Mail", 19, 2, 1,
			Server{Type: "imap", Hostname: "imap.aol.com", Port: "993", SocketType: "SSL", Authentication: []string{"OAuth2", "password-cleartext"}, Username: "%EMAILADDRESS%"},
			true, false, true, false},
		{"bay.wind.ne.jp.xml", "bay.wind.ne.jp", "群馬インターネット", 5, 1, 1,
			Server{Type: "pop3", Hostname: "bay.wind.ne.jp", Port: "110", SocketType: "plain", Authentication: []string{"password-cleartext"}, Username: "%EMAILLOCALPART%"},
			false, false, false, false},
		{"clio.ne.jp.xml", "clio.ne.jp", "CLIO-Net移管サービス", 1, 1, 1,
			Server{Type: "pop3", Hostname: "mail.clio.ne.jp", Port: "110", SocketType: "plain", Authentication: []string{"password-cleartext"}, Username: "%EMAILLOCALPART%"},
			false, false, false, false},
		{"gmx.net.xml", "gmx.net", "GMX Freemail", 11, 4, 2,
			Server{Type: "imap", Hostname: "imap.gmx.net", Port: "993", SocketType: "SSL", Authentication: []string{"password-cleartext"}, Username: "%EMAILADDRESS%"},
			false, true, true, false},
		{"googlemail.com.xml", "googlemail.com", "Google Mail", 5, 2, 1,
			Server{Type: "imap", Hostname: "imap.gmail.com", Port: "993", SocketType: "SSL", Authentication: []string{"OAuth2", "password-cleartext"}, Username: "%EMAILADDRESS%"},
			true, true, true, true},
		{"hotmail.com.xml", "hotmail.com", "Outlook.com (Microsoft)", 103, 2, 1,
			Server{Type: "imap", Hostname: "outlook.office365.com", Port: "993", SocketType: "SSL", Authentication: []string{"OAuth2"}, Username: "%EMAILADDRESS%"},
			false, false, true, true},
		{"office365.com.xml", "office365.com", "Microsoft 365", 3, 6, 1,
			Server{Type: "imap", Hostname: "outlook.office365.com", Port: "993", SocketType: "SSL", Authentication: []string{"OAuth2"}, Username: "%EMAILADDRESS%"},
			true, false, false, true},
		{"web.de.xml", "web.de", "WEB.DE Freemail", 1, 4, 2,
			Server{Type: "imap", Hostname: "imap.web.de", Port: "993", SocketType: "SSL", Authentication: []string{"password-cleartext"}, Username: "%EMAILLOCALPART%"},
			false, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := Parse(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Providers) != 1 {
				t.Fatalf("%d emailProviders, want 1", len(c.Providers))
			}
			p := c.Providers[0]
			if p.ID != tt.id || p.DisplayName != tt.name || len(p.Domains) != tt.domains || len(p.Incoming) != tt.in || len(p.Outgoing) != tt.out {
				t.Errorf("got id %q name %q, %d domains, %d in, %d out; want %q %q %d %d %d",
					p.ID, p.DisplayName, len(p.Domains), len(p.Incoming), len(p.Outgoing), tt.id, tt.name, tt.domains, tt.in, tt.out)
			}
			first := p.Incoming[0]
			first.Line, first.POP3 = 0, nil
			if !equalServer(first, tt.first) {
				t.Errorf("first incoming server = %+v, want %+v", first, tt.first)
			}
			if p.Incoming[0].Line == 0 {
				t.Error("the server's line is not recorded")
			}
			if got := c.OAuth2 != nil && c.OAuth2.Issuer != ""; got != tt.oauth2 {
				t.Errorf("oAuth2 block read: %v, want %v", got, tt.oauth2)
			}
			if got := len(p.Enable)+len(c.Enable) > 0; got != tt.enable {
				t.Errorf("enable read: %v, want %v", got, tt.enable)
			}
			if got := len(p.Documentation) > 0; got != tt.docs {
				t.Errorf("documentation read: %v, want %v", got, tt.docs)
			}
			leave := slices.ContainsFunc(p.Incoming, func(s Server) bool { return s.POP3 != nil && s.POP3.LeaveMessagesOnServer == "true" })
			if leave != tt.leaveMessagesOnServer {
				t.Errorf("leaveMessagesOnServer read: %v, want %v", leave, tt.leaveMessagesOnServer)
			}
		})
	}
}

func equalServer(a, b Server) bool {
	return a.Type == b.Type && a.Hostname == b.Hostname && a.Port == b.Port && a.SocketType == b.SocketType &&
		slices.Equal(a.Authentication, b.Authentication) && a.Username == b.Username
}

func TestParseTolerates(t *testing.T) {
	const body = `<clientConfig version="1.1">
  <!-- a comment -->
  <emailProvider id="  example.com ">
    <domain>
       Example.COM </domain>
    <displayName>  Example
        Mail </displayName>
    <futureElement a="b"><nested/></futureElement>
    <incomingServer type="imap">
      <hostname> imap.example.com </hostname>
      <port> 993 </port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
      <unknownOption>1</unknownOption>
    </incomingServer>
  </emailProvider>
  <emailProvider id="second.example"><domain>second.example</domain></emailProvider>
</clientConfig>
`
	tests := []struct{ name, doc string }{
		{"plain", body},
		{"declaration and BOM", "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body},
		{"ISO-8859-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" + body},
		{"trailing comment", body + "<!-- vanity domains: a.de, b.de -->\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			p := c.Providers[0]
			if p.ID != "example.com" || p.Domains[0] != "Example.COM" || p.DisplayName != "Example Mail" {
				t.Errorf("got id %q, domain %q, name %q", p.ID, p.Domains[0], p.DisplayName)
			}
			s := p.Incoming[0]
			if s.Hostname != "imap.example.com" || s.Port != "993" {
				t.Errorf("got %q:%q", s.Hostname, s.Port)
			}
			if len(c.Providers) != 2 {
				t.Errorf("%d emailProviders, want 2", len(c.Providers))
			}
		})
	}
}

func TestParseLatin1(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><clientConfig><emailProvider id=\"x.de\"><displayName>M\xfcller Mail</displayName></emailProvider></clientConfig>"
	c, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Providers[0].DisplayName; got != "Müller Mail" {
		t.Errorf("displayName = %q, want Müller Mail", got)
	}
}

func TestParseMalformed(t *testing.T) {
	gmx := string(fixture(t, "gmx.net.xml"))
	tests := []struct{ name, doc, want string }{
		{"empty file", "", "the file is empty"},
		{"only white space", " \n\t\n", "the file is empty"},
		{"only a BOM", "\xEF\xBB\xBF", "the file is empty"},
		{"only a comment", "<!-- nothing -->", "no XML element"},
		{"truncated", gmx[:len(gmx)/2], "line "},
		{"wrong root element", `<?xml version="1.0"?><autodiscover><emailProvider id="a"/></autodiscover>`, "document element must be <clientConfig>"},
		{"no emailProvider", `<clientConfig version="1.1"><webMail/></clientConfig>`, "no <emailProvider>"},
		{"mismatched tags", `<clientConfig><emailProvider id="a"></clientConfig>`, "line 1"},
		{"undefined entity", `<clientConfig><emailProvider id="a"><displayName>A&nbsp;B</displayName></emailProvider></clientConfig>`, "entity"},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC"?><clientConfig/>`, "convert the file to UTF-8"},
		{"not XML", "port: 993\n", "no XML element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.doc))
			if err == nil {
				t.Fatalf("no error; parsed %+v", c)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

// FuzzParse checks that no input makes Parse panic, and that a document
// it accepts is read as the format has it: at least one emailProvider,
// values trimmed, servers with the line they start on.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir(fixtures)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".xml") {
			f.Add(fixture(f, e.Name()))
		}
	}
	f.Add([]byte(`<clientConfig><emailProvider id="a"><incomingServer type="imap"><hostname>a.example</hostname><port>-1</port></incomingServer></emailProvider></clientConfig>`))
	f.Add([]byte("\xEF\xBB\xBF<clientConfig><emailProvider id=\"\"/></clientConfig>"))
	f.Add([]byte(`<clientConfig><emailProvider id="a"><documentation url="https://a.example/?x=1&y=2"/></emailProvider></clientConfig>`))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"latin1\"?><clientConfig><emailProvider id=\"\xfc\"/></clientConfig>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if c != nil {
				t.Fatal("a config with an error")
			}
			return
		}
		if len(c.Providers) == 0 {
			t.Fatal("a config without an emailProvider")
		}
		for _, p := range c.Providers {
			for _, s := range append(append([]Server{}, p.Incoming...), p.Outgoing...) {
				for _, v := range append([]string{s.Type, s.Hostname, s.Port, s.SocketType, s.Username, s.URL}, s.Authentication...) {
					if v != strings.TrimSpace(v) {
						t.Fatalf("value %q is not trimmed", v)
					}
				}
				if s.Line < 1 {
					t.Fatalf("server %+v has no line", s)
				}
			}
		}
	})
}
