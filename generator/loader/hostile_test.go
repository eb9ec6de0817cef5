package loader

import (
	"strings"
	"testing"
)

// TestHostileInput checks the data a hand, an editor or a tool can get
// wrong in ways the schema alone does not catch: each case gives the
// whole error, position and message, and nothing else.
func TestHostileInput(t *testing.T) {
	long := strings.Repeat("a", 245)
	tests := []struct {
		name string
		file string // file to change
		old  string // text to replace ("" = replace the whole file)
		new  string
		want string // the whole error
	}{
		{"second YAML document", "data/providers/acme.yaml", "", validProvider + "---\nid: other\n",
			`data/providers/acme.yaml:33:1: a data file holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first`},
		{"document end then more", "data/sources.yaml", "", validSources + "...\nsources: []\n",
			`data/sources.yaml:6:1: a data file holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first`},
		{"invalid UTF-8", "data/providers/acme.yaml", "name: Acme Mail", "name: Acme M\xe9il",
			`data/providers/acme.yaml:2:13: byte 0xe9 is not UTF-8 text; save the file as UTF-8 (an editor's "encoding" setting)`},
		{"raw ESC", "data/providers/acme.yaml", "summary: A test provider.", "summary: A \x1b[31mtest provider.",
			`data/providers/acme.yaml:3:12: the control character U+001B (ESC) has no place in a text file; remove it`},
		{"raw NUL", "data/sources.yaml", "title: Acme help", "title: Acme\x00help",
			`data/sources.yaml:3:16: the control character U+0000 (NUL) has no place in a text file; remove it`},
		{"escaped ESC", "data/providers/acme.yaml", "summary: A test provider.", `summary: "A \e[31mtest provider."`,
			`data/providers/acme.yaml:3:10: "summary" holds the control character U+001B (ESC); remove it (only tabs and line breaks may be written in a value)`},
		{"escaped NUL in a list", "data/providers/acme.yaml", "domains: [acme.example]", `domains: ["acme\0.example"]`,
			`data/providers/acme.yaml:4:11: "domains" holds the control character U+0000 (NUL); remove it (only tabs and line breaks may be written in a value)`},
		{"port not a number", "data/providers/acme.yaml", "port: 993\n    security: tls\n    auth: [oauth2]", "port: abc\n    security: tls\n    auth: [oauth2]",
			`data/providers/acme.yaml:22:11: "port" must be a whole number, found "abc"`},
		{"replaced_by cycle of two", "data/providers/acme.yaml", "    from: 2015\n    sources: [s1]", "    from: 2015\n    until: 2016\n    status: retired\n    replaced_by: imap-old\n    sources: [s1]",
			`data/providers/acme.yaml:17:18: replaced_by goes round in a circle: "imap-old" → "imap-new" → "imap-old"; the chain must end at an endpoint that nothing replaces (remove replaced_by from the newest one)`},
		{"replaced_by cycle of three", "data/providers/acme.yaml", "    from: 2015\n    sources: [s1]", "    from: 2015\n    until: 2016\n    status: retired\n    replaced_by: imap-third\n    sources: [s1]\n" +
			"  - id: imap-third\n    protocol: imap\n    host: third.acme.example\n    port: 993\n    security: tls\n    auth: [oauth2]\n    username: email-address\n    from: 2016\n    until: 2017\n    status: retired\n    replaced_by: imap-old\n    sources: [s1]",
			`data/providers/acme.yaml:17:18: replaced_by goes round in a circle: "imap-old" → "imap-new" → "imap-third" → "imap-old"; the chain must end at an endpoint that nothing replaces (remove replaced_by from the newest one)`},
		{"provider id too long", "data/providers/acme.yaml", "id: acme", "id: " + long,
			`data/providers/acme.yaml:1:5: "` + long[:40] + `…" is 245 characters long; an id has at most 64 — shorten it`},
		{"endpoint id too long", "data/providers/acme.yaml", "id: imap-old", "id: " + long,
			`data/providers/acme.yaml:7:9: "` + long[:40] + `…" is 245 characters long; an id has at most 128 — shorten it`},
		{"id with a dot-dot", "data/clients/mailer.yaml", "id: mailer", "id: ..",
			`data/clients/mailer.yaml:1:5: ".." is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme-mail"`},
		{"related provider with a slash", "data/providers/acme.yaml", "domain_sources: [s1]\n", "domain_sources: [s1]\nrelated:\n  - provider: ac/me\n",
			`data/providers/acme.yaml:7:15: related provider "ac/me" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "ac-me"`},
		{"replaced_by not an id", "data/providers/acme.yaml", "replaced_by: imap-new", "replaced_by: ..",
			`data/providers/acme.yaml:17:18: replaced_by ".." is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme-mail"`},
		{"source not an id", "data/providers/acme.yaml", "domain_sources: [s1]", "domain_sources: [S 1]",
			`data/providers/acme.yaml:5:18: source "S 1" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "s-1"`},
		{"domain claimed twice", "data/providers/zed.yaml", "", strings.NewReplacer("id: acme", "id: zed", "name: Acme Mail", "name: Zed", "domains: [acme.example]", "domains: [zed.example, acme.example]").Replace(validProvider),
			`data/providers/zed.yaml:4:24: domain "acme.example" is already claimed by provider "acme" at data/providers/acme.yaml:4:11 for the same time; a mail domain belongs to one provider — remove it from one of them, or give each claim its period (from/until)`},
		{"base_url with spaces", "data/site.yaml", "", "title: T\nbase_url: https://example.org/my kb/\n",
			`data/site.yaml:2:11: base_url "https://example.org/my kb/" holds a space; a URL has none — remove it, or write %20 for a space in a folder's name`},
		{"base_url with ..", "data/site.yaml", "", "title: T\nbase_url: https://example.org/kb/../x/\n",
			`data/site.yaml:2:11: base_url "https://example.org/kb/../x/" has a . or .. segment in its path; write the folder's path as it is, like https://example.org/kb/`},
		{"base_url with %2e%2e", "data/site.yaml", "", "title: T\nbase_url: https://example.org/%2e%2e/\n",
			`data/site.yaml:2:11: base_url "https://example.org/%2e%2e/" has a . or .. segment in its path; write the folder's path as it is, like https://example.org/kb/`},
		{"base_url with a query", "data/site.yaml", "", "title: T\nbase_url: https://example.org/?x=1\n",
			`data/site.yaml:2:11: base_url "https://example.org/?x=1" has a query (?…); a base URL names a folder — remove everything from the ?`},
		{"base_url with a fragment", "data/site.yaml", "", "title: T\nbase_url: \"https://example.org/#top\"\n",
			`data/site.yaml:2:11: base_url "https://example.org/#top" has a fragment (#…); a base URL names a folder — remove everything from the #`},
		{"base_url with a password", "data/site.yaml", "", "title: T\nbase_url: https://user:secret@example.org/\n",
			`data/site.yaml:2:11: base_url "https://user:secret@example.org/" holds a user name or password (user:password@); remove it — every page would publish it`},
		{"base_url without a host", "data/site.yaml", "", "title: T\nbase_url: https:///kb/\n",
			`data/site.yaml:2:11: base_url "https:///kb/" has no host; write it like https://example.org/`},
		{"base_url with //", "data/site.yaml", "", "title: T\nbase_url: https://example.org/a//b/\n",
			`data/site.yaml:2:11: base_url "https://example.org/a//b/" has an empty segment (//) in its path; write each / once`},
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
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

// TestScratchFilesAreNotData checks that an editor's lock, backup and swap
// files beside a provider are not read as providers.
func TestScratchFilesAreNotData(t *testing.T) {
	files := valid()
	for _, name := range []string{".#acme.yaml", "acme.yaml~", "#acme.yaml#", ".acme.yaml.swp", ".hidden.yaml"} {
		files["data/providers/"+name] = "not: [yaml"
	}
	if _, err := load(t, files); err != nil {
		t.Fatal(err)
	}
}
