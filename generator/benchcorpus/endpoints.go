package benchcorpus

import (
	"fmt"
	"strings"
)

// EndpointClients is how many clients (and so guide sources) a corpus of
// one large provider has.
const EndpointClients = 3

// EndpointProvider is the id of that provider.
const EndpointProvider = "bighost"

// endpointDomains are the large provider's mail domains. Their registered
// names are more than two edits apart, so no host is one slip away from
// another domain's host and the corpus passes check.
var endpointDomains = []string{"northwind-mail.com", "quillpost.net", "ravenbox.org", "tidewater.de",
	"emberlink.co.uk", "saltmarsh.io", "kestrelhost.fr", "lumenpost.nl"}

// hopPrefixes name a cluster's host in each of the four eras of a domain.
var hopPrefixes = [4]string{"mail", "mx", "mbox", "post"}

// WriteEndpoints creates, under dir, a knowledge base with one provider
// of n endpoints, a few clients and a guide source for each. The provider
// runs mail clusters on several domains; each cluster moved hosts when its
// domain migrated (four migration days per domain, dated to the year, the
// month or the day), so endpoints come in replaced_by chains of retired,
// legacy and current periods, with an unknown start or end here and there,
// a second SMTP port as an alternative and a few preferred endpoints.
// The same n always gives the same bytes.
func WriteEndpoints(n int, dir, templatesDir string) error {
	files := map[string]string{
		"data/site.yaml":    "title: Bench corpus\nbase_url: https://bench.example/\n",
		"data/sources.yaml": sources(),
		"data/providers/" + EndpointProvider + ".yaml": bigProvider(n),
	}
	for c := 0; c < EndpointClients; c++ {
		files[fmt.Sprintf("data/clients/c%02d.yaml", c)] = client(c)
		files[fmt.Sprintf("content/guides/c%02d.md", c)] = guide(c)
	}
	return writeFiles(dir, templatesDir, files)
}

// benchEndpoint is one endpoint as the YAML will say it; empty fields are
// left out.
type benchEndpoint struct {
	id, protocol, host   string
	port                 int
	security, auth       string
	from, until, status  string
	replacedBy, note     string
	preferred            bool
	source               string
	verified             [][3]string // date, method, by
	hop                  int
	openStart, openUntil bool
}

// migrations are the days domain d moved its clusters to new hosts.
func migrations(d int) [4]string {
	return [4]string{
		fmt.Sprintf("%d", 2004+d%4),
		fmt.Sprintf("%d-%02d", 2009+d%3, 1+d*5%12),
		fmt.Sprintf("%d-%02d-%02d", 2014+d%3, 1+d*7%12, 1+d*11%28),
		fmt.Sprintf("%d-%02d-%02d", 2020+d%4, 1+d*3%12, 1+d*13%28),
	}
}

// track is one service of a cluster across its hops: the endpoints of a
// track replace one another.
type track struct {
	protocol string
	from     int // first hop the service exists in
	drop     bool
}

// cluster returns the endpoints of cluster k, oldest hop first.
func cluster(k int) []*benchEndpoint {
	d := k % len(endpointDomains)
	domain, days := endpointDomains[d], migrations(d)
	first := []int{0, 1, 0, 2, 1, 3, 0}[k/len(endpointDomains)%7]
	last := 4 // exclusive; 4 means the cluster still runs
	if k%5 == 3 && first < 3 {
		last = first + 1 + k/5%(3-first)
	}
	tracks := []track{
		{protocol: "pop3", drop: k%4 == 0}, // some clusters stopped POP3 at the last migration
		{protocol: "imap", from: 1},
		{protocol: "smtp"},
	}
	if k%10 == 1 {
		tracks = append(tracks, track{protocol: "smtp-alt", from: 2})
	}
	host := func(hop int) string {
		if hop == 3 && k%3 == 0 {
			hop = 2 // this cluster kept its host and only changed sign-in
		}
		return fmt.Sprintf("%s%d.%s", hopPrefixes[hop], k, domain)
	}
	var out []*benchEndpoint
	for _, t := range tracks {
		var prev *benchEndpoint
		for hop := max(first, t.from); hop < last; hop++ {
			if t.drop && hop == 3 {
				break
			}
			e := endpointAt(k, hop, t.protocol, host(hop))
			e.from = days[hop]
			if hop+1 < 4 {
				e.until = days[hop+1]
			}
			if prev != nil {
				prev.replacedBy = e.id
			}
			out = append(out, e)
			prev = e
		}
	}
	for _, e := range out {
		switch {
		case e.until == "":
			e.status = "current"
		case e.replacedBy != "" && e.hop == 2:
			e.status = "legacy"
		default:
			e.status = "retired"
		}
		e.openStart = e.hop == first && k%13 == 0
		e.openUntil = e.until != "" && e.replacedBy == "" && k%17 == 0
		e.verified = verifications(e, days)
		if e.openStart {
			e.from = ""
		}
		if e.openUntil {
			e.until = ""
		}
		e.preferred = k == 1 && e.protocol == "smtp" && e.port == 587 && e.hop >= 2
	}
	return out
}

// endpointAt is service proto of cluster k in hop: the ports, encryption
// and sign-in of that era.
func endpointAt(k, hop int, proto, host string) *benchEndpoint {
	e := &benchEndpoint{id: fmt.Sprintf("c%d-%s-%d", k, proto, hop), protocol: proto, host: host, hop: hop,
		source: fmt.Sprintf("src-%02d", (k+hop)%20)}
	switch proto {
	case "pop3":
		e.port, e.security = 995, "tls"
		if hop == 0 && k%2 == 0 {
			e.port, e.security = 110, "none"
		}
	case "imap":
		e.port, e.security = 993, "tls"
		if hop == 1 && k%9 == 2 {
			e.port, e.security = 143, "starttls"
		}
	case "smtp":
		e.port, e.security = 587, "starttls"
		if hop == 0 {
			e.port = 25
		}
	case "smtp-alt":
		e.protocol, e.port, e.security = "smtp", 465, "tls"
		e.note = "For programs that cannot use STARTTLS."
	}
	switch {
	case hop <= 1:
		e.auth = "password"
	case hop == 2:
		e.auth = "password, app-password"
	case proto == "pop3":
		e.auth = "oauth2"
	default:
		e.auth = "oauth2, app-password"
	}
	return e
}

// verifications dates e: the publication of its period, a check near its
// end where no until says when it ended, and recent probes of current
// values (some older than the stale threshold).
func verifications(e *benchEndpoint, days [4]string) [][3]string {
	year := func(hop int) int {
		var y int
		fmt.Sscanf(days[hop], "%d", &y)
		return y
	}
	published := days[e.hop]
	if e.openStart {
		published = fmt.Sprintf("%d-12-15", year(e.hop))
	}
	vs := [][3]string{{published, "published", "Publisher"}}
	if e.openUntil {
		vs = append(vs, [3]string{fmt.Sprintf("%d-06-15", year(e.hop)+1), "manual", "bench"})
	}
	if e.status == "current" {
		var k int
		fmt.Sscanf(e.id, "c%d", &k)
		vs = append(vs, [3]string{fmt.Sprintf("2026-%02d-%02d", 1+k%10, 1+k%28), "probe", "bench"})
	}
	return vs
}

// bigProvider writes the provider file: clusters until there are n
// endpoints, the last cluster cut short if need be.
func bigProvider(n int) string {
	var eps []*benchEndpoint
	for k := 0; len(eps) < n; k++ {
		eps = append(eps, cluster(k)...)
	}
	eps = eps[:n]
	kept := map[string]bool{}
	for _, e := range eps {
		kept[e.id] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nname: Big Host\nsummary: A synthetic hosting provider with %d endpoints on %d domains.\n", EndpointProvider, n, len(endpointDomains))
	fmt.Fprintf(&b, "domains: [%s]\ndomain_sources: [src-00]\n", strings.Join(endpointDomains, ", "))
	b.WriteString("eras:\n")
	b.WriteString("  - id: classic\n    name: Classic\n    until: 2009\n    summary: POP3 and SMTP on port 25.\n    sources: [src-01]\n")
	b.WriteString("  - id: imap\n    name: IMAP\n    from: 2009\n    until: 2014\n    summary: IMAP everywhere, submission on 587.\n    sources: [src-02]\n")
	b.WriteString("  - id: modern\n    name: Modern\n    from: 2014\n    summary: App passwords, then OAuth2.\n    sources: [src-03]\n")
	b.WriteString("endpoints:\n")
	for _, e := range eps {
		fmt.Fprintf(&b, "  - id: %s\n    protocol: %s\n    host: %s\n    port: %d\n    security: %s\n    auth: [%s]\n    username: email-address\n",
			e.id, e.protocol, e.host, e.port, e.security, e.auth)
		if e.from != "" {
			fmt.Fprintf(&b, "    from: %s\n", e.from)
		}
		if e.until != "" {
			fmt.Fprintf(&b, "    until: %s\n", e.until)
		}
		if e.status != "current" {
			fmt.Fprintf(&b, "    status: %s\n", e.status)
		}
		if e.replacedBy != "" && kept[e.replacedBy] {
			fmt.Fprintf(&b, "    replaced_by: %s\n", e.replacedBy)
		}
		if e.preferred {
			b.WriteString("    preferred: true\n")
		}
		if e.note != "" {
			fmt.Fprintf(&b, "    note: %s\n", e.note)
		}
		fmt.Fprintf(&b, "    sources: [%s]\n    verified:\n", e.source)
		for _, v := range e.verified {
			fmt.Fprintf(&b, "      - date: %s\n        method: %s\n        by: %s\n", v[0], v[1], v[2])
		}
	}
	b.WriteString("facts:\n  - id: access\n    title: IMAP must be switched on\n    kind: access\n    text: Turn IMAP on in the control panel first.\n    protocols: [imap, pop3]\n    sources: [src-04]\n")
	b.WriteString("faq:\n  - id: port\n    question: Which SMTP port?\n    answer: Use 587 with STARTTLS.\n    sources: [src-05]\n")
	return b.String()
}
