package ispdb

import (
	"fmt"
	"strings"
	"testing"

	"mailkb/generator/autoconfig"
	"mailkb/generator/kbtest"
	"mailkb/generator/provideryaml"
)

// handKB is a knowledge base with a hand-written provider for each of two
// sample files, as a maintainer would have written them before importing
// the files: consumer for hotmail.com.xml, business for office365.com.xml.
// Each lists the file's domains but the last one, and its mail servers,
// and cites a source for the file under its own id; consumer's file has
// comments, a domain list wrapped over lines and a history.
func handKB(t *testing.T) string {
	t.Helper()
	domains := func(file string) string {
		c, err := autoconfig.Parse(fixture(t, file))
		if err != nil {
			t.Fatal(err)
		}
		ds := c.Providers[0].Domains
		return "[\n  " + strings.Join(provideryaml.Wrap(ds[:len(ds)-1], 90, ","), "\n  ") + "\n]"
	}
	return kbtest.WriteInto(t, newKB(t), map[string]string{
		"data/sources.yaml": `sources:
  - id: consumer-ispdb
    title: Thunderbird's entry for Consumer Mail
    publisher: Mozilla
    url: https://autoconfig.thunderbird.net/v1.1/hotmail.com
  - id: consumer-help
    title: Consumer Mail help
    publisher: Consumer Mail
    date: 2009-02-11
  - id: business-ispdb
    title: Thunderbird's entry for Business Mail
    publisher: Mozilla
    url: https://autoconfig.thunderbird.net/v1.1/office365.com
`,
		"data/providers/consumer.yaml": fmt.Sprintf(`# Written by hand.
id: consumer
name: Consumer Mail
summary: A consumer mail service.

domains: %s
domain_sources: [consumer-ispdb]

endpoints:
  # --- Before modern authentication ---------------------------------------
  - id: pop3-old
    protocol: pop3
    host: pop3.live.com
    port: 995
    security: tls
    auth: [password]
    username: email-address
    from: 2009-02
    until: 2017
    status: retired
    replaced_by: pop-oauth2
    sources: [consumer-help]

  # --- Modern authentication only -----------------------------------------
  - id: imap-oauth2
    protocol: imap
    host: outlook.office365.com
    port: 993
    security: tls
    auth: [oauth2]
    username: email-address
    from: 2024-09-16
    status: current
    preferred: true
    sources: [consumer-ispdb]

  - id: pop-oauth2
    protocol: pop3
    host: outlook.office365.com
    port: 995
    security: tls
    auth: [oauth2]
    username: email-address
    from: 2024-09-16
    status: current
    preferred: true
    sources: [consumer-ispdb]

  - id: smtp-oauth2
    protocol: smtp
    host: smtp-mail.outlook.com
    port: 587
    security: starttls
    auth: [oauth2]
    username: email-address
    from: 2024-09-16
    status: current
    preferred: true
    sources: [consumer-ispdb]
`, domains("hotmail.com.xml")),
		"data/providers/business.yaml": fmt.Sprintf(`id: business
name: Business Mail
summary: A business mail service.
domains: %s
domain_sources: [business-ispdb]
endpoints:
  - id: smtp
    protocol: smtp
    host: smtp.office365.com
    port: 587
    security: starttls
    auth: [oauth2]
    username: email-address
    preferred: true
    sources: [business-ispdb]
  - id: imap
    protocol: imap
    host: outlook.office365.com
    port: 993
    security: tls
    auth: [oauth2]
    username: email-address
    sources: [business-ispdb]
  - id: pop
    protocol: pop3
    host: outlook.office365.com
    port: 995
    security: tls
    auth: [oauth2]
    username: email-address
    sources: [business-ispdb]
`, domains("office365.com.xml")),
	})
}

// handSources is how many sources handKB defines.
const handSources = 3
