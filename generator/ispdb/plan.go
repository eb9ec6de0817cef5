package ispdb

import (
	"fmt"
	"slices"
	"strings"

	"mailkb/generator/ispdbentry"
	"mailkb/generator/model"
	"mailkb/generator/provideryaml"
	"mailkb/generator/yamledit"
)

// plan is how one file changes a provider mailkb already has. Servers the
// provider already lists as current stay as they are; a current endpoint
// that the file replaces with another server of its protocol is no longer
// listed by today and points to its replacement, listed by today: the
// change happened some time before the import saw it, and the data says
// so (until: by, from: by).
type plan struct {
	p         *model.Provider
	source    *model.Source // cited by what is added
	addSource bool          // the source is new: define it in the provider file
	ends      []ending
	adds      []*model.Endpoint             // in file order
	added     map[string]*ispdbentry.Server // endpoint id → server
	domains   []string
	changes   []string // what apply writes, for the report
	notes     []string // what is left for a person, and why
}

type ending struct{ e, by *model.Endpoint }

func newPlan(p *model.Provider, in *ispdbentry.Entry, kb *model.KB, owners domainOwners, elsewhere map[string]string, today model.Date) *plan {
	pl := &plan{p: p, added: map[string]*ispdbentry.Server{}}
	live := in.Live()
	var current []*model.Endpoint
	for _, e := range p.Endpoints {
		if e.Status == model.Current {
			current = append(current, e)
		}
	}
	matched := map[*model.Endpoint]bool{}
	var fresh []*ispdbentry.Server
	for _, s := range live {
		i := slices.IndexFunc(current, func(e *model.Endpoint) bool { return e.Key() == s.Endpoint.Key() && e.Security == s.Endpoint.Security })
		if i < 0 {
			fresh = append(fresh, s)
			continue
		}
		matched[current[i]] = true
		pl.compare(current[i], s)
	}

	taken := map[string]bool{}
	for _, e := range p.Endpoints {
		taken[e.ID] = true
	}
	for _, s := range fresh {
		e := *s.Endpoint
		// The file lists it today; since when, this import cannot know.
		e.ID, e.From, e.FromBy = ispdbentry.EndpointID(&e, taken), today, true
		pl.adds = append(pl.adds, &e)
		pl.added[e.ID] = s
	}
	ended := map[*model.Endpoint]bool{}
	for _, e := range current {
		if matched[e] {
			continue
		}
		by := replacement(e, pl.adds)
		if by == nil {
			pl.notes = append(pl.notes, fmt.Sprintf("%s (%s) is current in mailkb but not in the file; left as it is", e.ID, ispdbentry.Where(e)))
			continue
		}
		pl.ends = append(pl.ends, ending{e, by})
		ended[e] = true
		pl.changes = append(pl.changes, fmt.Sprintf("ended %s (%s): no longer listed on %s, replaced by %s", e.ID, ispdbentry.Address(e), today, by.ID))
	}
	for _, e := range pl.adds {
		// The file's first server of a protocol is its preferred one; it
		// can be marked so only if no other endpoint in force from today is.
		first := slices.IndexFunc(live, func(s *ispdbentry.Server) bool { return s.Endpoint.Protocol == e.Protocol }) == slices.Index(live, pl.added[e.ID])
		e.Preferred = first && !slices.ContainsFunc(p.Endpoints, func(o *model.Endpoint) bool {
			return o.Protocol == e.Protocol && o.Preferred && !ended[o] && (o.Until.IsZero() || o.Until.Start().After(today.Start()))
		})
		pl.changes = append(pl.changes, fmt.Sprintf("added %s (%s), listed by %s", e.ID, ispdbentry.Address(e), today))
	}
	for _, d := range in.Domains {
		o := owners[d]
		if o == p {
			continue
		}
		if f := elsewhere[d]; f != "" {
			pl.notes = append(pl.notes, elsewhereNote(d, f))
			continue
		}
		if o != nil {
			pl.notes = append(pl.notes, fmt.Sprintf("domain %s is listed by provider %s; left out (a mail domain belongs to one provider)", d, o.ID))
			continue
		}
		pl.domains = append(pl.domains, d)
	}
	if pl.source = in.FindSource(kb); pl.source == nil {
		pl.source, pl.addSource = in.NewSource(today), true
	}
	return pl
}

// domainOwners maps each domain of a knowledge base to the provider that
// lists it, so that a file of many domains is matched in time linear in
// them.
type domainOwners map[string]*model.Provider

func ownersOf(kb *model.KB) domainOwners {
	o := domainOwners{}
	for _, p := range kb.Providers {
		for _, d := range p.Domains {
			if o[d] == nil {
				o[d] = p
			}
		}
	}
	return o
}

// compare notes where a matching endpoint differs in what the import does
// not change: sign-in and user name are the maintainer's call.
func (pl *plan) compare(e *model.Endpoint, s *ispdbentry.Server) {
	var diffs []string
	// The order of the methods is the order of preference.
	if !slices.Equal(e.Auth, s.Endpoint.Auth) {
		diffs = append(diffs, fmt.Sprintf("auth %s (mailkb has %s)", provideryaml.Auth(s.Endpoint.Auth), provideryaml.Auth(e.Auth)))
	}
	if e.Username != s.Endpoint.Username {
		diffs = append(diffs, fmt.Sprintf("username %s (mailkb has %s)", s.Endpoint.Username, e.Username))
	}
	if len(diffs) > 0 {
		pl.notes = append(pl.notes, fmt.Sprintf("%s matches %s, but the file gives %s; left as it is, check and edit by hand",
			e.ID, s.Label(), strings.Join(diffs, " and ")))
	}
}

// replacement is the new endpoint that takes over from e: one of its
// protocol on the same port and security if there is one, else the first
// of its protocol; nil if the file brings none.
func replacement(e *model.Endpoint, adds []*model.Endpoint) *model.Endpoint {
	var first *model.Endpoint
	for _, a := range adds {
		if a.Protocol != e.Protocol {
			continue
		}
		if a.Port == e.Port && a.Security == e.Security {
			return a
		}
		if first == nil {
			first = a
		}
	}
	return first
}

func (pl *plan) empty() bool { return len(pl.ends) == 0 && len(pl.adds) == 0 && len(pl.domains) == 0 }

// apply edits the provider file's bytes. Lines it does not change stay as
// written, comments included. Domains that cannot be added by editing
// (the list is not written as plain values) become a note; if nothing else
// changes, apply returns no bytes.
func (pl *plan) apply(src []byte, today model.Date) ([]byte, error) {
	out := src
	var err error
	for _, en := range pl.ends {
		for _, kv := range [][2]string{{"until", provideryaml.Boundary(today, true)}, {"status", string(model.Legacy)}, {"replaced_by", en.by.ID}} {
			out, err = provideryaml.Edit(out, func(d *yamledit.Doc) error {
				item := yamledit.FindItem(d.Root(), "endpoints", "id", en.e.ID)
				if item == nil {
					return fmt.Errorf("no endpoint with id %q", en.e.ID)
				}
				return provideryaml.SetEndpointKey(d, item, kv[0], kv[1])
			})
			if err != nil {
				return nil, err
			}
		}
	}
	for _, e := range pl.adds {
		out, err = provideryaml.AppendEndpoint(out, provideryaml.EndpointFields(e, pl.source.ID, today, -1))
		if err != nil {
			return nil, err
		}
	}
	cite := len(pl.adds) > 0
	if len(pl.domains) > 0 {
		withDomains, err := provideryaml.AppendScalars(out, "domains", pl.domains)
		if err == nil && !slices.Contains(pl.p.DomainSources, pl.source) {
			withDomains, err = provideryaml.AppendScalars(withDomains, "domain_sources", []string{pl.source.ID})
		}
		if err != nil {
			pl.notes = append(pl.notes, fmt.Sprintf("domains %s not added: %v", strings.Join(pl.domains, ", "), err))
		} else {
			out, cite = withDomains, true
			pl.changes = append(pl.changes, "added "+plural(len(pl.domains), "domain")+" "+strings.Join(pl.domains, ", "))
		}
	}
	if !cite {
		return nil, nil
	}
	if pl.addSource {
		out, err = provideryaml.Edit(out, func(d *yamledit.Doc) error {
			return d.AppendItem(d.Root(), "sources", provideryaml.SourceFields(pl.source, -1), nil)
		})
		if err != nil {
			return nil, err
		}
		pl.changes = append(pl.changes, "added source "+pl.source.ID)
	}
	return out, nil
}
