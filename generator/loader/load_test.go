package loader

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"mailkb/generator/diag"
	"mailkb/generator/model"
)

const validSources = `sources:
  - id: s1
    title: Acme help
    publisher: Acme
    date: 2020-01-02
`

const validProvider = `id: acme
name: Acme Mail
summary: A test provider.
domains: [acme.example]
domain_sources: [s1]
endpoints:
  - id: imap-old
    protocol: imap
    host: imap.acme.example
    port: 993
    security: tls
    auth: [password]
    username: email-address
    from: 2010-02
    until: 2015
    status: retired
    replaced_by: imap-new
    sources: [s1]
  - id: imap-new
    protocol: imap
    host: mail.acme.example
    port: 993
    security: tls
    auth: [oauth2]
    username: email-address
    from: 2015
    sources: [s1]
    verified:
      - date: 2020-01-02
        method: published
        by: Acme
        source: s1
`

const validClient = `id: mailer
name: Mailer
vendor: Acme
platforms: [Linux]
from: 2001
protocols: [imap, smtp]
auth: [password]
summary: A test client.
ui:
  add_account: File → New account
sources: [s1]
`

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func load(t *testing.T, files map[string]string) (*model.KB, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return LoadFS(fsys, "", WithToday(today))
}

func valid() map[string]string {
	return map[string]string{
		"data/sources.yaml":        validSources,
		"data/providers/acme.yaml": validProvider,
		"data/clients/mailer.yaml": validClient,
	}
}

func TestLoadValid(t *testing.T) {
	kb, err := load(t, valid())
	if err != nil {
		t.Fatal(err)
	}
	p := kb.Provider("acme")
	if p == nil || len(p.Endpoints) != 2 {
		t.Fatalf("provider not loaded: %+v", p)
	}
	old, cur := p.Endpoint("imap-old"), p.Endpoint("imap-new")
	if old.ReplacedBy != cur || old.Status != model.Retired || cur.Status != model.Current {
		t.Errorf("replaced_by/status not resolved: %+v", old)
	}
	if got := old.From.String(); got != "2010-02" {
		t.Errorf("partial date kept as %q, want 2010-02", got)
	}
	if cur.Verified[0].Source == nil || cur.Verified[0].Source.ID != "s1" {
		t.Errorf("verification source not resolved")
	}
	if c := kb.Client("mailer"); c == nil || c.UI["add_account"] != "File → New account" {
		t.Errorf("client not loaded: %+v", c)
	}
	if kb.Site.StaleAfterDays != 180 {
		t.Errorf("default stale threshold = %d, want 180", kb.Site.StaleAfterDays)
	}
}

// TestLoadErrors checks every kind of error: its position and message.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		file string // file to change
		old  string // text to replace ("" = replace the whole file)
		new  string
		want string // "file:line:col: message" prefix or fragment
	}{
		{"unknown key", "data/providers/acme.yaml", "    port: 993\n    security: tls\n    auth: [password]", "    port: 993\n    securty: tls\n    auth: [password]",
			`data/providers/acme.yaml:11:5: unknown key "securty" in endpoint; did you mean "security"?`},
		{"duplicate key", "data/providers/acme.yaml", "name: Acme Mail\n", "name: Acme Mail\nname: Acme\n",
			`data/providers/acme.yaml:3:1: key "name" is repeated in this provider (first at line 2); keep one`},
		{"wrong type", "data/providers/acme.yaml", "port: 993\n    security: tls\n    auth: [password]\n    username: email-address\n    from: 2010-02", "port: nine\n    security: tls\n    auth: [password]\n    username: email-address\n    from: 2010-02",
			`data/providers/acme.yaml:10:11: "port" must be a whole number, found "nine"`},
		{"list expected", "data/providers/acme.yaml", "domains: [acme.example]", "domains: acme.example",
			`data/providers/acme.yaml:4:10: "domains" must be a list`},
		{"impossible date", "data/providers/acme.yaml", "from: 2010-02", "from: 2010-02-30",
			`data/providers/acme.yaml:14:11: from: day 30 in "2010-02-30" does not exist; February 2010 has 28 days`},
		{"impossible month", "data/providers/acme.yaml", "from: 2010-02", "from: 2010-13",
			`month 13 in "2010-13" does not exist`},
		{"malformed date", "data/providers/acme.yaml", "from: 2010-02", "from: Feb 2010",
			`"Feb 2010" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD`},
		{"out of order dates", "data/providers/acme.yaml", "from: 2010-02\n    until: 2015", "from: 2010-02\n    until: 2009",
			`data/providers/acme.yaml:15:12: until 2009 is before from 2010-02`},
		{"future verification", "data/providers/acme.yaml", "date: 2020-01-02", "date: 2027-01-01",
			`verification date 2027-01-01 is in the future`},
		{"overlapping periods", "data/providers/acme.yaml", "host: mail.acme.example\n    port: 993\n    security: tls\n    auth: [oauth2]\n    username: email-address\n    from: 2015", "host: imap.acme.example\n    port: 993\n    security: tls\n    auth: [oauth2]\n    username: email-address\n    from: 2014",
			`overlaps "imap-old" (line 7) in time`},
		{"unknown source", "data/providers/acme.yaml", "domain_sources: [s1]", "domain_sources: [s2]",
			`data/providers/acme.yaml:5:18: unknown source "s2"; add it to data/sources.yaml or did you mean "s1"?`},
		{"unknown replaced_by", "data/providers/acme.yaml", "replaced_by: imap-new", "replaced_by: imap-neww",
			`replaced_by "imap-neww" is not an endpoint of provider "acme"; did you mean "imap-new"?`},
		{"until without status", "data/providers/acme.yaml", "    status: retired\n", "",
			`endpoint has until 2015 but status current; set status: legacy`},
		{"bad enum", "data/providers/acme.yaml", "security: tls\n    auth: [oauth2]", "security: ssl\n    auth: [oauth2]",
			`data/providers/acme.yaml:23:15: "ssl" is not a valid security; choose one of: tls, starttls, none`},
		{"bad host", "data/providers/acme.yaml", "host: mail.acme.example", "host: Mail.Acme",
			`host "Mail.Acme" is not a valid hostname`},
		{"port range", "data/providers/acme.yaml", "port: 993\n    security: tls\n    auth: [oauth2]", "port: 99300\n    security: tls\n    auth: [oauth2]",
			`port 99300 is out of range`},
		{"missing field", "data/providers/acme.yaml", "    username: email-address\n    from: 2015\n", "    from: 2015\n",
			`endpoint has no "username"`},
		{"duplicate endpoint id", "data/providers/acme.yaml", "id: imap-new", "id: imap-old",
			`endpoint id "imap-old" is already used at line 7`},
		{"id does not match file", "data/providers/acme.yaml", "id: acme", "id: acme-mail",
			`id "acme-mail" does not match the file name "acme"`},
		{"invalid YAML", "data/providers/acme.yaml", "name: Acme Mail", "name: [Acme Mail",
			`data/providers/acme.yaml:`},
		{"empty file", "data/clients/mailer.yaml", "", "",
			`data/clients/mailer.yaml:1:1: nothing here`},
		{"two preferred", "data/providers/acme.yaml", "    from: 2015\n    sources: [s1]", "    from: 2015\n    preferred: true\n    sources: [s1]\n  - id: imap-alt\n    protocol: imap\n    host: alt.acme.example\n    port: 143\n    security: starttls\n    auth: [oauth2]\n    username: email-address\n    from: 2015\n    preferred: true\n    sources: [s1]",
			`endpoints "imap-new" and "imap-alt" are alternatives in force together and both preferred`},
		{"duplicate source id", "data/sources.yaml", "", validSources + "  - id: s1\n    title: Again\n    publisher: Acme\n",
			`data/sources.yaml:6:5: source id "s1" is already defined at data/sources.yaml:2:5`},
		{"client ui empty", "data/clients/mailer.yaml", "add_account: File → New account", `add_account: ""`,
			`ui label "add_account" is empty`},
		{"unknown protocol in client", "data/clients/mailer.yaml", "protocols: [imap, smtp]", "protocols: [imap, smpt]",
			`"smpt" is not a valid entry for protocols; did you mean "smtp"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := valid()
			switch {
			case tt.old == "":
				files[tt.file] = tt.new
			case !strings.Contains(files[tt.file], tt.old):
				t.Fatalf("test is stale: %q not in %s", tt.old, tt.file)
			default:
				files[tt.file] = strings.Replace(files[tt.file], tt.old, tt.new, 1)
			}
			_, err := load(t, files)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

// TestSyntaxErrorAlone checks that a file that is not YAML is reported
// alone, without the errors its absence would cause in other files.
func TestSyntaxErrorAlone(t *testing.T) {
	files := valid()
	files["data/providers/acme.yaml"] = "id: acme\n  name: [broken\n"
	files["data/providers/other.yaml"] = strings.Replace(validProvider, "id: acme", "id: other", 1) +
		"related:\n  - provider: acme\n"
	files["data/providers/other.yaml"] = strings.ReplaceAll(files["data/providers/other.yaml"], ".acme.example", ".other.example")
	_, err := load(t, files)
	if err == nil || !strings.Contains(err.Error(), "data/providers/acme.yaml:") || strings.Contains(err.Error(), "related provider") {
		t.Errorf("error = %v; want the syntax error alone", err)
	}
}

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"2009", "2009", true}, {"2009-02", "2009-02", true}, {"2024-02-29", "2024-02-29", true},
		{"2023-02-29", "", false}, {"2009-00", "", false}, {"09-02", "", false}, {"2009-2-1", "", false},
		{"2009-02-11-01", "", false}, {"", "", false}, {"1899", "", false},
	} {
		d, err := model.ParseDate(tt.in)
		if (err == nil) != tt.ok || (tt.ok && d.String() != tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %q ok=%v", tt.in, d, err, tt.want, tt.ok)
		}
	}
}

// FuzzLoadProvider feeds arbitrary provider files to the loader: it must
// never panic, and every error it reports must carry the file's name and,
// for the provider's own file, a line and column.
func FuzzLoadProvider(f *testing.F) {
	f.Add(validProvider)
	f.Add("id: acme\nendpoints: *x\n")
	f.Add("a: &x [1]\nb: *x\n")
	f.Add("id: acme\nendpoints:\n  - {from: 2009-02-30}\n")
	f.Add(validProvider + "---\nid: x\n")
	f.Add(strings.Replace(validProvider, "replaced_by: imap-new", "replaced_by: \"..\"", 1))
	f.Fuzz(func(t *testing.T, src string) {
		files := valid()
		files["data/providers/acme.yaml"] = src
		_, err := load(t, files)
		if err == nil {
			return
		}
		for _, e := range err.(diag.ErrorList) {
			if !strings.HasPrefix(e.Pos.File, "data/") {
				t.Fatalf("error without a file: %q", e)
			}
			if e.Pos.File == "data/providers/acme.yaml" && (e.Pos.Line < 1 || e.Pos.Column < 1) {
				t.Fatalf("error without a place: %q", e)
			}
		}
	})
}

// FuzzParseDate checks that any date ParseDate accepts prints back as given.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2009", "2009-02", "2009-02-11", "2024-02-29", "2009-13"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := model.ParseDate(s); err == nil && d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
	})
}
