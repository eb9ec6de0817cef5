package ispdb

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"mailkb/generator/ispdbentry"
	"mailkb/generator/kbtest"
	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/model"
)

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// fixture reads a sample file of testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// newKB makes an empty knowledge base in a temp folder: the site's
// settings and a bibliography without sources.
func newKB(t *testing.T) string {
	t.Helper()
	return kbtest.Write(t, map[string]string{
		"data/site.yaml":    "title: Test\nbase_url: https://mailkb.example/\n",
		"data/sources.yaml": "sources: []\n",
	})
}

// writeFiles writes name → content into a new temp folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runImport(t *testing.T, root string, args ...string) *Report {
	t.Helper()
	files, err := Files(args)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Import(context.Background(), files, Options{Root: root, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// loadChecked loads the knowledge base and fails on any error that
// ./build.sh check reports.
func loadChecked(t *testing.T, root string) *model.KB {
	t.Helper()
	kb, err := loader.Load(root, loader.WithToday(today))
	if err != nil {
		t.Fatalf("the imported knowledge base does not load:\n%v", err)
	}
	if errs := lint.Errors(lint.Check(kb, nil, lint.Options{Today: today})); len(errs) > 0 {
		t.Fatalf("./build.sh check refuses the imported knowledge base:\n%v", errs)
	}
	return kb
}

func result(t *testing.T, rep *Report, file string) Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.File == file {
			return r
		}
	}
	t.Fatalf("no result for %s", file)
	return Result{}
}

func summary(rep *Report) string {
	var b bytes.Buffer
	rep.Write(&b)
	return b.String()
}

func TestImportIntoEmptyKB(t *testing.T) {
	root := newKB(t)
	files, err := Files([]string{"testdata"})
	if err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	rep, err := Import(context.Background(), files, Options{Root: root, Today: today, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(Created) != 8 {
		t.Fatalf("created %d providers, want 8:\n%s", rep.Count(Created), summary(rep))
	}
	if !strings.HasPrefix(progress.String(), "[1/8] aol.com.xml\n[2/8] bay.wind.ne.jp.xml\n") {
		t.Errorf("progress:\n%s", progress.String())
	}
	kb := loadChecked(t, root)
	if len(kb.Providers) != 8 {
		t.Errorf("%d providers load, want 8", len(kb.Providers))
	}
	gmx := kb.Provider("gmx-net")
	if gmx == nil || gmx.Name != "GMX Freemail" || len(gmx.Domains) != 11 || len(gmx.Endpoints) != 6 || gmx.Fact("enable-access") == nil {
		t.Fatalf("gmx-net: %+v", gmx)
	}
	if e := gmx.Endpoint("imap-imap-gmx-net-993"); e == nil || !e.Preferred || e.Sources[0].ID != "ispdb-gmx-net" || !e.From.IsZero() {
		t.Errorf("gmx-net's first IMAP endpoint: %+v", e)
	}
	if e := gmx.Endpoint("imap-imap-gmx-net-143"); e == nil || e.Preferred {
		t.Errorf("gmx-net's second IMAP endpoint: %+v", e)
	}
	src, err := os.ReadFile(filepath.Join(root, "data", "providers", "clio-ne-jp.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(src), "# Imported from clio.ne.jp.xml of Thunderbird's ISP database") ||
		!strings.Contains(string(src), "# on 2026-11-25 by ./build.sh import ispdb.") {
		t.Errorf("clio-ne-jp.yaml has no header saying where it came from:\n%s", src)
	}
	// The other ways in are endpoints too, at their URLs, with the user
	// names as the file writes them.
	o365 := kb.Provider("office365-com")
	for id, want := range map[string]string{
		"ews-outlook-office365-com-443":      "ews https://outlook.office365.com/ews/exchange.asmx %EMAILADDRESS",
		"owa-outlook-office365-com-443":      "owa https://outlook.office365.com/owa/ %EMAILADDRESS",
		"graph-graph-microsoft-com-443":      "graph https://graph.microsoft.com/ email-address",
		"exchange-outlook-office365-com-443": "exchange outlook.office365.com:443 email-address",
	} {
		if e := o365.Endpoint(id); e == nil || ispdbentry.Where(e)+" "+string(e.Username) != want || !slices.Equal(e.Auth, []model.Auth{model.OAuth2}) {
			t.Errorf("office365-com %s: %+v; want %s with OAuth2", id, e, want)
		}
	}
	if e := o365.Endpoint("exchange-outlook-office365-com-443"); e == nil ||
		e.EWSURL != "https://outlook.office365.com/ews/exchange.asmx" || e.OWAURL != "https://outlook.office365.com/owa/" {
		t.Errorf("the exchange endpoint's web services: %+v", e)
	}
	if !strings.Contains(o365.Summary, "other ways in: Microsoft Exchange, Exchange Web Services (EWS), Microsoft Graph and Outlook on the web (OWA)") {
		t.Errorf("office365-com's summary does not name the other ways in: %s", o365.Summary)
	}

	// Importing the same files again changes nothing.
	before := snapshot(t, root)
	again := runImport(t, root, "testdata")
	if again.Count(Unchanged) != 8 {
		t.Errorf("a second import: %s", summary(again))
	}
	if after := snapshot(t, root); !maps.Equal(before, after) {
		t.Error("a second import changed files")
	}
}

// snapshot reads every provider file.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	paths, _ := filepath.Glob(filepath.Join(root, "data", "providers", "*"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = string(data)
	}
	return out
}

func TestImportDryRun(t *testing.T) {
	root := newKB(t)
	files, _ := Files([]string{"testdata"})
	rep, err := Import(context.Background(), files, Options{Root: root, Today: today, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(Created) != 8 || !strings.Contains(summary(rep), "would have created 8 providers") {
		t.Errorf("dry run:\n%s", summary(rep))
	}
	if _, err := os.Stat(filepath.Join(root, "data", "providers")); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote data/providers (%v)", err)
	}
}

// TestImportIntoHandWrittenProvider imports a file into the provider a
// maintainer wrote for it: only what the file adds is written.
func TestImportIntoHandWrittenProvider(t *testing.T) {
	tests := []struct {
		file, provider, domain string
		// added are the endpoints the file adds: the servers the
		// hand-written provider does not list.
		added []string
	}{
		{"hotmail.com.xml", "consumer", "olc.protection.outlook.com", nil},
		{"office365.com.xml", "business", "mail.protection.outlook.com", []string{
			"added ews-outlook-office365-com-443 (ews https://outlook.office365.com/ews/exchange.asmx), listed by 2026-11-25",
			"added owa-outlook-office365-com-443 (owa https://outlook.office365.com/owa/), listed by 2026-11-25",
			"added graph-graph-microsoft-com-443 (graph https://graph.microsoft.com/), listed by 2026-11-25",
			"added exchange-outlook-office365-com-443 (exchange outlook.office365.com:443, tls), listed by 2026-11-25",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			root := handKB(t)
			before := snapshot(t, root)
			rep := runImport(t, root, filepath.Join("testdata", tt.file))
			r := result(t, rep, tt.file)
			want := append(slices.Clone(tt.added), "added domain "+tt.domain)
			if r.Outcome != Changed || r.Provider != tt.provider || !slices.Equal(r.Changes, want) {
				t.Fatalf("got %s %s %q, want changed %s %q:\n%s", r.Outcome, r.Provider, r.Changes, tt.provider, want, summary(rep))
			}
			after := snapshot(t, root)
			name := tt.provider + ".yaml"
			for f := range before {
				if f != name && before[f] != after[f] {
					t.Errorf("%s changed", f)
				}
			}
			// The ISPDB's mail servers are already there: the domains line
			// differs, the other ways in are appended, and the
			// hand-written source is cited, not repeated.
			withoutDomain := regexp.MustCompile(`,\s*`+regexp.QuoteMeta(tt.domain)).ReplaceAllString(after[name], "")
			if missing := missingLines(before[name], withoutDomain); len(missing) > 0 {
				t.Errorf("%s lost lines: %q", name, missing)
			}
			if added := len(strings.Split(withoutDomain, "\n")) - len(strings.Split(before[name], "\n")); (added > 0) != (tt.added != nil) {
				t.Errorf("%s: %d lines added", name, added)
			}
			kb := loadChecked(t, root)
			if p := kb.Provider(tt.provider); !slices.Contains(p.Domains, tt.domain) {
				t.Errorf("%s lacks %s", tt.provider, tt.domain)
			}
			if len(kb.Sources) != handSources {
				t.Errorf("a source was added, though data/sources.yaml has one for %s", tt.file)
			}
		})
	}
}

// bundledSources counts the bibliography of the bundled knowledge base.

func TestImportRecordsChangedHost(t *testing.T) {
	root := handKB(t)
	runImport(t, root, filepath.Join("testdata", "hotmail.com.xml"))
	path := filepath.Join(root, "data", "providers", "consumer.yaml")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	xml := strings.Replace(string(fixture(t, "hotmail.com.xml")), "<hostname>outlook.office365.com</hostname>\n      <port>993</port>",
		"<hostname>imap.outlook.com</hostname>\n      <port>993</port>", 1)
	dir := writeFiles(t, map[string]string{"hotmail.com.xml": xml})
	rep := runImport(t, root, dir)
	r := result(t, rep, "hotmail.com.xml")
	if r.Outcome != Changed || len(r.Changes) != 2 ||
		r.Changes[0] != "ended imap-oauth2 (imap outlook.office365.com:993, tls): no longer listed on 2026-11-25, replaced by imap-imap-outlook-com-993" ||
		r.Changes[1] != "added imap-imap-outlook-com-993 (imap imap.outlook.com:993, tls), listed by 2026-11-25" {
		t.Fatalf("report:\n%s", summary(rep))
	}

	kb := loadChecked(t, root)
	p := kb.Provider("consumer")
	old, added := p.Endpoint("imap-oauth2"), p.Endpoint("imap-imap-outlook-com-993")
	if old.Status != model.Legacy || old.Until.String() != "2026-11-25" || !old.UntilBy || old.ReplacedBy != added {
		t.Errorf("the old endpoint: status %s, until %s, replaced by %v", old.Status, old.Until, old.ReplacedBy)
	}
	if added.Status != model.Current || added.From.String() != "2026-11-25" || !added.FromBy || !added.Preferred || added.Host != "imap.outlook.com" ||
		!slices.Equal(added.Auth, []model.Auth{model.OAuth2}) || added.Sources[0].ID != "consumer-ispdb" {
		t.Errorf("the new endpoint: %+v", added)
	}
	if got := p.InForce(model.IMAP, today, today); len(got) != 1 || got[0] != added {
		t.Errorf("in force on the day of the import: %v", got)
	}
	if got := p.InForce(model.IMAP, today.AddDate(0, 0, -1), today); len(got) != 1 || got[0] != old {
		t.Errorf("in force the day before: %v", got)
	}

	// Every line of the file is still there, comments included, in order;
	// only the old endpoint's status line was rewritten in place.
	after, _ := os.ReadFile(path)
	if missing := missingLines(string(before), string(after)); !slices.Equal(missing, []string{"    status: current"}) {
		t.Errorf("lines lost: %q", missing)
	}
	if strings.Count(string(after), "#") != strings.Count(string(before), "#") {
		t.Error("comments changed")
	}

	// Importing the changed file again changes nothing more.
	if again := runImport(t, root, dir); again.Count(Unchanged) != 1 {
		t.Errorf("a second import:\n%s", summary(again))
	}
}

// missingLines returns the lines of before that are not in the longest
// common subsequence of before's and after's lines: what an edit removed
// or rewrote.
func missingLines(before, after string) []string {
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	// lcs[i][j] is the length of the LCS of b[i:] and a[j:].
	lcs := make([][]int, len(b)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(a)+1)
	}
	for i := len(b) - 1; i >= 0; i-- {
		for j := len(a) - 1; j >= 0; j-- {
			if b[i] == a[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var missing []string
	for i, j := 0, 0; i < len(b); {
		switch {
		case j < len(a) && b[i] == a[j]:
			i, j = i+1, j+1
		case j < len(a) && lcs[i][j+1] >= lcs[i+1][j]:
			j++
		default:
			missing = append(missing, b[i])
			i++
		}
	}
	return missing
}

func serverXML(typ, host, port, socket, auth string) string {
	el := "incomingServer"
	if typ == "smtp" {
		el = "outgoingServer"
	}
	return fmt.Sprintf(`<%s type=%q><hostname>%s</hostname><port>%s</port><socketType>%s</socketType>
      <authentication>%s</authentication><username>%%EMAILADDRESS%%</username></%s>`, el, typ, host, port, socket, auth, el)
}

func provider(id string, domains []string, servers ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clientConfig version=\"1.1\">\n  <emailProvider id=%q>\n", id)
	for _, d := range domains {
		fmt.Fprintf(&b, "    <domain>%s</domain>\n", d)
	}
	fmt.Fprintf(&b, "    <displayName>%s Mail</displayName>\n", id)
	for _, s := range servers {
		b.WriteString("    " + s + "\n")
	}
	b.WriteString("  </emailProvider>\n</clientConfig>\n")
	return b.String()
}

func TestImportReportsBadFiles(t *testing.T) {
	imap := serverXML("imap", "imap.good.example", "993", "SSL", "password-cleartext")
	smtp := serverXML("smtp", "smtp.good.example", "587", "STARTTLS", "password-cleartext")
	good := provider("good.example", []string{"good.example"}, imap, smtp)
	dir := writeFiles(t, map[string]string{
		"good.example.xml":      good,
		"truncated.example.xml": good[:len(good)/2],
		"wrongroot.example.xml": `<?xml version="1.0"?><config><emailProvider id="x"/></config>`,
		"empty.example.xml":     "",
		"nntp.example.xml": provider("nntp.example", []string{"nntp.example"},
			`<incomingServer type="nntp"><hostname>news.nntp.example</hostname><port>563</port><socketType>SSL</socketType><authentication>password-cleartext</authentication></incomingServer>`),
		"nodomain.example.xml": provider("nodomain.example", []string{"not a domain"}, imap),
		"halfbroken.example.xml": provider("halfbroken.example", []string{"halfbroken.example"},
			serverXML("imap", "imap.halfbroken.example", "abc", "SSL", "password-cleartext"),
			serverXML("smtp", "", "587", "STARTTLS", "password-cleartext"),
			serverXML("pop3", "pop.halfbroken.example", "995", "SSL", "password-cleartext")),
	})
	root := newKB(t)
	rep := runImport(t, root, dir)
	tests := []struct {
		file    string
		outcome Outcome
		want    string // in the reason or a note
	}{
		{"good.example.xml", Created, ""},
		{"truncated.example.xml", Malformed, "is it cut short?"},
		{"wrongroot.example.xml", Malformed, "must be <clientConfig>"},
		{"empty.example.xml", Malformed, "the file is empty"},
		{"nntp.example.xml", Skipped, "no server in it is one mailkb can record"},
		{"nodomain.example.xml", Skipped, "no valid mail domain"},
		{"halfbroken.example.xml", Created, `port "abc" is not a number`},
	}
	for _, tt := range tests {
		r := result(t, rep, tt.file)
		text := r.Reason + "\n" + strings.Join(r.Notes, "\n")
		if r.Outcome != tt.outcome || !strings.Contains(text, tt.want) {
			t.Errorf("%s: %s %q; want %s with %q", tt.file, r.Outcome, text, tt.outcome, tt.want)
		}
	}
	if r := result(t, rep, "halfbroken.example.xml"); !strings.Contains(strings.Join(r.Notes, "\n"), "no hostname") {
		t.Errorf("halfbroken.example.xml's notes: %q", r.Notes)
	}
	out := summary(rep)
	for _, want := range []string{"7 files: created 2 providers, changed 0, left 0 unchanged; skipped 2, malformed 3",
		"malformed:\n", "  truncated.example.xml: line ", "skipped:\n", "  nntp.example.xml: no server"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	kb := loadChecked(t, root)
	if p := kb.Provider("halfbroken-example"); p == nil || len(p.Endpoints) != 1 {
		t.Errorf("halfbroken-example: %+v", p)
	}
}

// TestImportRecordsWhatCheckTakesForAMistake: a server that ./build.sh
// check would take for a mistake (a port that does not fit its
// encryption) is what the database publishes: it is recorded as unusual,
// in the file's own words when it has a comment on it. A host under a
// top-level domain that does not exist is a mistake, and is left out.
func TestImportRecordsWhatCheckTakesForAMistake(t *testing.T) {
	dir := writeFiles(t, map[string]string{"odd.example.xml": provider("odd.example", []string{"odd.example"},
		serverXML("imap", "imap.odd.example", "993", "SSL", "password-cleartext"),
		serverXML("smtp", "smtp.odd.example", "465", "STARTTLS", "password-cleartext"),
		serverXML("smtp", "smtp.odd.example", "587", "STARTTLS", "password-cleartext"),
		serverXML("pop3", "pop.odd.example", "993", "SSL", "password-cleartext"),
		strings.Replace(serverXML("smtp", "mail.odd.example", "587", "SSL", "password-cleartext"),
			"<port>", "<!-- Yes, SSL on 587.\n   Spec violation. --><port>", 1),
		serverXML("imap", "imap.odd.vom", "993", "SSL", "password-cleartext"))})
	root := newKB(t)
	rep := runImport(t, root, dir)
	r := result(t, rep, "odd.example.xml")
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{
		"smtp smtp.odd.example:465 (line 8) recorded as unusual, as the database gives it (./build.sh check would take it for a mistake: SMTP on port 465 with STARTTLS: port 465 speaks implicit TLS from the first byte)",
		"pop3 pop.odd.example:993 (line 12) recorded as unusual",
		"imap imap.odd.vom:993 (line 17) left out: ./build.sh check refuses it: host imap.odd.vom ends in .vom",
	} {
		if r.Outcome != Created || !strings.Contains(notes, want) {
			t.Errorf("the report lacks %q:\n%s", want, summary(rep))
		}
	}
	kb := loadChecked(t, root)
	p := kb.Provider("odd-example")
	if got := endpointList(p.Endpoints); got != "imap-imap-odd-example-993, pop3-pop-odd-example-993, smtp-smtp-odd-example-465, smtp-smtp-odd-example-587, smtp-mail-odd-example-587" {
		t.Errorf("endpoints: %s", got)
	}
	for id, want := range map[string]string{
		"imap-imap-odd-example-993": "",
		"smtp-smtp-odd-example-465": "Thunderbird's ISP database gives it so (odd.example.xml): SMTP smtp.odd.example, port 465, STARTTLS.",
		"pop3-pop-odd-example-993":  "Thunderbird's ISP database gives it so (odd.example.xml): POP3 pop.odd.example, port 993, SSL/TLS.",
		"smtp-mail-odd-example-587": "Thunderbird's ISP database (odd.example.xml) says so, in a comment on this server: “Yes, SSL on 587. Spec violation.”",
	} {
		if e := p.Endpoint(id); e == nil || e.Unusual != want {
			t.Errorf("%s: unusual %q, want %q", id, e.Unusual, want)
		}
	}
	if !p.Endpoint("smtp-smtp-odd-example-465").Preferred {
		t.Error("the file's first SMTP server is not preferred")
	}

	// A later version of the file with one more such server: the edit of
	// the provider file records it as unusual too.
	later := writeFiles(t, map[string]string{"odd.example.xml": provider("odd.example", []string{"odd.example"},
		serverXML("imap", "imap.odd.example", "993", "SSL", "password-cleartext"),
		serverXML("imap", "imap.odd.example", "587", "STARTTLS", "password-cleartext"),
		serverXML("smtp", "smtp.odd.example", "465", "STARTTLS", "password-cleartext"),
		serverXML("smtp", "smtp.odd.example", "587", "STARTTLS", "password-cleartext"),
		serverXML("pop3", "pop.odd.example", "993", "SSL", "password-cleartext"),
		strings.Replace(serverXML("smtp", "mail.odd.example", "587", "SSL", "password-cleartext"),
			"<port>", "<!-- Yes, SSL on 587.\n   Spec violation. --><port>", 1))})
	rep = runImport(t, root, later)
	if r := result(t, rep, "odd.example.xml"); r.Outcome != Changed || !slices.Contains(r.Changes, "added imap-imap-odd-example-587 (imap imap.odd.example:587, starttls), listed by 2026-11-25") {
		t.Fatalf("%s", summary(rep))
	}
	e := loadChecked(t, root).Provider("odd-example").Endpoint("imap-imap-odd-example-587")
	if want := "Thunderbird's ISP database gives it so (odd.example.xml): IMAP imap.odd.example, port 587, STARTTLS."; e == nil || e.Unusual != want {
		t.Errorf("the added endpoint: %+v; want unusual %q", e, want)
	}
}

func TestImportFilesThatShareAProvider(t *testing.T) {
	imap := serverXML("imap", "imap.shared.example", "993", "SSL", "password-cleartext")
	dir := writeFiles(t, map[string]string{
		"a.xml": provider("shared.example", []string{"shared.example"}, imap),
		// Same id, same server, one more domain: merged.
		"b.xml": provider("shared.example", []string{"shared-too.example"}, imap),
		// The first's domain first, other servers: the files disagree.
		"c.xml": provider("shared.example", []string{"shared.example", "other.example"},
			serverXML("imap", "imap.other.example", "993", "SSL", "password-cleartext")),
		// The first's domain among others, other servers: another provider,
		// which leaves that domain to the first.
		"d.xml": provider("fourth.example", []string{"fourth.example", "shared.example"},
			serverXML("imap", "imap.fourth.example", "993", "SSL", "password-cleartext")),
	})
	root := newKB(t)
	rep := runImport(t, root, dir)
	// b.xml is another file: its own source, for the domain it adds.
	if r := result(t, rep, "b.xml"); r.Outcome != Changed || !slices.Equal(r.Changes, []string{"added domain shared-too.example", "added source ispdb-b"}) {
		t.Errorf("b.xml: %s %q", r.Outcome, r.Changes)
	}
	if r := result(t, rep, "c.xml"); r.Outcome != Skipped || !strings.Contains(r.Reason, "earlier in this run and this file gives other servers") {
		t.Errorf("c.xml: %s %q", r.Outcome, r.Reason)
	}
	r := result(t, rep, "d.xml")
	if r.Outcome != Created || r.Provider != "fourth-example" ||
		!slices.Contains(r.Notes, "domain shared.example is listed by provider shared-example; left out (a mail domain belongs to one provider)") {
		t.Errorf("d.xml: %s %s %q", r.Outcome, r.Provider, r.Notes)
	}
	kb := loadChecked(t, root)
	if p := kb.Provider("fourth-example"); p == nil || !slices.Equal(p.Domains, []string{"fourth.example"}) {
		t.Errorf("fourth-example: %+v", p)
	}
}

func TestImportAddsSourceToExistingProvider(t *testing.T) {
	root := newKB(t)
	runImport(t, root, filepath.Join("testdata", "web.de.xml"))
	// A maintainer rewrites the provider's source by hand under another
	// id; a later file for the provider then brings its own source.
	path := filepath.Join(root, "data", "providers", "web-de.yaml")
	data, _ := os.ReadFile(path)
	src := strings.NewReplacer("ispdb-web-de", "webde-help", "Thunderbird ISP database: web.de.xml", "WEB.DE help",
		"https://autoconfig.thunderbird.net/v1.1/web.de", "https://hilfe.web.de/").Replace(string(data))
	if err := os.WriteFile(path, []byte("# hand-edited\n"+src), 0o644); err != nil {
		t.Fatal(err)
	}
	xml := strings.Replace(string(fixture(t, "web.de.xml")), "<domain>web.de</domain>", "<domain>web.de</domain><domain>email.de</domain>", 1)
	rep := runImport(t, root, writeFiles(t, map[string]string{"web.de.xml": xml}))
	r := result(t, rep, "web.de.xml")
	if r.Outcome != Changed || !slices.Equal(r.Changes, []string{"added domain email.de", "added source ispdb-web-de"}) {
		t.Fatalf("%s", summary(rep))
	}
	p := loadChecked(t, root).Provider("web-de")
	if !slices.Equal(p.Domains, []string{"web.de", "email.de"}) || len(p.DomainSources) != 2 || p.DomainSources[1].ID != "ispdb-web-de" {
		t.Errorf("domains %q from %v", p.Domains, p.DomainSources)
	}
}

func TestImportFindsNoKB(t *testing.T) {
	if _, err := Import(context.Background(), nil, Options{Root: t.TempDir(), Today: today}); err == nil || !strings.Contains(err.Error(), "no data/ folder here") {
		t.Errorf("error %v", err)
	}
}

func TestFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{"b.xml": "", "a.xml": "", "notes.txt": ""})
	got, err := Files([]string{dir, filepath.Join("testdata", "web.de.xml")})
	want := []string{filepath.Join(dir, "a.xml"), filepath.Join(dir, "b.xml"), filepath.Join("testdata", "web.de.xml")}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Files = %q, %v; want %q", got, err, want)
	}
	if _, err := Files([]string{"no-such-folder"}); err == nil || !strings.Contains(err.Error(), "no-such-folder: no such file or folder") {
		t.Errorf("missing path: %v", err)
	}
	if _, err := Files([]string{t.TempDir()}); err == nil || !strings.Contains(err.Error(), "no .xml files") {
		t.Errorf("empty folder: %v", err)
	}
}

// TestImportCorpus imports a database the size of the real one (over 150
// files), mixing the fixtures' shapes with the odd and legacy entries the
// real one has, and checks the result loads and passes ./build.sh check.
func TestImportCorpus(t *testing.T) {
	const n = 160
	files := map[string]string{}
	for i := range n {
		id := fmt.Sprintf("isp%03d.example", i)
		domains := []string{id, fmt.Sprintf("mail%03d.example", i)}
		host := func(name string) string { return name + "." + id }
		var servers []string
		switch i % 8 {
		case 0: // modern: implicit TLS and OAuth2
			servers = []string{serverXML("imap", host("imap"), "993", "SSL", "OAuth2"), serverXML("smtp", host("smtp"), "465", "SSL", "OAuth2")}
		case 1: // legacy: plain POP3 and SMTP, encrypted password
			servers = []string{serverXML("pop3", host("mail"), "110", "plain", "password-encrypted"), serverXML("smtp", host("mail"), "25", "plain", "password-cleartext")}
		case 2: // alternatives of every protocol
			servers = []string{serverXML("imap", host("imap"), "993", "SSL", "password-cleartext"), serverXML("imap", host("imap"), "143", "STARTTLS", "password-cleartext"),
				serverXML("pop3", host("pop"), "995", "SSL", "password-cleartext"), serverXML("smtp", host("smtp"), "587", "STARTTLS", "password-cleartext")}
		case 3: // a host that depends on the address, and SMTP after POP
			servers = []string{serverXML("imap", "mail.%EMAILDOMAIN%", "993", "SSL", "password-cleartext"),
				serverXML("pop3", host("pop"), "995", "SSL", "password-cleartext"), serverXML("smtp", host("smtp"), "25", "plain", "smtp-after-pop")}
		case 4: // Exchange beside IMAP, and a port that does not fit
			servers = []string{`<incomingServer type="exchange"><hostname>` + host("ex") + `</hostname><port>443</port></incomingServer>`,
				serverXML("imap", host("imap"), "993", "SSL", "password-cleartext"), serverXML("smtp", host("smtp"), "465", "STARTTLS", "password-cleartext"),
				serverXML("smtp", host("smtp"), "587", "STARTTLS", "password-cleartext")}
		case 5: // a BOM, comments and a provider-level enable
			servers = []string{"<!-- comment -->", serverXML("imap", host("imap"), "993", "SSL", "password-cleartext"),
				serverXML("smtp", host("smtp"), "587", "STARTTLS", "password-cleartext"),
				`<enable visiturl="https://` + id + `/settings"><instruction>Turn IMAP on.</instruction></enable>`}
		case 6: // port typos
			servers = []string{serverXML("imap", host("imap"), "993 ", "SSL", "password-cleartext"), serverXML("smtp", host("smtp"), "5 87", "STARTTLS", "password-cleartext"),
				serverXML("smtp", host("smtp"), "465", "SSL", "password-cleartext")}
		case 7: // every 16th file is cut short
			servers = []string{serverXML("pop3", host("pop"), "995", "SSL", "password-cleartext"), serverXML("smtp", host("smtp"), "465", "SSL", "password-cleartext")}
		}
		doc := provider(id, domains, servers...)
		if i%8 == 5 {
			doc = "\xEF\xBB\xBF" + doc
		}
		if i%16 == 7 {
			doc = doc[:len(doc)-40]
		}
		files[id+".xml"] = doc
	}
	dir := writeFiles(t, files)
	root := newKB(t)
	start := time.Now()
	rep := runImport(t, root, dir)
	t.Logf("imported %d files in %s", n, time.Since(start).Round(time.Millisecond))
	if rep.Count(Malformed) != n/16 || rep.Count(Created) != n-n/16 {
		t.Errorf("%s", summary(rep))
	}
	kb := loadChecked(t, root)
	if len(kb.Providers) != n-n/16 {
		t.Errorf("%d providers load", len(kb.Providers))
	}
}

func TestImportNotesWhatItLeavesAlone(t *testing.T) {
	xml := string(fixture(t, "office365.com.xml"))
	// Drop the POP3 server; offer a password beside OAuth2 for IMAP; add
	// an SMTP alternative first.
	start := strings.Index(xml, `<incomingServer type="pop3">`)
	end := strings.Index(xml[start:], "</incomingServer>") + start + len("</incomingServer>")
	xml = xml[:start] + xml[end:]
	xml = strings.Replace(xml, "<authentication>OAuth2</authentication>\n      <username>%EMAILADDRESS%</username>\n    </incomingServer>",
		"<authentication>OAuth2</authentication><authentication>password-cleartext</authentication>\n      <username>%EMAILADDRESS%</username>\n    </incomingServer>", 1)
	xml = strings.Replace(xml, `<outgoingServer type="smtp">`,
		serverXML("smtp", "smtp.office365.com", "25", "STARTTLS", "OAuth2")+"\n"+`<outgoingServer type="smtp">`, 1)
	root := handKB(t)
	rep := runImport(t, root, writeFiles(t, map[string]string{"office365.com.xml": xml}))
	r := result(t, rep, "office365.com.xml")
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{
		"pop (pop3 outlook.office365.com:995) is current in mailkb but not in the file; left as it is",
		"imap matches imap outlook.office365.com:993 (line 11), but the file gives auth [oauth2, password] (mailkb has [oauth2]); left as it is",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if r.Outcome != Changed || !slices.Contains(r.Changes, "added smtp-smtp-office365-com-25 (smtp smtp.office365.com:25, starttls), listed by 2026-11-25") {
		t.Fatalf("%s", summary(rep))
	}
	p := loadChecked(t, root).Provider("business")
	// The hand-written SMTP endpoint stays preferred; the file's first
	// SMTP server cannot be preferred beside it.
	if smtp := p.Endpoint("smtp-smtp-office365-com-25"); smtp.Preferred || !p.Endpoint("smtp").Preferred {
		t.Error("two preferred SMTP endpoints, or the hand-written one lost it")
	}
	if p.Endpoint("pop").Status != model.Current {
		t.Error("the POP3 endpoint the file does not list was ended")
	}
}
