package site

import (
	"fmt"
	"sort"

	"mailkb/generator/model"
)

// Event is one dated change or check on the history timeline and feed.
type Event struct {
	Date         model.Date
	Provider     *model.Provider
	Kind         string // published, ended, verified, fact, fact-ended, era
	Title        string
	Endpoint     *model.Endpoint
	Fact         *model.Fact
	Verification *model.Verification
	Sources      []*model.Source
	Key          string // stable identity, for feed entry ids and anchors
}

var kindOrder = map[string]int{"era": 0, "published": 1, "fact": 2, "verified": 3, "ended": 4, "fact-ended": 5}

// events lists every dated event of the knowledge base, oldest first.
// Values without a date stay off the timeline; their pages say "date
// unknown" instead.
func events(kb *model.KB) []Event {
	var out []Event
	for _, p := range kb.Providers {
		for _, era := range p.Eras {
			if !era.From.IsZero() {
				out = append(out, Event{Date: era.From, Provider: p, Kind: "era", Title: era.Name + " begins",
					Sources: era.Sources, Key: p.ID + "/era/" + era.ID})
			}
		}
		for _, e := range p.Endpoints {
			name := fmt.Sprintf("%s %s:%d", e.Protocol.Label(), e.Host, e.Port)
			if !e.From.IsZero() {
				out = append(out, Event{Date: e.From, Provider: p, Kind: "published", Endpoint: e,
					Title: name + " published", Sources: e.Sources, Key: p.ID + "/" + e.ID + "/from"})
			}
			if !e.Until.IsZero() {
				t := name + " no longer published"
				if e.ReplacedBy != nil {
					t += fmt.Sprintf("; replaced by %s:%d", e.ReplacedBy.Host, e.ReplacedBy.Port)
				}
				out = append(out, Event{Date: e.Until, Provider: p, Kind: "ended", Endpoint: e, Title: t,
					Sources: e.Sources, Key: p.ID + "/" + e.ID + "/until"})
			}
			for i := range e.Verified {
				v := &e.Verified[i]
				ev := Event{Date: v.Date, Provider: p, Kind: "verified", Endpoint: e, Verification: v,
					Title: fmt.Sprintf("%s verified (%s) by %s", name, v.Method, v.By), Key: fmt.Sprintf("%s/%s/verified/%d", p.ID, e.ID, i)}
				if v.Source != nil {
					ev.Sources = []*model.Source{v.Source}
				}
				out = append(out, ev)
			}
		}
		for _, f := range p.Facts {
			if !f.From.IsZero() {
				out = append(out, Event{Date: f.From, Provider: p, Kind: "fact", Fact: f, Title: f.Title,
					Sources: f.Sources, Key: p.ID + "/fact/" + f.ID + "/from"})
			}
			if !f.Until.IsZero() {
				out = append(out, Event{Date: f.Until, Provider: p, Kind: "fact-ended", Fact: f, Title: "No longer true: " + f.Title,
					Sources: f.Sources, Key: p.ID + "/fact/" + f.ID + "/until"})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Date != b.Date {
			return a.Date.Before(b.Date)
		}
		if a.Provider.ID != b.Provider.ID {
			return a.Provider.ID < b.Provider.ID
		}
		if kindOrder[a.Kind] != kindOrder[b.Kind] {
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		return a.Key < b.Key
	})
	return out
}

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
		if r := currentSuccessor(e); r != nil && r.Host != h.Name && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// currentSuccessor follows replaced_by until a current endpoint.
func currentSuccessor(e *model.Endpoint) *model.Endpoint {
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

// hosts indexes every hostname ever published, plus the wrong and
// disputed ones readers meet in old guides, in name order.
func hosts(kb *model.KB) []*Host {
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
