// Package benchcorpus writes a synthetic knowledge base of about N pages
// in mailkb's own format, for benchmarks: providers with multi-era
// histories and verifications, clients, and guides with GFM tables,
// highlighted code blocks and shortcodes. The same N always gives the same
// bytes.
package benchcorpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Clients is how many clients (and so guide sources) a corpus has.
const Clients = 10

// pagesPerProvider is what one provider adds: its page, an as-of page per
// year of its history (2008 to about now), five host pages, eight embed
// pages (iframe and fragment, for all and for each of three protocols) and
// two guide pages (IMAP, POP3) per client.
const pagesPerProvider = 1 + 19 + 5 + 8 + 2*Clients

// Providers returns how many providers make about n pages.
func Providers(n int) int { return max(1, (n-Clients-10)/pagesPerProvider) }

// Write creates the corpus under dir, which must not exist or be empty;
// templates are copied from templatesDir.
func Write(n int, dir, templatesDir string) error {
	files := map[string]string{
		"data/site.yaml":    "title: Bench corpus\nbase_url: https://bench.example/\n",
		"data/sources.yaml": sources(),
	}
	for i := 0; i < Providers(n); i++ {
		files[fmt.Sprintf("data/providers/p%05d.yaml", i)] = provider(i)
	}
	for c := 0; c < Clients; c++ {
		files[fmt.Sprintf("data/clients/c%02d.yaml", c)] = client(c)
		files[fmt.Sprintf("content/guides/c%02d.md", c)] = guide(c)
	}
	return writeFiles(dir, templatesDir, files)
}

// writeFiles writes files (keyed by slash path) and a copy of templatesDir
// under dir, with the home page every corpus has.
func writeFiles(dir, templatesDir string, files map[string]string) error {
	files["content/_index.md"] = "---\ntitle: Bench corpus\n---\nA synthetic knowledge base.\n"
	if err := copyDir(templatesDir, filepath.Join(dir, "templates")); err != nil {
		return err
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func sources() string {
	var b strings.Builder
	b.WriteString("sources:\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "  - id: src-%02d\n    title: Help page %d\n    publisher: Publisher %d\n    date: %d-%02d-%02d\n", i, i, i%5, 2005+i, i%12+1, i%28+1)
	}
	return b.String()
}

// provider writes a provider with three eras: plain POP3/SMTP, a move to
// new hosts, and OAuth2 on the same hosts.
func provider(i int) string {
	d := fmt.Sprintf("prov%05d.example", i)
	src := func(k int) string { return fmt.Sprintf("src-%02d", (i+k)%20) }
	var b strings.Builder
	fmt.Fprintf(&b, "id: p%05d\nname: Provider %d\nsummary: A synthetic provider with a %d-year history.\n", i, i, 10+i%7)
	fmt.Fprintf(&b, "domains: [%s, mail.%s]\ndomain_sources: [%s]\n", d, d, src(0))
	b.WriteString("eras:\n")
	fmt.Fprintf(&b, "  - id: classic\n    name: Classic\n    from: 2008\n    until: 2015-06\n    summary: POP3 and SMTP on the first hosts.\n    sources: [%s]\n", src(1))
	fmt.Fprintf(&b, "  - id: modern\n    name: Modern\n    from: 2015-06\n    summary: New hosts and IMAP.\n    sources: [%s]\n", src(2))
	b.WriteString("endpoints:\n")
	ep := func(id, proto, host string, port int, sec, auth, period, status, extra string) {
		fmt.Fprintf(&b, "  - id: %s\n    protocol: %s\n    host: %s\n    port: %d\n    security: %s\n    auth: [%s]\n    username: email-address\n%s",
			id, proto, host, port, sec, auth, period)
		if status != "" {
			fmt.Fprintf(&b, "    status: %s\n", status)
		}
		b.WriteString(extra)
		fmt.Fprintf(&b, "    sources: [%s]\n    verified:\n      - date: 2014-0%d-1%d\n        method: published\n        by: Publisher\n      - date: 2026-0%d-0%d\n        method: probe\n        by: bench\n",
			src(3), i%9+1, i%9, i%9+1, i%9+1)
	}
	ep("pop-old", "pop3", "pop."+d, 995, "tls", "password", "    from: 2008\n    until: 2015-06\n", "retired", "    replaced_by: pop-new\n")
	ep("smtp-old", "smtp", "smtp."+d, 587, "starttls", "password", "    from: 2008\n    until: 2015-06\n", "legacy", "    replaced_by: smtp-pw\n")
	ep("imap-pw", "imap", "imap.mail."+d, 993, "tls", "password", "    from: 2015-06\n    until: 2024-09\n", "legacy", "    replaced_by: imap-new\n")
	ep("pop-new", "pop3", "pop.mail."+d, 995, "tls", "oauth2", "    from: 2015-06\n", "", "")
	ep("smtp-pw", "smtp", "smtp.mail."+d, 587, "starttls", "password", "    from: 2015-06\n    until: 2024-09\n", "legacy", "    replaced_by: smtp-new\n")
	ep("imap-new", "imap", "imap.mail."+d, 993, "tls", "oauth2", "    from: 2024-09\n", "", "")
	ep("smtp-new", "smtp", "smtp.mail."+d, 587, "starttls", "oauth2", "    from: 2024-09\n", "", "    preferred: true\n")
	fmt.Fprintf(&b, "facts:\n  - id: access\n    title: IMAP must be switched on\n    kind: access\n    text: Turn IMAP on in the web settings first.\n    protocols: [imap, pop3]\n    where: Settings → Mail → Sync\n    sources: [%s]\n", src(4))
	fmt.Fprintf(&b, "faq:\n  - id: port\n    question: Which SMTP port?\n    answer: Use 587 with STARTTLS.\n    sources: [%s]\n", src(5))
	return b.String()
}

func client(c int) string {
	return fmt.Sprintf("id: c%02d\nname: Client %d\nvendor: Vendor %d\nplatforms: [Windows, macOS]\nfrom: 2005\nprotocols: [imap, pop3, smtp]\nauth: [password, oauth2]\nsummary: A synthetic mail client.\nui:\n  add_account: File → Add account\n  incoming_server: Incoming server\n  outgoing_server: Outgoing server\nsources: [src-%02d]\n", c, c, c, c%20)
}

// guide writes about sixty lines of markdown: steps, a GFM table, a
// highlighted YAML block and a fifty-row data table, all using shortcodes.
func guide(c int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: \"{{< provider >}} in {{< client >}}\"\ndescription: Set up mail in client %d.\nclient: c%02d\n---\n", c, c)
	b.WriteString("## Before you start\n\n{{< fact access >}}\n\n## Steps\n\n")
	b.WriteString("1. Open {{< ui add_account >}}.\n2. Enter {{< ui incoming_server >}} {{< host >}} and port {{< port >}} ({{< security >}}).\n")
	b.WriteString("3. Enter {{< ui outgoing_server >}} {{< host smtp >}} on {{< ports smtp >}} ({{< security smtp >}}).\n4. Sign in with {{< auth >}}.\n\n")
	b.WriteString("| Setting | Value |\n|---|---|\n| Server | {{< host >}} |\n| Port | {{< port >}} |\n| Encryption | {{< security >}} |\n| User name | {{< username >}} |\n\n")
	b.WriteString("```yaml\nincoming:\n  host: {{< host >}}\n  port: {{< port >}}\noutgoing:\n  host: {{< host smtp >}}\n  port: {{< port smtp >}}\n```\n\n")
	b.WriteString("{{< if protocol=\"pop3\" >}}POP3 downloads the mail.{{< /if >}}{{< if protocol=\"imap\" >}}IMAP keeps mail on the server.{{< /if >}}\n\n")
	b.WriteString("## Reference\n\n| # | Item | Value | Note |\n|---|---|---|---|\n")
	for r := 1; r <= 50; r++ {
		fmt.Fprintf(&b, "| %d | Row %d | value-%d | note %d |\n", r, r, r*c+r, r%7)
	}
	b.WriteString("\n{{< settings >}}\n\nLast verified {{< verified >}}; see [the provider]({{< url provider >}}).\n")
	return b.String()
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
