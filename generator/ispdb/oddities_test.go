package ispdb

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mailkb/generator/model"
)

// The real ISPDB (about 170 files, with the extension-less copies its
// history keeps) has entries that the fixtures do not: each case below is
// a small synthetic stand-in for one kind of oddity found in it.

func TestFilesTakesLegacyCopies(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.example.xml": "<clientConfig/>",
		"a.example":     "\xEF\xBB\xBF\r\n  <clientConfig/>", // an old copy: no extension, BOM, CRLF
		"a.example.xml": "<clientConfig/>",
		"README.md":     "# the ISPDB\n", // not XML: passed over
		".hidden.xml":   "<clientConfig/>",
	})
	got, err := Files([]string{dir})
	want := []string{filepath.Join(dir, "a.example.xml"), filepath.Join(dir, "b.example.xml"), filepath.Join(dir, "a.example")}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Files = %q, %v; want %q (the .xml files, then the other XML files)", got, err, want)
	}
}

func TestImportRealDatabaseOddities(t *testing.T) {
	imap := func(host string) string { return serverXML("imap", host, "993", "SSL", "password-cleartext") }
	smtp := func(host string) string { return serverXML("smtp", host, "465", "SSL", "password-cleartext") }
	files := map[string]string{
		// An old copy without the extension beside the current file: the
		// old one is passed over. One without a current file is imported.
		"legacy.example.xml": provider("legacy.example", []string{"legacy.example"}, imap("imap.legacy.example")),
		"legacy.example":     provider("legacy.example", []string{"legacy.example", "old-mx.example"}, imap("imap.old.example")),
		"lonely.example":     provider("lonely.example", []string{"lonely.example"}, imap("imap.lonely.example")),
		// Line ends, declarations and the last newline as real files have them.
		"crlf.example.xml": strings.ReplaceAll(provider("crlf.example", []string{"crlf.example"}, imap("imap.crlf.example")), "\n", "\r\n"),
		"blank.example.xml": "\n" + strings.TrimSuffix(provider("blank.example", []string{"blank.example"},
			imap("imap.blank.example")), "\n"),
		// A bare & in a URL and a miscapitalised &amp;: read as written.
		"amp.example.xml": strings.Replace(provider("amp.example", []string{"amp.example"}, imap("imap.amp.example")),
			"</emailProvider>", `<documentation url="https://amp.example/help?os=pc&lang=ko"/>
    <enable visiturl="https://amp.example/on"><instruction>Allow POP3 &amP; IMAP first.</instruction></enable>
  </emailProvider>`, 1),
		// A tag cut short, and an Exchange Autodiscover document: malformed.
		"cut.example.xml": strings.Replace(provider("cut.example", []string{"cut.example"}, imap("imap.cut.example")),
			"<socketType>SSL</socketType>", "<socketType>SSL/socketType>", 1),
		"autodiscover.example": `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response/></Autodiscover>`,
		// Regional entries that copy the main entry's id: each its own
		// provider, named after its file.
		"region.example.xml":    provider("region.example", []string{"region.example"}, imap("imap.region.example")),
		"region.example.eu.xml": provider("region.example", []string{"region.example.eu"}, imap("imap.region.example.eu")),
		// A domain that is another entry's own: left to that entry, even
		// when that entry comes later.
		"big.example.xml":   provider("big.example", []string{"big.example", "small.example"}, imap("imap.big.example")),
		"small.example.xml": provider("small.example", []string{"small.example"}, imap("imap.small.example")),
		// Two entries for one provider whose servers agree, with the same
		// server check takes for a mistake (SMTP on 587 with SSL).
		"twin.example.xml": provider("twin.example", []string{"twin.example"}, imap("imap.twin.example"),
			serverXML("smtp", "smtp.twin.example", "587", "SSL", "password-cleartext")),
		"twin.example.net.xml": provider("twin.example", []string{"twin.example"}, imap("imap.twin.example"),
			serverXML("smtp", "smtp.twin.example", "587", "SSL", "password-cleartext")),
		// The user's domain in a host: a template, with one domain as with
		// several (Thunderbird also finds an entry by the MX of the user's
		// domain).
		"one.example.xml": strings.Replace(provider("one.example", []string{"one.example"}, imap("mail.%EMAILDOMAIN%"), smtp("smtp.one.example")),
			"<displayName>one.example Mail</displayName>", "<displayName>%EMAILDOMAIN%</displayName>", 1),
		"several.example.xml": provider("several.example", []string{"several.example", "several.example.net"},
			imap("mail.%EMAILDOMAIN%"), smtp("smtp.several.example")),
		// A domain that is only the placeholder; no servers at all; a local
		// bridge without sign-in; an open SMTP server (authentication none).
		"mailcow.example.xml": provider("mail.mailcow.example", []string{"%EMAILDOMAIN%"}, imap("mail.mailcow.example")),
		"bare.example.xml":    provider("bare.example", []string{"bare.example"}),
		"bridge.example.xml": provider("bridge.example", []string{"bridge.example"},
			`<incomingServer type="imap"><hostname>127.0.0.1</hostname><port>1143</port><socketType>STARTTLS</socketType></incomingServer>`),
		"open.example.xml": provider("open.example", []string{"open.example"}, imap("imap.open.example"),
			serverXML("smtp", "smtp.open.example", "25", "plain", "none")),
		// A user name that Thunderbird asks for (a campus login).
		"campus.example.xml": strings.Replace(provider("campus.example", []string{"campus.example"},
			strings.Replace(imap("imap.campus.example"), "%EMAILADDRESS%", "%USERNAME%", 1)),
			"<displayName>", `<userinput label="Username" key="%USERNAME%">Campus login</userinput><displayName>`, 1),
	}
	files["one.example.xml"] = strings.Replace(files["one.example.xml"], "</clientConfig>",
		`<webMail><loginPage url="https://login.%EMAILDOMAIN%/"/></webMail></clientConfig>`, 1)
	dir := writeFiles(t, files)
	root := newKB(t)
	rep := runImport(t, root, dir)

	tests := []struct {
		file     string
		outcome  Outcome
		provider string
		want     string // in the reason or a note
	}{
		{"legacy.example.xml", Created, "legacy-example", ""},
		{"legacy.example", Skipped, "", "an older copy of legacy.example.xml"},
		{"lonely.example", Created, "lonely-example", ""},
		{"crlf.example.xml", Created, "crlf-example", ""},
		{"blank.example.xml", Created, "blank-example", ""},
		{"amp.example.xml", Created, "amp-example", "line 8: a bare & (not written &amp;) read as the character &"},
		{"amp.example.xml", Created, "amp-example", "line 9: &amP; read as &amp;"},
		{"cut.example.xml", Malformed, "", "element <socketType> closed by </incomingServer>"},
		{"autodiscover.example", Malformed, "", "the document element must be <clientConfig>"},
		{"region.example.xml", Created, "region-example", ""},
		{"region.example.eu.xml", Created, "region-example-eu", `id "region.example" names neither the file nor one of its domains`},
		{"big.example.xml", Created, "big-example", "domain small.example is the own domain of small.example.xml, later in this run; left to it"},
		{"small.example.xml", Created, "small-example", ""},
		{"twin.example.net.xml", Created, "twin-example", "smtp smtp.twin.example:587 (line 8) recorded as unusual"},
		{"twin.example.xml", Unchanged, "twin-example", ""},
		{"one.example.xml", Created, "one-example", ""},
		{"several.example.xml", Created, "several-example", "2 endpoints (imap-mail-emaildomain-993, smtp-smtp-several-example-465)"},
		{"mailcow.example.xml", Skipped, "", "no valid mail domain"},
		{"bare.example.xml", Skipped, "", "it lists no incoming or outgoing server"},
		{"bridge.example.xml", Skipped, "", `hostname "127.0.0.1" is not a valid host name`},
		{"open.example.xml", Created, "open-example", "2 endpoints (imap-imap-open-example-993, smtp-smtp-open-example-25)"},
	}
	for _, tt := range tests {
		r := result(t, rep, tt.file)
		text := r.Reason + "\n" + strings.Join(r.Notes, "\n")
		for _, c := range r.Changes {
			text += "\n" + c
		}
		if r.Outcome != tt.outcome || r.Provider != tt.provider && tt.provider != "" || !strings.Contains(text, tt.want) {
			t.Errorf("%s: %s %s %q; want %s %s with %q", tt.file, r.Outcome, r.Provider, text, tt.outcome, tt.provider, tt.want)
		}
	}
	if n := len(rep.Results); n != len(files) {
		t.Errorf("%d results for %d files", n, len(files))
	}

	kb := loadChecked(t, root)
	if p := kb.Provider("big-example"); p == nil || !slices.Equal(p.Domains, []string{"big.example"}) {
		t.Errorf("big-example: %+v", p)
	}
	if p := kb.Provider("small-example"); p == nil || !slices.Equal(p.Domains, []string{"small.example"}) {
		t.Errorf("small-example: %+v", p)
	}
	if p := kb.Provider("legacy-example"); p == nil || slices.Contains(p.Domains, "old-mx.example") || len(p.Endpoints) != 1 {
		t.Errorf("legacy-example took the old copy's data: %+v", p)
	}
	p := kb.Provider("one-example")
	if e := p.Endpoint("imap-mail-emaildomain-993"); p.Name != "one.example" || e == nil || e.Host != "mail.%EMAILDOMAIN%" || strings.Contains(p.Summary, "%") {
		t.Errorf("one-example: %+v", p)
	}
	if e := kb.Provider("twin-example").Endpoint("smtp-smtp-twin-example-587"); e == nil || !strings.Contains(e.Unusual, "gives it so (twin.example.net.xml)") {
		t.Errorf("twin-example's SMTP server: %+v", e)
	}
	if e := kb.Provider("open-example").Endpoint("smtp-smtp-open-example-25"); e == nil || !slices.Equal(e.Auth, []model.Auth{model.NoAuth}) {
		t.Errorf("open-example's SMTP server: %+v", e)
	}
	if e := kb.Provider("campus-example").Endpoint("imap-imap-campus-example-993"); e == nil ||
		!strings.Contains(e.UsernameNote, "`%USERNAME%`. %USERNAME% is what Thunderbird asks the user for, as “Campus login”.") {
		t.Errorf("campus-example: %+v", e)
	}
	if !strings.Contains(p.Summary, "Webmail: <https://login.one.example/>") {
		t.Errorf("one-example's webmail page is not filled in: %s", p.Summary)
	}
	if e := kb.Provider("several-example").Endpoint("imap-mail-emaildomain-993"); e == nil || e.Host != "mail.%EMAILDOMAIN%" {
		t.Errorf("several-example's IMAP server: %+v", e)
	}
	if p := kb.Provider("amp-example"); p == nil || !strings.Contains(p.Summary, "https://amp.example/help?os=pc&lang=ko") ||
		len(p.Facts) != 1 || !strings.Contains(p.Facts[0].Text, "POP3 & IMAP") {
		t.Errorf("amp-example: %+v", p)
	}

	// A second run finds everything in place.
	again := runImport(t, root, dir)
	if again.Count(Created)+again.Count(Changed) != 0 {
		t.Errorf("the second run wrote again:\n%s", summary(again))
	}
}

// TestImportDomainOfAnotherEntry: an entry that lists another entry's own
// domain beside its own (yahoo.com.xml lists cox.net) is a provider of its
// own, without that domain; it is not the other entry's.
func TestImportDomainOfAnotherEntry(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a-isp.example.xml": provider("a-isp.example", []string{"a-isp.example"}, serverXML("imap", "imap.a-isp.example", "993", "SSL", "password-cleartext")),
		"z-big.example.xml": provider("z-big.example", []string{"z-big.example", "a-isp.example", "z-big.example.net"},
			serverXML("imap", "imap.z-big.example", "993", "SSL", "password-cleartext")),
	})
	root := newKB(t)
	rep := runImport(t, root, dir)
	r := result(t, rep, "z-big.example.xml")
	if r.Outcome != Created || r.Provider != "z-big-example" ||
		!slices.Contains(r.Notes, "domain a-isp.example is listed by provider a-isp-example; left out (a mail domain belongs to one provider)") {
		t.Fatalf("%s", summary(rep))
	}
	if p := loadChecked(t, root).Provider("z-big-example"); !slices.Equal(p.Domains, []string{"z-big.example", "z-big.example.net"}) {
		t.Errorf("domains %q", p.Domains)
	}
}

// TestImportIDTaken: an entry whose id is another provider's, with no
// domain or server in common, gets another id.
func TestImportIDTaken(t *testing.T) {
	first := writeFiles(t, map[string]string{"same.example.xml": provider("same.example", []string{"same.example"},
		serverXML("imap", "imap.same.example", "993", "SSL", "password-cleartext"))})
	second := writeFiles(t, map[string]string{"same.example.xml": provider("same.example", []string{"elsewhere.example"},
		serverXML("imap", "imap.elsewhere.example", "993", "SSL", "password-cleartext"))})
	root := newKB(t)
	runImport(t, root, first)
	rep := runImport(t, root, second)
	r := result(t, rep, "same.example.xml")
	if r.Outcome != Created || r.Provider != "elsewhere-example" ||
		!slices.Contains(r.Notes, "provider id same-example is another provider's; this one is elsewhere-example") {
		t.Fatalf("%s", summary(rep))
	}
	loadChecked(t, root)
}
