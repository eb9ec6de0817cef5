package site

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/diag"
	"mailkb/generator/model"
)

// planGuides decides which guide pages exist: for every guide source,
// every provider × incoming protocol that its client supports and that the
// provider published while the client was current. Each shows the settings
// of one day: the guide's as_of, or the last day in the client's current
// years on which the provider published that protocol.
func (b *builder) planGuides() error {
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
			timelines[p] = p.Timeline(b.today)
		}
		return timelines[p]
	}
	latest := func(p *model.Provider, proto model.Protocol, from, until time.Time) (time.Time, bool) {
		k := eraKey{p, proto, from, until}
		d, seen := memo[k]
		if !seen {
			d.t, d.ok = timeline(p).LatestInForce(guideProtocols(proto), from, until)
			memo[k] = d
		}
		return d.t, d.ok
	}
	for _, src := range b.sources {
		if src.Kind != content.Guide {
			continue
		}
		c := b.kb.Client(src.Client)
		if c == nil {
			errs.Add(src.Pos["client"], "client %q does not exist; add data/clients/%s.yaml or %s", src.Client, src.Client, diag.Suggest(src.Client, b.kb.ClientIDs()))
			continue
		}
		providers := b.kb.Providers
		if len(src.Providers) > 0 {
			providers = nil
			for _, id := range src.Providers {
				// A provider this knowledge base lacks gets no page; lint warns.
				if p := b.kb.Provider(id); p != nil {
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
		from, until := c.From.Start(), b.today.AddDate(0, 0, 1)
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
				g := &Guide{Source: src, Client: c, Provider: p, Protocol: proto, AsOf: asOf, URL: b.urls.Guide(c, p, proto)}
				g.AsOfDate = asOfLabel(timeline(p), guideProtocols(proto), asOf)
				// A guide is historical when its settings are no longer
				// published, or its program is no longer current.
				g.Historical = historical(timeline(p).InForce(proto, asOf), b.today) || (!c.Until.IsZero() && !c.Until.Start().After(b.today))
				b.guides = append(b.guides, g)
			}
		}
	}
	errs = append(errs, b.titleGuides()...)
	b.currentGuides = map[guideKey][]*Guide{}
	byURL := map[string]*Guide{}
	for _, g := range b.guides {
		if h, dup := byURL[g.URL]; dup {
			errs.Add(model.Pos{File: g.Source.File}, "guide %s is also made by %s; keep one guide source per client", g.URL, h.Source.File)
		}
		byURL[g.URL] = g
	}
	sort.SliceStable(b.guides, func(i, j int) bool {
		a, c := b.guides[i], b.guides[j]
		if a.Client.Name != c.Client.Name {
			return a.Client.Name < c.Client.Name
		}
		if a.Provider.Name != c.Provider.Name {
			return a.Provider.Name < c.Provider.Name
		}
		return slices.Index(model.Protocols, a.Protocol) < slices.Index(model.Protocols, c.Protocol)
	})
	for _, g := range b.guides {
		if !g.Historical {
			k := guideKey{g.Provider, g.Protocol}
			b.currentGuides[k] = append(b.currentGuides[k], g)
		}
	}
	return errs.Err()
}

// works reports whether the guide's program can add the account today in
// a way its maker documents; a program that documents none is given the
// benefit of the doubt.
func (g *Guide) works(today time.Time) bool {
	ways := g.Client.WaysIn(g.Provider, g.Protocol, today, today)
	return len(ways) == 0 || slices.ContainsFunc(ways, model.Way.Works)
}

func (g *Guide) scope() scope {
	return scope{provider: g.Provider, client: g.Client, protocol: g.Protocol, asOf: g.AsOf}
}

// titleGuides expands every guide's title before any page is rendered, so
// that lists and cross-links can show them. Where one source makes several
// protocol pages for a provider, the protocol tells them apart.
func (b *builder) titleGuides() diag.ErrorList {
	var errs diag.ErrorList
	count := map[[2]any]int{}
	for _, g := range b.guides {
		count[[2]any{g.Source, g.Provider}]++
	}
	for _, g := range b.guides {
		x := &expansion{b: b, sc: g.scope()}
		g.Title = x.plain(g.Source.Title)
		errs = append(errs, x.errs...)
		if count[[2]any{g.Source, g.Provider}] > 1 {
			g.Title += " (" + g.Protocol.Label() + ")"
		}
	}
	return errs
}

// asOfLabel is the day a guide shows, as precisely as the sources that
// date it: a day taken from evidence dated only "2010" reads "2010", not
// "1 January 2010".
func asOfLabel(tl *model.Timeline, protos []model.Protocol, day time.Time) model.Date {
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

// guideKey indexes guides by provider and protocol.
type guideKey struct {
	provider *model.Provider
	protocol model.Protocol
}

// guideProtocols are the protocols a guide for proto sets up: the incoming
// one and SMTP to send, except HTTPMail, which did both.
func guideProtocols(proto model.Protocol) []model.Protocol {
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

// guidePage renders one guide, with the current guide for the same client
// and provider linked when this one is historical.
func (b *builder) guidePage(g *Guide) error {
	key := b.memoKey("guide", b.providerKey(g.Provider), hexDigest(g.Source.Digest), b.guideListKey())
	if b.reuse(g.URL, key) {
		return nil
	}
	r, err := b.renderBody(g.Source, g.scope())
	if err != nil {
		return err
	}
	pg := b.page("guide", g.Title, g.URL, Crumb{"Guides", b.urls.Guides()}, Crumb{g.Client.Name, b.urls.Client(g.Client)})
	pg.Guide, pg.Provider, pg.Client, pg.Body, pg.Historical = g, g.Provider, g.Client, r.Body, g.Historical
	pg.memoKey = key
	pg.Description = g.Source.Description
	if pg.Description == "" {
		pg.Description = fmt.Sprintf("Step by step: %s in %s with %s.", g.Provider.Name, g.Client.Name, g.Protocol.Label())
	}
	pg.Incoming = g.Provider.InForce(g.Protocol, g.AsOf, b.today)
	if g.Protocol != model.HTTPMail {
		pg.Outgoing = g.Provider.InForce(model.SMTP, g.AsOf, b.today)
	}
	if !g.Historical {
		pg.Ways = waysFor(b.urls, g.Client, g.Provider, g.Protocol, g.AsOf, b.today)
		pg.Checklist = checklist(g.Provider, guideServers(g.Provider, g.Protocol, g.AsOf, b.today), g.AsOf)
	}
	if !r.HasSettings {
		pg.Table = b.table(append(append([]*model.Endpoint{}, pg.Incoming...), pg.Outgoing...), g.AsOf)
	}
	// For a historical guide: the current guides for the same provider and
	// protocol, the same client's first if it has one.
	for _, o := range b.currentGuides[guideKey{g.Provider, g.Protocol}] {
		if o != g && o.works(b.today) {
			pg.Guides = append(pg.Guides, o)
		}
	}
	sort.SliceStable(pg.Guides, func(i, j int) bool { return pg.Guides[i].Client == g.Client && pg.Guides[j].Client != g.Client })
	return b.emit(pg)
}
