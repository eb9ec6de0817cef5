package model

import (
	"slices"
	"sort"
	"time"
)

// evidence returns the dates that show e was published: its verifications,
// or, where it has none, the dates of the sources it cites.
func (e *Endpoint) evidence() []time.Time {
	var ts []time.Time
	for _, v := range e.Verified {
		ts = append(ts, v.Date.Start())
	}
	if len(ts) == 0 {
		for _, s := range e.Sources {
			if !s.Date.IsZero() {
				ts = append(ts, s.Date.Start())
			}
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	return ts
}

// Window is the span in which e can be placed on a timeline: [Start, End).
// A known From or Until is used as written. An unknown start is taken as the
// first evidence of the endpoint (for a current endpoint that nothing dates,
// the day the knowledge base was loaded), an unknown end of an ended
// endpoint as the day after its last evidence: mailkb does not claim more
// than its sources show. OK is false when nothing dates the endpoint at all.
func (e *Endpoint) Window() (start, end time.Time, ok bool) {
	ev := e.evidence()
	switch {
	case !e.From.IsZero():
		start = e.From.Start()
	case len(ev) > 0:
		start = ev[0]
	case e.Status == Current && !e.Loaded.IsZero():
		start = e.Loaded
	default:
		return start, end, false
	}
	switch {
	case !e.Until.IsZero():
		end = e.Until.Start()
	case e.Status == Current || e.Status == "":
		end = farFuture
	case len(ev) > 0:
		end = ev[len(ev)-1].AddDate(0, 0, 1)
	default:
		return start, end, false
	}
	if end.Before(start) {
		end = start
	}
	return start, end, true
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// InForceOn reports whether e was the published setting on day t.
func (e *Endpoint) InForceOn(t time.Time) bool {
	s, end, ok := e.Window()
	return ok && !t.Before(s) && t.Before(end)
}

// LastVerified returns the newest verification of e, or nil.
func (e *Endpoint) LastVerified() *Verification {
	if len(e.Verified) == 0 {
		return nil
	}
	last := &e.Verified[0]
	for i := range e.Verified {
		if last.Date.Before(e.Verified[i].Date) {
			last = &e.Verified[i]
		}
	}
	return last
}

// Key identifies the server an endpoint names, whatever its period.
func (e *Endpoint) Key() EndpointKey { return EndpointKey{e.Protocol, e.Host, e.Port} }

// EndpointKey is a protocol, host and port: one server across its periods.
type EndpointKey struct {
	Protocol Protocol
	Host     string
	Port     int
}

// sortPreferred orders alternatives: the preferred first, then by port.
func sortPreferred(es []*Endpoint) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Preferred != es[j].Preferred {
			return es[i].Preferred
		}
		return es[i].Port < es[j].Port
	})
}

// InForce returns the endpoints of protocol proto published on day t,
// preferred first.
func (p *Provider) InForce(proto Protocol, t time.Time) []*Endpoint {
	var out []*Endpoint
	for _, e := range p.Endpoints {
		if e.Protocol == proto && e.InForceOn(t) {
			out = append(out, e)
		}
	}
	sortPreferred(out)
	return out
}

// CurrentEndpoints returns the endpoints whose status is current, in
// protocol display order, preferred first.
func (p *Provider) CurrentEndpoints() []*Endpoint {
	var out []*Endpoint
	for _, proto := range Protocols {
		var group []*Endpoint
		for _, e := range p.Endpoints {
			if e.Protocol == proto && e.Status == Current {
				group = append(group, e)
			}
		}
		sortPreferred(group)
		out = append(out, group...)
	}
	return out
}

// LatestInForce returns the last day within [from, until) on which the
// provider published an endpoint of every protocol in protos, and false if
// there is none. A guide uses it to show one coherent set of settings:
// incoming and outgoing as they stood on the same day.
func (p *Provider) LatestInForce(protos []Protocol, from, until time.Time) (time.Time, bool) {
	// The in-force days of each protocol are a union of windows, so the
	// latest day of their intersection is the last day of some window, or
	// the day before until.
	candidates := []time.Time{until.AddDate(0, 0, -1)}
	for _, e := range p.Endpoints {
		if _, end, ok := e.Window(); ok && slices.Contains(protos, e.Protocol) {
			candidates = append(candidates, end.AddDate(0, 0, -1))
		}
	}
	var best time.Time
	found := false
	for _, day := range candidates {
		if day.Before(from) || !day.Before(until) || (found && !day.After(best)) {
			continue
		}
		all := true
		for _, proto := range protos {
			all = all && len(p.InForce(proto, day)) > 0
		}
		if all {
			best, found = day, true
		}
	}
	return best, found
}

// Fact returns the fact with the given id, or nil.
func (p *Provider) Fact(id string) *Fact {
	for _, f := range p.Facts {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Endpoint returns the endpoint with the given id, or nil.
func (p *Provider) Endpoint(id string) *Endpoint {
	for _, e := range p.Endpoints {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// ProviderIDs lists the providers' ids, sorted, for "choose one of" hints.
func (kb *KB) ProviderIDs() []string {
	ids := make([]string, len(kb.Providers))
	for i, p := range kb.Providers {
		ids[i] = p.ID
	}
	sort.Strings(ids)
	return ids
}

// ClientIDs lists the clients' ids, sorted.
func (kb *KB) ClientIDs() []string {
	ids := make([]string, len(kb.Clients))
	for i, c := range kb.Clients {
		ids[i] = c.ID
	}
	sort.Strings(ids)
	return ids
}

// Provider returns the provider with the given id, or nil.
func (kb *KB) Provider(id string) *Provider {
	for _, p := range kb.Providers {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Client returns the client with the given id, or nil.
func (kb *KB) Client(id string) *Client {
	for _, c := range kb.Clients {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Supports reports whether the client can use proto.
func (c *Client) Supports(proto Protocol) bool {
	for _, p := range c.Protocols {
		if p == proto {
			return true
		}
	}
	return false
}

// Citations lists every source the provider's data cites, each once, in
// the order first cited: its bibliography.
func (p *Provider) Citations() []*Source {
	var out []*Source
	seen := map[*Source]bool{}
	add := func(ss ...*Source) {
		for _, s := range ss {
			if s != nil && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	for _, f := range p.FormerNames {
		add(f.Sources...)
	}
	add(p.DomainSources...)
	for _, e := range p.Eras {
		add(e.Sources...)
	}
	for _, e := range p.Endpoints {
		add(e.Sources...)
		for _, v := range e.Verified {
			add(v.Source)
		}
	}
	for _, f := range p.Facts {
		add(f.Sources...)
		for _, v := range f.Verified {
			add(v.Source)
		}
	}
	for _, d := range p.Disputes {
		for _, c := range d.Claims {
			add(c.Sources...)
		}
	}
	for _, e := range p.Errata {
		add(e.SeenIn...)
	}
	for _, e := range p.Troubleshooting {
		add(e.Sources...)
	}
	for _, e := range p.FAQ {
		add(e.Sources...)
	}
	return out
}
