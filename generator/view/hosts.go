package view

import (
	"sort"

	"mailkb/generator/model"
)

// Host gathers everything known about one hostname: the endpoints that
// named it, and the errata and disputes in which it appears.
type Host struct {
	Name      string
	Endpoints []*model.Endpoint
	Errata    []ProviderErratum // where this host is the wrong value
	Disputes  []ProviderDispute // where a claim names this host
}

// ProviderErratum is an erratum with its provider.
type ProviderErratum struct {
	Provider *model.Provider
	Erratum  *model.Erratum
}

// ProviderDispute is a dispute with its provider and the claim naming the host.
type ProviderDispute struct {
	Provider *model.Provider
	Dispute  *model.Dispute
	Claim    *model.Claim
}

// Current reports whether any endpoint on the host is still published.
func (h *Host) Current() bool {
	for _, e := range h.Endpoints {
		if e.Status == model.Current {
			return true
		}
	}
	return false
}

// Published reports whether the host was ever a real setting.
func (h *Host) Published() bool { return len(h.Endpoints) > 0 }

// Replacements returns, for each endpoint that ended, the current endpoint
// its replaced_by chain leads to, without repeats.
func (h *Host) Replacements() []*model.Endpoint {
	var out []*model.Endpoint
	seen := map[*model.Endpoint]bool{}
	for _, e := range h.Endpoints {
		if r := CurrentSuccessor(e); r != nil && r.Host != h.Name && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// CurrentSuccessor follows replaced_by until a current endpoint.
func CurrentSuccessor(e *model.Endpoint) *model.Endpoint {
	seen := map[*model.Endpoint]bool{}
	for e != nil && !seen[e] {
		if e.Status == model.Current {
			return e
		}
		seen[e] = true
		e = e.ReplacedBy
	}
	return nil
}

// Hosts indexes every hostname ever published, plus the wrong and
// disputed ones readers meet in old guides, in name order.
func Hosts(kb *model.KB) []*Host {
	byName := map[string]*Host{}
	get := func(name string) *Host {
		h := byName[name]
		if h == nil {
			h = &Host{Name: name}
			byName[name] = h
		}
		return h
	}
	for _, p := range kb.Providers {
		for _, e := range p.Endpoints {
			// A host made from the user's domain names no one server.
			if e.HostIsTemplate() {
				continue
			}
			h := get(e.Host)
			h.Endpoints = append(h.Endpoints, e)
		}
		for i := range p.Errata {
			er := &p.Errata[i]
			if er.Field == "host" && model.ValidHostname(er.Wrong) {
				h := get(er.Wrong)
				h.Errata = append(h.Errata, ProviderErratum{p, er})
			}
		}
		for i := range p.Disputes {
			d := &p.Disputes[i]
			for j := range d.Claims {
				if c := &d.Claims[j]; model.ValidHostname(c.Says) {
					h := get(c.Says)
					h.Disputes = append(h.Disputes, ProviderDispute{p, d, c})
				}
			}
		}
	}
	out := make([]*Host, 0, len(byName))
	for _, h := range byName {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
