package ispdb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mailkb/generator/model"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
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

// server wraps one server element in a whole file, for convert.
func serverDoc(element, body string) string {
	return `<clientConfig><emailProvider id="example.com"><domain>example.com</domain>` +
		"<" + element + ">" + body + "</" + strings.Fields(element)[0] + "></emailProvider></clientConfig>"
}

func TestConvertServers(t *testing.T) {
	const good = `<hostname>imap.example.com</hostname><port>993</port><socketType>SSL</socketType>
		<authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username>`
	tests := []struct {
		name, element, body string
		want                *model.Endpoint // nil: left out
		note                string          // in the endpoint's note, or the reason it was left out
	}{
		{"plain IMAP", `incomingServer type="imap"`, good,
			&model.Endpoint{Protocol: model.IMAP, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: model.EmailAddress}, ""},
		{"upper-case type and host", `incomingServer type="IMAP"`, strings.Replace(good, "imap.example.com", "IMAP.Example.com.", 1),
			&model.Endpoint{Protocol: model.IMAP, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: model.EmailAddress}, ""},
		{"OAuth2 and encrypted password, in the file's order", `outgoingServer type="smtp"`,
			`<hostname>smtp.example.com</hostname><port>587</port><socketType>STARTTLS</socketType>
			<authentication>OAuth2</authentication><authentication>password-encrypted</authentication><username>%EMAILLOCALPART%</username>`,
			&model.Endpoint{Protocol: model.SMTP, Host: "smtp.example.com", Port: 587, Security: model.STARTTLS, Auth: []model.Auth{model.OAuth2, model.EncryptedPassword}, Username: model.LocalPart},
			""},
		{"old names plain and secure", `incomingServer type="pop3"`,
			`<hostname>pop.example.com</hostname><port>110</port><socketType>plain</socketType>
			<authentication>plain</authentication><authentication>secure</authentication><username>%EMAILADDRESS%</username>`,
			&model.Endpoint{Protocol: model.POP3, Host: "pop.example.com", Port: 110, Security: model.NoTLS, Auth: []model.Auth{model.Password, model.EncryptedPassword}, Username: model.EmailAddress},
			""},
		{"a method repeated", `incomingServer type="imap"`, good + `<authentication>plain</authentication>`,
			&model.Endpoint{Protocol: model.IMAP, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: model.EmailAddress}, ""},
		{"password and NTLM", `incomingServer type="imap"`, good + `<authentication>NTLM</authentication>`,
			&model.Endpoint{Protocol: model.IMAP, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password, model.NTLM}, Username: model.EmailAddress}, ""},
		{"every other method", `outgoingServer type="smtp"`, strings.Replace(good, "<authentication>password-cleartext</authentication>",
			`<authentication>GSSAPI</authentication><authentication>TLS-client-cert</authentication><authentication>client-IP-address</authentication><authentication>smtp-after-pop</authentication><authentication>none</authentication>`, 1),
			&model.Endpoint{Protocol: model.SMTP, Host: "imap.example.com", Port: 993, Security: model.TLS,
				Auth: []model.Auth{model.GSSAPI, model.ClientCertificate, model.ClientIP, model.SMTPAfterPOP, model.NoAuth}, Username: model.EmailAddress}, ""},
		{"NTLM only", `incomingServer type="imap"`, strings.Replace(good, "password-cleartext", "NTLM", 1),
			&model.Endpoint{Protocol: model.IMAP, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.NTLM}, Username: model.EmailAddress}, ""},
		{"no sign-in", `outgoingServer type="smtp"`, strings.Replace(good, "password-cleartext", "none", 1),
			&model.Endpoint{Protocol: model.SMTP, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.NoAuth}, Username: model.EmailAddress}, ""},
		{"a method the format does not have, beside one it has", `incomingServer type="imap"`, good + `<authentication>magic-link</authentication>`,
			&model.Endpoint{Protocol: model.IMAP, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: model.EmailAddress},
			"also lists magic-link"},
		{"only a method the format does not have", `incomingServer type="imap"`, strings.Replace(good, "password-cleartext", "magic-link", 1), nil, "magic-link is not a method of the format"},
		{"template user name", `incomingServer type="imap"`, strings.Replace(good, "%EMAILADDRESS%", "%EMAILLOCALPART%@%EMAILDOMAIN%", 1),
			&model.Endpoint{Protocol: model.IMAP, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: "%EMAILLOCALPART%@%EMAILDOMAIN%"}, ""},
		{"leave messages on server", `incomingServer type="pop3"`,
			`<hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType><authentication>OAuth2</authentication>
			<username>%EMAILADDRESS%</username><pop3><leaveMessagesOnServer>true</leaveMessagesOnServer></pop3>`,
			&model.Endpoint{Protocol: model.POP3, Host: "pop.example.com", Port: 995, Security: model.TLS, Auth: []model.Auth{model.OAuth2}, Username: model.EmailAddress},
			"leave messages on the server"},
		{"missing hostname", `incomingServer type="imap"`, strings.Replace(good, "<hostname>imap.example.com</hostname>", "", 1), nil, "no hostname"},
		{"port abc", `incomingServer type="imap"`, strings.Replace(good, "993", "abc", 1), nil, `port "abc" is not a number`},
		{"port out of range", `incomingServer type="imap"`, strings.Replace(good, "993", "99300", 1), nil, "out of range"},
		{"missing port", `incomingServer type="imap"`, strings.Replace(good, "<port>993</port>", "", 1), nil, "no port"},
		{"socketType TLS", `incomingServer type="imap"`, strings.Replace(good, ">SSL<", ">TLS<", 1), nil, `socketType "TLS"`},
		{"no socketType", `incomingServer type="imap"`, strings.Replace(good, "<socketType>SSL</socketType>", "", 1), nil, "no socketType"},
		// With one domain as with several: Thunderbird also finds an entry
		// by the MX of the user's domain, and fills in that domain.
		{"hostname with a placeholder", `incomingServer type="imap"`, strings.Replace(good, "imap.example.com", "mail.%EMAILDOMAIN%", 1),
			&model.Endpoint{Protocol: model.IMAP, Host: "mail.%EMAILDOMAIN%", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: model.EmailAddress}, ""},
		{"hostname that is the user's domain", `incomingServer type="imap"`, strings.Replace(good, "imap.example.com", "%EMAILDOMAIN%", 1),
			&model.Endpoint{Protocol: model.IMAP, Host: "%EMAILDOMAIN%", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: model.EmailAddress}, ""},
		{"hostname with another placeholder", `incomingServer type="imap"`, strings.Replace(good, "imap.example.com", "%EMAILLOCALPART%.example.com", 1), nil, "not a valid host name"},
		{"IP address", `incomingServer type="imap"`, strings.Replace(good, "imap.example.com", "192.0.2.1", 1), nil, "not a valid host name"},
		{"no authentication", `incomingServer type="imap"`, strings.Replace(good, "<authentication>password-cleartext</authentication>", "", 1), nil, "no authentication"},
		{"exchange", `incomingServer type="exchange"`,
			good + `<owaURL>https://mail.example.com/owa/</owaURL><ewsURL>https://mail.example.com/ews/exchange.asmx</ewsURL>`,
			&model.Endpoint{Protocol: model.Exchange, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: model.EmailAddress,
				OWAURL: "https://mail.example.com/owa/", EWSURL: "https://mail.example.com/ews/exchange.asmx"}, ""},
		{"exchange with an ewsURL that is no web address", `incomingServer type="exchange"`, good + `<ewsURL>exchange.asmx</ewsURL>`,
			&model.Endpoint{Protocol: model.Exchange, Host: "imap.example.com", Port: 993, Security: model.TLS, Auth: []model.Auth{model.Password}, Username: model.EmailAddress},
			"ewsURL as `exchange.asmx`, which is not a web address"},
		{"ews", `incomingServer type="ews"`, `<url>https://example.com/ews</url><authentication>OAuth2</authentication><username>%EMAILADDRESS%</username>`,
			&model.Endpoint{Protocol: model.EWS, URL: "https://example.com/ews", Host: "example.com", Port: 443, Security: model.TLS, Auth: []model.Auth{model.OAuth2}, Username: model.EmailAddress}, ""},
		{"graph over http on a port", `incomingServer type="graph"`, `<url>http://graph.example.com:8080/</url><authentication>OAuth2</authentication><username>%EMAILADDRESS%</username>`,
			&model.Endpoint{Protocol: model.Graph, URL: "http://graph.example.com:8080/", Host: "graph.example.com", Port: 8080, Security: model.NoTLS, Auth: []model.Auth{model.OAuth2}, Username: model.EmailAddress}, ""},
		{"ews without url", `incomingServer type="ews"`, `<authentication>OAuth2</authentication>`, nil, "no url"},
		{"ews at an address that is not a web one", `incomingServer type="ews"`, `<url>ftp://example.com/ews</url><authentication>OAuth2</authentication>`, nil, "is not a web address"},
		{"smtp as incoming", `incomingServer type="smtp"`, good, nil, `type "smtp" is not one mailkb records here`},
		{"ews as outgoing", `outgoingServer type="ews"`, `<url>https://example.com/ews</url><authentication>OAuth2</authentication>`, nil, `type "ews" is not one mailkb records here`},
		{"httpmail", `incomingServer type="httpmail"`, good, nil, `type "httpmail" is not one mailkb records here`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(serverDoc(tt.element, tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			in := convert(c, "example.com.xml")
			if tt.want == nil {
				if len(in.servers) != 0 {
					t.Fatalf("imported %+v; want it left out", in.servers[0].e)
				}
				if len(in.notes) != 1 || !strings.Contains(in.notes[0], tt.note) || !strings.Contains(in.notes[0], "line 1") {
					t.Errorf("notes %q; want one naming line 1 and containing %q", in.notes, tt.note)
				}
				return
			}
			if len(in.servers) != 1 {
				t.Fatalf("%d servers imported (notes %q), want 1", len(in.servers), in.notes)
			}
			e, w := in.servers[0].e, tt.want
			if e.Protocol != w.Protocol || e.Host != w.Host || e.Port != w.Port || e.Security != w.Security ||
				!slices.Equal(e.Auth, w.Auth) || e.Username != w.Username || e.URL != w.URL || e.EWSURL != w.EWSURL || e.OWAURL != w.OWAURL {
				t.Errorf("got %s %s:%d %s %v %s %q %q %q,\nwant %s %s:%d %s %v %s %q %q %q", e.Protocol, e.Host, e.Port, e.Security, e.Auth, e.Username, e.URL, e.EWSURL, e.OWAURL,
					w.Protocol, w.Host, w.Port, w.Security, w.Auth, w.Username, w.URL, w.EWSURL, w.OWAURL)
			}
			if !strings.Contains(e.Note, tt.note) {
				t.Errorf("note %q does not contain %q", e.Note, tt.note)
			}
			if e.Username == model.OtherName && e.UsernameNote == "" {
				t.Error("username other without a note")
			}
		})
	}
}

func TestConvertDomainsAndRepeats(t *testing.T) {
	doc := `<clientConfig><emailProvider id="Example.COM">
		<domain>Example.com</domain><domain>example.com</domain><domain>bad_domain</domain><domain>mx.example.net</domain>
		<incomingServer type="imap"><hostname>imap.example.com</hostname><port>143</port><socketType>STARTTLS</socketType>
			<authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>
		<incomingServer type="imap"><hostname>imap.example.com</hostname><port>143</port><socketType>plain</socketType>
			<authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>
	</emailProvider></clientConfig>`
	c, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	in := convert(c, "example.com.xml")
	if !slices.Equal(in.domains, []string{"example.com", "mx.example.net"}) {
		t.Errorf("domains %q", in.domains)
	}
	if in.slug != "example-com" {
		t.Errorf("slug %q", in.slug)
	}
	if len(in.servers) != 1 || in.servers[0].e.Security != model.STARTTLS {
		t.Errorf("servers %d; want the first of the two on port 143", len(in.servers))
	}
	joined := strings.Join(in.notes, "\n")
	for _, want := range []string{`domain "bad_domain"`, "repeats the IMAP server"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes %q lack %q", in.notes, want)
		}
	}
}

func TestUsername(t *testing.T) {
	tests := []struct {
		raw  string
		want model.Username
		note string
	}{
		{"%EMAILADDRESS%", model.EmailAddress, ""},
		{"%EMAILLOCALPART%", model.LocalPart, ""},
		{"%EMAILADDRESS", "%EMAILADDRESS", "writes `%EMAILADDRESS` without its closing %"},
		{"%EMAILLOCALPART%@%EMAILDOMAIN%", "%EMAILLOCALPART%@%EMAILDOMAIN%", ""},
		{"%EMAILLOCALPART%.%EMAILDOMAIN%", "%EMAILLOCALPART%.%EMAILDOMAIN%", ""},
		{"customer-number", model.OtherName, "`customer-number`."},
		{"", model.OtherName, "gives no user name"},
	}
	for _, tt := range tests {
		got, note := username(tt.raw)
		if got != tt.want || !strings.Contains(note, tt.note) || (tt.note == "") != (note == "") {
			t.Errorf("username(%q) = %s, %q; want %s and a note with %q", tt.raw, got, note, tt.want, tt.note)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{"gmx.net": "gmx-net", "hotmail.com": "hotmail-com", "1und1.de": "1und1-de",
		"Bay.Wind.NE.JP": "bay-wind-ne-jp", "..a__b..": "a-b", "群馬": "", "t-online.de": "t-online-de"}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParse checks that no input makes Parse or convert panic, and that
// whatever convert accepts is valid mailkb data.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".xml") {
			f.Add(fixture(f, e.Name()))
		}
	}
	f.Add([]byte(serverDoc(`incomingServer type="imap"`, `<hostname>a.example</hostname><port>-1</port>`)))
	f.Add([]byte("\xEF\xBB\xBF<clientConfig><emailProvider id=\"\"/></clientConfig>"))
	f.Add([]byte(serverDoc(`incomingServer type="ews"`, `<url>https://a.example/ews</url><authentication>OAuth2</authentication><username>%EMAILADDRESS</username>`)))
	f.Add([]byte(serverDoc(`outgoingServer type="smtp"`, `<hostname>mail.%EMAILDOMAIN%</hostname><port>25</port><socketType>plain</socketType><authentication>none</authentication>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if c != nil {
				t.Fatal("a config with an error")
			}
			return
		}
		in := convert(c, "fuzz.xml")
		for _, d := range in.domains {
			if !model.ValidHostname(d) {
				t.Fatalf("invalid domain %q accepted", d)
			}
		}
		for _, s := range in.servers {
			e := s.e
			_, _, _, webOK := model.WebAddress(e.URL)
			if !model.ValidHost(e.Host) || e.Port < 1 || e.Port > 65535 || len(e.Auth) == 0 ||
				(e.Username == model.OtherName && e.UsernameNote == "") || (e.Username.IsTemplate() && !model.HasPlaceholder(string(e.Username))) ||
				e.Protocol.AtURL() != (e.URL != "") || (e.URL != "" && !webOK) {
				t.Fatalf("invalid endpoint accepted: %+v", e)
			}
		}
		if in.slug != "" && !idPattern(in.slug) {
			t.Fatalf("slug %q is not an id", in.slug)
		}
	})
}

func idPattern(s string) bool {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' && i > 0) {
			return false
		}
	}
	return s != ""
}
