package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailkb/generator/kbtest"
	"mailkb/generator/publish"
)

// writeKB makes a small knowledge base in a temp folder, with the repo's
// templates, and returns its root.
func writeKB(t *testing.T, files map[string]string) string {
	t.Helper()
	return kbtest.WriteInto(t, kbtest.CopyBundled(t, "templates"), files)
}

func smallKB() map[string]string {
	return map[string]string{
		"data/site.yaml":    "title: Test KB\nbase_url: https://kb.example/sub/\n",
		"data/sources.yaml": "sources:\n  - id: s1\n    title: Acme help\n    publisher: Acme\n    date: 2020-01-02\n",
		"data/providers/acme.yaml": `id: acme
name: Acme Mail
summary: A test provider.
domains: [acme.example]
domain_sources: [s1]
endpoints:
  - id: imap
    protocol: imap
    host: imap.acme.example
    port: 993
    security: tls
    auth: [password]
    username: email-address
    from: 2015
    sources: [s1]
  - id: smtp
    protocol: smtp
    host: smtp.acme.example
    port: 587
    security: starttls
    auth: [password]
    username: email-address
    from: 2015
    preferred: true
    sources: [s1]
  - id: smtp-25
    protocol: smtp
    host: smtp.acme.example
    port: 25
    security: starttls
    auth: [password]
    username: email-address
    from: 2015
    sources: [s1]
`,
		"data/clients/mailer.yaml": `id: mailer
name: Mailer
vendor: Acme
platforms: [Linux]
from: 2001
protocols: [imap, pop3, smtp]
auth: [password]
summary: A test client.
ui:
  add_account: File → New account
sources: [s1]
`,
		"content/guides/mailer.md": "---\ntitle: \"{{< provider >}} in {{< client >}}\"\nclient: mailer\n---\n" +
			"## Connect to {{< host >}}\n\n" +
			"Open {{< ui add_account >}} and enter {{< host >}} port {{< port >}} ({{< security >}}); send via {{< host smtp >}} on {{< ports smtp >}}.\n\n" +
			"| Field | Value |\n|---|---|\n| Server | {{< host >}} |\n| Port | {{< port smtp >}} |\n\n" +
			"```ini\n[server]\nhost = {{< host >}}\nport = {{< port >}}\n```\n\n" +
			"See [the host page]({{< url host >}}) and [the provider]({{< url provider >}}).\n\n" +
			"{{< if protocol=\"pop3\" >}}POP-ONLY{{< /if >}}{{< if protocol=\"imap\" >}}IMAP-ONLY{{< /if >}}\n\n" +
			"<script>alert(1)</script>\n\n{{< settings >}}\n",
	}
}

func TestShortcodesEverywhere(t *testing.T) {
	root := writeKB(t, smallKB())
	files, err := Render(Options{Root: root, Now: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	page := string(files["guides/mailer/acme/imap/index.html"])
	if page == "" {
		t.Fatal("no guide page for mailer × acme × imap")
	}
	for _, want := range []string{
		`<title>Acme Mail in Mailer · Test KB</title>`,                           // title
		`id="connect-to-imap.acme.example"`,                                      // heading id from the value
		`Open File → New account and enter imap.acme.example port 993 (SSL/TLS)`, // prose
		`send via smtp.acme.example on 587 or 25`,                                // alternatives, preferred first
		`<td>imap.acme.example</td>`, `<td>587</td>`,                             // table
		`<pre class="chroma">`, `imap.acme.example`, // code block
		`href="/sub/hosts/imap.acme.example/"`, `href="/sub/providers/acme/"`, // link URLs under the base path
		`IMAP-ONLY`, `<table class="settings">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("guide lacks %q", want)
		}
	}
	for _, bad := range []string{"POP-ONLY", "<script>", "mkbsc", "mkbblk"} {
		if strings.Contains(page, bad) {
			t.Errorf("guide contains %q", bad)
		}
	}
	if files["guides/mailer/acme/pop3/index.html"] != nil {
		t.Error("a POP3 guide was made for a provider without POP3")
	}
	code := page[strings.Index(page, `<pre class="chroma">`):]
	code = code[:strings.Index(code, "</pre>")]
	if !strings.Contains(code, "imap.acme.example") || !strings.Contains(code, "993") {
		t.Errorf("code block lost its values:\n%s", code)
	}
}

func TestShortcodeErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{"{{< hots >}}", `content/guides/mailer.md:5:1: {{< hots >}}: unknown shortcode; did you mean "host"?`},
		{"{{< ui add_acount >}}", `has no ui label "add_acount"`},
		{"{{< host pop3 >}}", "Acme Mail published no POP3 endpoint on"},
		{"text {{< settings >}} text", "content/guides/mailer.md:5:6: this shortcode makes a block; put it on a line of its own"},
		{"{{< fact nope >}}", `no provider has a fact "nope"`},
		{`{{< if proto="x" >}}a{{< /if >}}`, "unknown condition"},
	}
	for _, tt := range tests {
		kb := smallKB()
		kb["content/guides/mailer.md"] = "---\ntitle: T\nclient: mailer\n---\n" + tt.body + "\n"
		root := writeKB(t, kb)
		_, err := Render(Options{Root: root, Now: buildDay})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want %q", tt.body, err, tt.want)
		}
	}
}

// TestFailedBuildKeepsPublic checks that a broken knowledge base leaves
// the published site byte for byte as it was.
func TestFailedBuildKeepsPublic(t *testing.T) {
	kb := smallKB()
	root := writeKB(t, kb)
	out := filepath.Join(root, "public")
	if _, err := Build(Options{Root: root, Out: out, Now: buildDay}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	broken := strings.Replace(kb["data/providers/acme.yaml"], "port: 993", "port: 99999", 1)
	if err := os.WriteFile(filepath.Join(root, "data/providers/acme.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(Options{Root: root, Out: out, Now: buildDay})
	if err == nil || !strings.Contains(err.Error(), "acme.yaml:10:11: port 99999 is out of range") {
		t.Fatalf("error = %v, want the port error with its position", err)
	}
	after := snapshot(t, out)
	if len(before) != len(after) {
		t.Fatalf("public/ had %d files, now %d", len(before), len(after))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed after a failed build", name)
		}
	}
	if after := snapshot(t, filepath.Join(root, "data")); len(after) == 0 {
		t.Error("data/ is gone")
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == publish.ManifestName {
			return err
		}
		data, err := os.ReadFile(p)
		out[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBuildRefusesFoldersItMustNotTouch: an output folder that is the
// knowledge base, holds it, or holds files mailkb did not write is refused
// before anything is rendered or written.
func TestBuildRefusesFoldersItMustNotTouch(t *testing.T) {
	root := writeKB(t, smallKB())
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{root, filepath.Dir(root), filepath.Join(root, "data"), foreign} {
		before, beforeForeign := snapshot(t, root), snapshot(t, foreign)
		if _, err := Build(Options{Root: root, Out: out, Now: buildDay}); err == nil || !strings.Contains(err.Error(), "refusing to publish") {
			t.Errorf("--out %s: err = %v, want a refusal", out, err)
		}
		if after := snapshot(t, root); len(after) != len(before) {
			t.Errorf("--out %s: the knowledge base changed (%d files, was %d)", out, len(after), len(before))
		}
		if after := snapshot(t, foreign); len(after) != len(beforeForeign) || after[filepath.Join(foreign, "notes.txt")] != "mine" {
			t.Errorf("--out %s: the foreign folder changed", out)
		}
	}
}

// TestUndatedCurrentProvider: a provider whose servers nothing dates (an
// ISPDB import, say) still gets guides for current clients, placed from
// the day the knowledge base was built, and no claims about earlier years.
func TestUndatedCurrentProvider(t *testing.T) {
	kb := smallKB()
	kb["data/providers/acme.yaml"] = strings.ReplaceAll(kb["data/providers/acme.yaml"], "    from: 2015\n", "")
	kb["data/sources.yaml"] = strings.Replace(kb["data/sources.yaml"], "    date: 2020-01-02\n", "", 1)
	files, err := Render(Options{Root: writeKB(t, kb), Now: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	if files["guides/mailer/acme/imap/index.html"] == nil {
		t.Error("no guide for a current client of an undated provider")
	}
	var years []string
	for name := range files {
		if strings.HasPrefix(name, "providers/acme/as-of/") {
			years = append(years, name)
		}
	}
	if len(years) != 1 || !strings.Contains(years[0], "/2026/") {
		t.Errorf("as-of pages %v, want only this year's", years)
	}
}

// TestFactOnlyWhereTheProviderHasIt: a guide for every provider shows a
// fact for the providers that have it and leaves it out for the others.
func TestFactOnlyWhereTheProviderHasIt(t *testing.T) {
	kb := smallKB()
	kb["data/providers/acme.yaml"] += "facts:\n  - id: access\n    title: Switch IMAP on\n    kind: access\n    text: Turn it on first.\n    sources: [s1]\n"
	kb["data/providers/beta.yaml"] = strings.NewReplacer("id: acme", "id: beta", "Acme Mail", "Beta Mail", "acme.example", "beta.example").Replace(smallKB()["data/providers/acme.yaml"])
	kb["content/guides/mailer.md"] = "---\ntitle: T\nclient: mailer\n---\n{{< fact access >}}\n"
	files, err := Render(Options{Root: writeKB(t, kb), Now: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(files["guides/mailer/acme/imap/index.html"]), "Switch IMAP on") {
		t.Error("acme's guide lacks its fact")
	}
	if strings.Contains(string(files["guides/mailer/beta/imap/index.html"]), "Switch IMAP on") {
		t.Error("beta's guide shows a fact beta does not have")
	}
}

// TestContentLinksFollowTheBasePath: a link written in content as a site
// path (/history/, as the bundled guides and articles write them) leads
// to that page when the site lives in a sub-folder (base_url /sub/).
func TestContentLinksFollowTheBasePath(t *testing.T) {
	kb := smallKB()
	kb["content/articles/links.md"] = "---\ntitle: Links\n---\nSee [the history](/history/) and [the provider](/providers/acme/#quick).\n"
	files, err := Render(Options{Root: writeKB(t, kb), Now: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	page := string(files["articles/links/index.html"])
	for _, link := range []string{"/history/", "/providers/acme/#quick"} {
		if strings.Contains(page, `href="`+link+`"`) || !strings.Contains(page, `href="/sub`+link+`"`) {
			t.Errorf("the article's link to %s does not lead into /sub/; its links: %q", link, hrefPattern.FindAllString(page, -1))
		}
	}
}
