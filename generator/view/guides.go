package view

import (
	"slices"
	"sort"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/diag"
	"mailkb/generator/model"
	"mailkb/generator/urls"
)

// Guide is one client × provider × protocol tutorial page: what it
// shows and where. The pages package fills in its Title.
type Guide struct {
	Source     *content.Source
	Client     *model.Client
	Provider   *model.Provider
	Protocol   model.Protocol
	AsOf       time.Time
	AsOfDate   model.Date // AsOf as precisely as the sources date it
	Title      string
	URL        string
	Historical bool // shows settings no longer published
}

// Article is a free-standing content page, as lists show it.
type Article struct {
	Title, Description, URL string
	Weight                  int
}

// PlanGuides decides which guide pages exist: for every guide source,
// every provider × incoming protocol that its client supports and that the
// provider published while the client was current. Each shows the settings
// of one day: the guide's as_of, or the last day in the client's current
// years on which the provider published that protocol.
func PlanGuides(kb *model.KB, sources []*content.Source, today time.Time, u urls.URLs) ([]*Guide, diag.ErrorList) {
	var errs diag.ErrorList
	// Clients of one era share the answer; work it out once per provider,
	// protocol and era.
	type eraKey struct {
		p           *model.Provider
		proto       model.Protocol
		from, until time.Time
	}
	type day struct {
		t  time.Time
		ok bool
	}
	memo := map[eraKey]day{}
	// Every guide of a provider asks about the same endpoints: place them once.
	timelines := map[*model.Provider]*model.Timeline{}
	timeline := func(p *model.Provider) *model.Timeline {
		if timelines[p] == nil {
			timelines[p] = p.Timeline(today)
		}
		return timelines[p]
	}
	latest := func(p *model.Provider, proto model.Protocol, from, until time.Time) (time.Time, bool) {
		k := eraKey{p, proto, from, until}
		d, seen := memo[k]
		if !seen {
			d.t, d.ok = timeline(p).LatestInForce(GuideProtocols(proto), from, until)
			memo[k] = d
		}
		return d.t, d.ok
	}
	var guides []*Guide
	for _, src := range sources {
		if src.Kind != content.Guide {
			continue
		}
		c := kb.Client(src.Client)
		if c == nil {
			errs.Add(src.Pos["client"], "client %q does not exist; add data/clients/%s.yaml or %s", src.Client, src.Client, diag.Suggest(src.Client, kb.ClientIDs()))
			continue
		}
		providers := kb.Providers
		if len(src.Providers) > 0 {
			providers = nil
			for _, id := range src.Providers {
				// A provider this knowledge base lacks gets no page; lint warns.
				if p := kb.Provider(id); p != nil {
					providers = append(providers, p)
				}
			}
		}
		protocols := src.Protocols
		explicit := len(protocols) > 0
		if !explicit {
			for _, p := range c.Protocols {
				if p.Incoming() {
					protocols = append(protocols, p)
				}
			}
		}
		from, until := c.From.Start(), today.AddDate(0, 0, 1)
		if !c.Until.IsZero() && c.Until.Start().Before(until) {
			until = c.Until.Start()
		}
		for _, p := range providers {
			for _, proto := range protocols {
				if !c.Supports(proto) {
					errs.Add(src.Pos["protocols"], "client %q does not support %s; remove it from protocols or add it to %s", c.ID, proto, c.File)
					continue
				}
				var asOf time.Time
				var ok bool
				if src.AsOf.IsZero() {
					asOf, ok = latest(p, proto, from, until)
				} else {
					asOf = src.AsOf.Start()
					ok = len(timeline(p).InForce(proto, asOf)) > 0
					if !ok {
						errs.Add(src.Pos["as_of"], "%s published no %s endpoint on %s; choose another as_of", p.Name, proto.Label(), src.AsOf)
					}
				}
				if !ok {
					continue // the provider never offered this protocol while the client was current
				}
				g := &Guide{Source: src, Client: c, Provider: p, Protocol: proto, AsOf: asOf, URL: u.Guide(c, p, proto)}
				g.AsOfDate = AsOfLabel(timeline(p), GuideProtocols(proto), asOf)
				// A guide is historical when its settings are no longer
				// published, or its program is no longer current.
				g.Historical = historical(timeline(p).InForce(proto, asOf), today) || (!c.Until.IsZero() && !c.Until.Start().After(today))
				guides = append(guides, g)
			}
		}
	}
	byURL := map[string]*Guide{}
	for _, g := range guides {
		if h, dup := byURL[g.URL]; dup {
			errs.Add(model.Pos{File: g.Source.File}, "guide %s is also made by %s; keep one guide source per client", g.URL, h.Source.File)
		}
		byURL[g.URL] = g
	}
	sort.SliceStable(guides, func(i, j int) bool {
		a, c := guides[i], guides[j]
		if a.Client.Name != c.Client.Name {
			return a.Client.Name < c.Client.Name
		}
		if a.Provider.Name != c.Provider.Name {
			return a.Provider.Name < c.Provider.Name
		}
		return slices.Index(model.Protocols, a.Protocol) < slices.Index(model.Protocols, c.Protocol)
	})
	return guides, errs
}

// CurrentGuides indexes the guides that show today's settings by
// provider and protocol, for the "what works today" links of historical
// guides.
func CurrentGuides(guides []*Guide) map[GuideKey][]*Guide {
	out := map[GuideKey][]*Guide{}
	for _, g := range guides {
		if !g.Historical {
			k := GuideKey{g.Provider, g.Protocol}
			out[k] = append(out[k], g)
		}
	}
	return out
}

// Works reports whether the guide's program can add the account today in
// a way its maker documents; a program that documents none is given the
// benefit of the doubt.
func (g *Guide) Works(today time.Time) bool {
	ways := g.Client.WaysIn(g.Provider, g.Protocol, today, today)
	return len(ways) == 0 || slices.ContainsFunc(ways, model.Way.Works)
}

// AsOfLabel is the day a guide shows, as precisely as the sources that
// date it: a day taken from evidence dated only "2010" reads "2010", not
// "1 January 2010".
func AsOfLabel(tl *model.Timeline, protos []model.Protocol, day time.Time) model.Date {
	for _, proto := range protos {
		for _, e := range tl.InForce(proto, day) {
			for _, v := range e.Verified {
				if v.Date.Precision != model.Day && v.Date.Start().Equal(day) {
					return v.Date
				}
			}
			for _, s := range e.Sources {
				if s.Date.Precision != model.Day && !s.Date.IsZero() && s.Date.Start().Equal(day) {
					return s.Date
				}
			}
		}
	}
	return model.DateOf(day)
}

// GuideKey indexes guides by provider and protocol.
type GuideKey struct {
	Provider *model.Provider
	Protocol model.Protocol
}

// GuideProtocols are the protocols a guide for proto sets up: the incoming
// one and SMTP to send, except HTTPMail, which did both.
func GuideProtocols(proto model.Protocol) []model.Protocol {
	if proto == model.HTTPMail {
		return []model.Protocol{proto}
	}
	return []model.Protocol{proto, model.SMTP}
}

// historical reports whether endpoints shown as of some day are no longer
// what the provider publishes today.
func historical(es []*model.Endpoint, today time.Time) bool {
	for _, e := range es {
		if e.Status != model.Current || !e.InForceOn(today, today) {
			return true
		}
	}
	return false
}
