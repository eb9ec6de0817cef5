package ispdbentry

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mailkb/generator/model"
)

// fixtures are real files of Thunderbird's ISP database; the import's
// tests use them too.
const fixtures = "../ispdb/testdata"

// serverDoc wraps one server element in a whole file.
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
			in, err := Read([]byte(serverDoc(tt.element, tt.body)), "example.com.xml")
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if len(in.Servers) != 0 {
					t.Fatalf("imported %+v; want it left out", in.Servers[0].Endpoint)
				}
				if len(in.Notes) != 1 || !strings.Contains(in.Notes[0], tt.note) || !strings.Contains(in.Notes[0], "line 1") {
					t.Errorf("notes %q; want one naming line 1 and containing %q", in.Notes, tt.note)
				}
				return
			}
			if len(in.Servers) != 1 {
				t.Fatalf("%d servers imported (notes %q), want 1", len(in.Servers), in.Notes)
			}
			e, w := in.Servers[0].Endpoint, tt.want
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
	in, err := Read([]byte(doc), "example.com.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Domains, []string{"example.com", "mx.example.net"}) {
		t.Errorf("domains %q", in.Domains)
	}
	if in.Slug != "example-com" {
		t.Errorf("slug %q", in.Slug)
	}
	if len(in.Servers) != 1 || in.Servers[0].Endpoint.Security != model.STARTTLS {
		t.Errorf("servers %d; want the first of the two on port 143", len(in.Servers))
	}
	joined := strings.Join(in.Notes, "\n")
	for _, want := range []string{`domain "bad_domain"`, "repeats the IMAP server"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes %q lack %q", in.Notes, want)
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

// FuzzRead checks that no input makes Read panic, and that whatever it
// accepts is valid mailkb data.
func FuzzRead(f *testing.F) {
	entries, err := os.ReadDir(fixtures)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".xml") {
			data, err := os.ReadFile(filepath.Join(fixtures, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(serverDoc(`incomingServer type="imap"`, `<hostname>a.example</hostname><port>-1</port>`)))
	f.Add([]byte("\xEF\xBB\xBF<clientConfig><emailProvider id=\"\"/></clientConfig>"))
	f.Add([]byte(serverDoc(`incomingServer type="ews"`, `<url>https://a.example/ews</url><authentication>OAuth2</authentication><username>%EMAILADDRESS</username>`)))
	f.Add([]byte(serverDoc(`outgoingServer type="smtp"`, `<hostname>mail.%EMAILDOMAIN%</hostname><port>25</port><socketType>plain</socketType><authentication>none</authentication>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := Read(data, "fuzz.xml")
		if err != nil {
			if in != nil {
				t.Fatal("an entry with an error")
			}
			return
		}
		for _, d := range in.Domains {
			if !model.ValidHostname(d) {
				t.Fatalf("invalid domain %q accepted", d)
			}
		}
		for _, s := range in.Servers {
			e := s.Endpoint
			_, _, _, webOK := model.WebAddress(e.URL)
			if !model.ValidHost(e.Host) || e.Port < 1 || e.Port > 65535 || len(e.Auth) == 0 ||
				(e.Username == model.OtherName && e.UsernameNote == "") || (e.Username.IsTemplate() && !model.HasPlaceholder(string(e.Username))) ||
				e.Protocol.AtURL() != (e.URL != "") || (e.URL != "" && !webOK) {
				t.Fatalf("invalid endpoint accepted: %+v", e)
			}
		}
		if in.Slug != "" && !idPattern(in.Slug) {
			t.Fatalf("slug %q is not an id", in.Slug)
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
