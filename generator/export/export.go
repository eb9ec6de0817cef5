// Package export has one job: turn a model.KB into machine-readable files
// for other software. It writes the JSON API (an index, one file per
// provider and a JSON Schema for both), Thunderbird autoconfig files,
// Apple configuration profiles, Microsoft Autodiscover (POX) responses and
// a CSV of each provider's quick-reference table.
//
// The output depends only on the knowledge base and Options: no clock,
// no map order, so the same input gives the same bytes. The formats and
// field names are documented in docs/api.md.
package export

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"mailkb/generator/model"
	"mailkb/generator/urls"
)

// Options says what the exported files need to know beyond the data.
type Options struct {
	// URLs are the site's: where each file is published, and the pages
	// the files link to.
	URLs urls.URLs
	// Today is the build's "today": the as_of date of the JSON files, which
	// facts are in force and which verifications are stale.
	Today time.Time
}

// Files renders every export of kb, keyed by path under the output folder.
func Files(kb *model.KB, opts Options) (map[string][]byte, error) {
	x, err := newExporter(kb, opts)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	add := func(name string, data []byte, err error) error {
		if err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
		if _, dup := files[name]; dup {
			return fmt.Errorf("export %s: written twice", name)
		}
		files[name] = data
		return nil
	}
	schema, err := x.schema()
	if err := add(x.file(x.u.APISchema()), schema, err); err != nil {
		return nil, err
	}
	index, err := x.index()
	if err := add(x.file(x.u.APIProviders()), index, err); err != nil {
		return nil, err
	}
	for _, p := range x.providers {
		data, err := x.providerJSON(p)
		if err := add(x.file(x.u.ProviderJSON(p)), data, err); err != nil {
			return nil, err
		}
		data, err = settingsCSV(p)
		if err := add(x.file(x.u.SettingsCSV(p)), data, err); err != nil {
			return nil, err
		}
		for _, proto := range []model.Protocol{model.IMAP, model.POP3} {
			if !HasMobileconfig(p, proto) {
				continue
			}
			data, err := x.mobileconfig(p, proto)
			if err := add(x.file(x.u.Mobileconfig(p, proto)), data, err); err != nil {
				return nil, err
			}
		}
		domains := Domains(p, x.today)
		if !HasClientConfig(p) || len(domains) == 0 {
			continue
		}
		// Every domain of a provider gets the same configuration.
		ac, err := x.autoconfig(p, domains)
		if err != nil {
			return nil, fmt.Errorf("export autoconfig for %s: %w", p.ID, err)
		}
		eps := autodiscoverEndpoints(p)
		var ad []byte
		for i, d := range domains {
			if err := add(x.file(x.u.Autoconfig(d)), ac, nil); err != nil {
				return nil, err
			}
			if i == 0 || perDomain(eps) {
				if ad, err = autodiscover(eps, d); err != nil {
					return nil, fmt.Errorf("export autodiscover for %s: %w", d, err)
				}
			}
			if err := add(x.file(x.u.Autodiscover(d)), ad, nil); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

// exporter holds what every format shares.
type exporter struct {
	kb        *model.KB
	u         urls.URLs
	today     time.Time
	providers []*model.Provider // sorted by id
}

func newExporter(kb *model.KB, opts Options) (*exporter, error) {
	if opts.URLs.Hostname() == "" {
		return nil, fmt.Errorf("export: base_url %q is not an absolute URL; set it in data/site.yaml, like https://example.org/", kb.Site.BaseURL)
	}
	x := &exporter{kb: kb, u: opts.URLs, today: model.DateOf(opts.Today).Start()}
	x.providers = append(x.providers, kb.Providers...)
	sort.SliceStable(x.providers, func(i, j int) bool { return x.providers[i].ID < x.providers[j].ID })
	// A domain names one provider (autoconfig and Autodiscover answer with
	// one configuration per domain): the loader refuses a second claim,
	// with both places, and Files refuses any path written twice.
	return x, nil
}

// file is the output file of a site path.
func (x *exporter) file(path string) string { return x.u.File(path) }

// url makes a site path an absolute URL.
func (x *exporter) url(path string) string { return x.u.Abs(path) }

// page is the absolute URL of p's page on the site.
func (x *exporter) page(p *model.Provider) string { return x.url(x.u.Provider(p)) }

// reverseDNS is the base URL's host turned round, for profile identifiers:
// mailkb.example gives example.mailkb.
func (x *exporter) reverseDNS() string {
	labels := strings.Split(strings.ToLower(x.u.Hostname()), ".")
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	out := strings.Join(labels, ".")
	if out == "" {
		return "mailkb"
	}
	return out
}

// current returns p's current endpoints of proto, preferred first.
func current(p *model.Provider, proto model.Protocol) []*model.Endpoint {
	var out []*model.Endpoint
	for _, e := range p.CurrentEndpoints() {
		if e.Protocol == proto {
			out = append(out, e)
		}
	}
	return out
}

// incoming returns p's current IMAP then POP3 endpoints, each preferred
// first: the servers a client configuration offers for reading mail.
func incoming(p *model.Provider) []*model.Endpoint {
	return append(current(p, model.IMAP), current(p, model.POP3)...)
}

// inDataOrder returns p's current endpoints of the protocols keep accepts
// in the order the data lists them, as a provider's own configuration
// lists its servers in order of preference, except that the endpoint
// preferred today comes first among those of its protocol: it takes the
// place of the first, the others follow in data order.
func inDataOrder(p *model.Provider, keep func(model.Protocol) bool) []*model.Endpoint {
	var out []*model.Endpoint
	at := map[model.Protocol][]int{} // positions in out, by protocol
	for _, e := range p.Endpoints {
		if status(e.Status) == model.Current && keep(e.Protocol) {
			at[e.Protocol] = append(at[e.Protocol], len(out))
			out = append(out, e)
		}
	}
	for _, positions := range at {
		group := make([]*model.Endpoint, len(positions))
		for i, pos := range positions {
			group[i] = out[pos]
		}
		sort.SliceStable(group, func(i, j int) bool { return group[i].PreferredNow() && !group[j].PreferredNow() })
		for i, pos := range positions {
			out[pos] = group[i]
		}
	}
	return out
}

// Domains are the mail domains p serves on day today, in the data's order:
// a domain that passed to or from another provider is in the files of the
// one that serves it then (a domain belongs to one provider at a time,
// which the loader checks).
func Domains(p *model.Provider, today time.Time) []string {
	var out []string
	for _, d := range p.Domains {
		if pd, ok := p.DomainPeriods[d]; !ok || inForce(pd, today) {
			out = append(out, d)
		}
	}
	return out
}

// HasClientConfig reports whether p has a complete current configuration
// (an IMAP or POP3 server and an SMTP server), and so autoconfig and
// Autodiscover files for its domains.
func HasClientConfig(p *model.Provider) bool {
	return len(incoming(p)) > 0 && len(current(p, model.SMTP)) > 0
}

// HasMobileconfig reports whether p has an Apple configuration profile for
// proto (IMAP or POP3). A profile sets a fixed host name and a sign-in by
// password (a normal or app password, CRAM-MD5, NTLM) or none; it cannot
// do OAuth2, Kerberos or a client certificate. So there is a profile only
// when a current server of proto and a current SMTP server accept such a
// sign-in at a fixed host: a provider whose servers accept only OAuth2
// gets none, since the password sign-in a profile would set is refused
// there, and the provider page offers none.
func HasMobileconfig(p *model.Provider, proto model.Protocol) bool {
	_, _, ok := profileServers(p, proto)
	return ok
}

// profileServers are the servers p's profile for proto sets up: the first
// current server of proto and the first current SMTP server, in the order
// of the autoconfig file, that a profile can describe.
func profileServers(p *model.Provider, proto model.Protocol) (in, out *model.Endpoint, ok bool) {
	if proto != model.IMAP && proto != model.POP3 {
		return nil, nil, false
	}
	first := func(proto model.Protocol) *model.Endpoint {
		for _, e := range inDataOrder(p, func(q model.Protocol) bool { return q == proto }) {
			if profileAuth(e) != "" && !e.HostIsTemplate() {
				return e
			}
		}
		return nil
	}
	in, out = first(proto), first(model.SMTP)
	return in, out, in != nil && out != nil
}

// inForce reports whether a period includes day t.
func inForce(pd model.Period, t time.Time) bool {
	return (pd.From.IsZero() || !t.Before(pd.From.Start())) && (pd.Until.IsZero() || t.Before(pd.Until.Start()))
}

// hasAuth reports whether as includes any of the methods.
func hasAuth(as []model.Auth, methods ...model.Auth) bool {
	for _, a := range as {
		for _, m := range methods {
			if a == m {
				return true
			}
		}
	}
	return false
}

// enableFacts are the facts in force today that tell a user to switch POP
// or IMAP on somewhere before a program can connect.
func (x *exporter) enableFacts(p *model.Provider) []*model.Fact {
	var out []*model.Fact
	for _, f := range p.Facts {
		if f.Kind != "access" || (f.URL == "" && f.Where == "") || !inForce(f.Period, x.today) {
			continue
		}
		for _, proto := range f.Protocols {
			if proto == model.POP3 || proto == model.IMAP {
				out = append(out, f)
				break
			}
		}
	}
	return out
}
