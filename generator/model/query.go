package model

import (
	"sort"
	"time"
)

// evidenceSpan returns the first and last dates that show e was
// published: its verifications, or, where it has none, the dates of the
// sources it cites. OK is false when there are none.
func (e *Endpoint) evidenceSpan() (first, last time.Time, ok bool) {
	see := func(t time.Time) {
		if !ok || t.Before(first) {
			first = t
		}
		if !ok || t.After(last) {
			last = t
		}
		ok = true
	}
	for _, v := range e.Verified {
		see(v.Date.Start())
	}
	if !ok {
		for _, s := range e.Sources {
			if !s.Date.IsZero() {
				see(s.Date.Start())
			}
		}
	}
	return first, last, ok
}

// Evidence returns the first and last dates that show e was published,
// as precisely as the sources give them: its verifications, or, where it
// has none, the dates of the sources it cites. OK is false when there are
// none.
func (e *Endpoint) Evidence() (first, last Date, ok bool) {
	see := func(d Date) {
		if !ok || d.Before(first) {
			first = d
		}
		if !ok || last.Before(d) {
			last = d
		}
		ok = true
	}
	for _, v := range e.Verified {
		see(v.Date)
	}
	if !ok {
		for _, s := range e.Sources {
			if !s.Date.IsZero() {
				see(s.Date)
			}
		}
	}
	return first, last, ok
}

// EndKnown reports whether the day e stopped being published is known
// exactly: an until that is not "by". An ended endpoint without one was
// last seen on its last evidence; when it stopped is not known.
func (e *Endpoint) EndKnown() bool { return !e.Until.IsZero() && !e.UntilBy }

// Window is the span in which e can be placed on a timeline: [Start, End).
// A known From or Until is used as written. An unknown start is taken as the
// first evidence of the endpoint (for a current endpoint that nothing dates,
// today: the day the question is asked, from which on it is known to be in
// force, and no earlier), an unknown end of an ended
// endpoint as the day after its last evidence: mailkb does not claim more
// than its sources show. OK is false when nothing dates the endpoint at all.
func (e *Endpoint) Window(today time.Time) (start, end time.Time, ok bool) {
	first, last, evidenced := e.evidenceSpan()
	switch {
	case !e.From.IsZero():
		start = e.From.Start()
	case evidenced:
		start = first
	case e.Status == Current && !today.IsZero():
		start = today
	default:
		return start, end, false
	}
	switch {
	case !e.Until.IsZero():
		end = e.Until.Start()
	case e.Status == Current || e.Status == "":
		end = farFuture
	case evidenced:
		end = last.AddDate(0, 0, 1)
	default:
		return start, end, false
	}
	if end.Before(start) {
		end = start
	}
	return start, end, true
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// InForceOn reports whether e was the published setting on day t, asked
// on day today (see Window).
func (e *Endpoint) InForceOn(t, today time.Time) bool {
	s, end, ok := e.Window(today)
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
func (e *Endpoint) Key() EndpointKey { return EndpointKey{e.Protocol, e.Host, e.Port, e.URL} }

// EndpointKey is a protocol, host and port (and the address of one
// reached at a URL): one server across its periods.
type EndpointKey struct {
	Protocol Protocol
	Host     string
	Port     int
	URL      string
}

// sortPreferred orders alternatives: the one preferred (on day t, or now
// when t is zero) first, then by port.
func sortPreferred(es []*Endpoint, t time.Time) {
	pref := func(e *Endpoint) bool {
		if t.IsZero() {
			return e.PreferredNow()
		}
		return e.PreferredOn(t)
	}
	sort.SliceStable(es, func(i, j int) bool {
		if a, b := pref(es[i]), pref(es[j]); a != b {
			return a
		}
		return es[i].Port < es[j].Port
	})
}

// PreferredOn reports whether e was the first choice among its
// alternatives on day t.
func (e *Endpoint) PreferredOn(t time.Time) bool {
	if e.Preferred {
		return true
	}
	for _, p := range e.PreferredDuring {
		if p.Contains(t) {
			return true
		}
	}
	return false
}

// PreferredNow reports whether e is the first choice today: preferred for
// its whole period, or in a preferred period that has not ended.
func (e *Endpoint) PreferredNow() bool {
	if e.Preferred {
		return true
	}
	for _, p := range e.PreferredDuring {
		if p.Until.IsZero() {
			return true
		}
	}
	return false
}

// Overlaps reports whether two periods as written share a day: an unknown
// from is open to the past, an absent until to the future.
func (p Period) Overlaps(o Period) bool {
	before := func(from, until Date) bool {
		return from.IsZero() || until.IsZero() || from.Start().Before(until.Start())
	}
	return before(p.From, o.Until) && before(o.From, p.Until)
}

// Contains reports whether day t lies in the period as written: an
// unknown from is open to the past, an absent until to the future.
func (p Period) Contains(t time.Time) bool {
	return (p.From.IsZero() || !t.Before(p.From.Start())) && (p.Until.IsZero() || t.Before(p.Until.Start()))
}

// InForce returns the endpoints of protocol proto published on day t,
// preferred first. It places every endpoint; a caller with many questions
// about one provider asks its Timeline instead.
func (p *Provider) InForce(proto Protocol, t, today time.Time) []*Endpoint {
	var out []*Endpoint
	for _, e := range p.Endpoints {
		if e.Protocol == proto && e.InForceOn(t, today) {
			out = append(out, e)
		}
	}
	sortPreferred(out, t)
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
		sortPreferred(group, time.Time{})
		out = append(out, group...)
	}
	return out
}

// MailServers keeps the endpoints of the classic mail protocols (IMAP,
// POP3, SMTP, HTTPMail), in their order: what a settings table lists.
func MailServers(es []*Endpoint) []*Endpoint {
	var out []*Endpoint
	for _, e := range es {
		if e.Protocol.MailServer() {
			out = append(out, e)
		}
	}
	return out
}

// OtherWaysIn keeps the endpoints of the other protocols (Exchange, EWS,
// Graph …), in their order.
func OtherWaysIn(es []*Endpoint) []*Endpoint {
	var out []*Endpoint
	for _, e := range es {
		if !e.Protocol.MailServer() {
			out = append(out, e)
		}
	}
	return out
}

// LatestInForce returns the last day within [from, until) on which the
// provider published an endpoint of every protocol in protos, and false if
// there is none. A guide uses it to show one coherent set of settings:
// incoming and outgoing as they stood on the same day.
func (p *Provider) LatestInForce(protos []Protocol, from, until, today time.Time) (time.Time, bool) {
	return p.Timeline(today).LatestInForce(protos, from, until)
}

// Timeline is a provider's endpoints placed in time once (each endpoint's
// Window), for callers that ask many questions of one provider: each
// answer then costs a pass over one protocol's windows, or less, instead
// of placing every endpoint again.
type Timeline struct {
	placed map[Protocol][]placed // each protocol's placed endpoints, in the provider's order
	// recordEnd is where the provider's record ends: the last end of any
	// endpoint's window (far in the future while one is current).
	recordEnd time.Time
}

type placed struct {
	e *Endpoint
	span
}

// span is the half-open stretch [start, end).
type span struct{ start, end time.Time }

func (s span) contains(t time.Time) bool { return !t.Before(s.start) && t.Before(s.end) }

// Timeline places p's endpoints as known on day today (see Window). It
// reads them as they are now: a provider's endpoints changed later need a
// new Timeline.
func (p *Provider) Timeline(today time.Time) *Timeline {
	tl := &Timeline{placed: map[Protocol][]placed{}}
	for _, e := range p.Endpoints {
		if start, end, ok := e.Window(today); ok {
			tl.placed[e.Protocol] = append(tl.placed[e.Protocol], placed{e, span{start, end}})
			if end.After(tl.recordEnd) {
				tl.recordEnd = end
			}
		}
	}
	return tl
}

// LastKnown answers for a day t on which no endpoint of proto is in
// force, inside the provider's record: the endpoints of proto last known
// before t — those whose windows ended last — when their end is not known
// (they were last seen then; nothing says they stopped). A page shows them
// marked as last known instead of saying there was no server. It returns
// nothing when an endpoint is in force on t, when the last ones ended on a
// known day, or after the provider's record ends.
func (tl *Timeline) LastKnown(proto Protocol, t time.Time) []*Endpoint {
	if !t.Before(tl.recordEnd) {
		return nil
	}
	var latest time.Time
	var out []*Endpoint
	for _, w := range tl.placed[proto] {
		switch {
		case w.contains(t):
			return nil
		case w.end.After(t):
		case w.end.After(latest):
			latest, out = w.end, []*Endpoint{w.e}
		case w.end.Equal(latest):
			out = append(out, w.e)
		}
	}
	for _, e := range out {
		if e.EndKnown() {
			return nil
		}
	}
	sortPreferred(out, latest.AddDate(0, 0, -1))
	return out
}

// InForce is Provider.InForce: the endpoints of proto published on day t,
// preferred first.
func (tl *Timeline) InForce(proto Protocol, t time.Time) []*Endpoint {
	var out []*Endpoint
	for _, w := range tl.placed[proto] {
		if w.contains(t) {
			out = append(out, w.e)
		}
	}
	sortPreferred(out, t)
	return out
}

// LatestInForce is Provider.LatestInForce. The days on which a protocol
// was published are the union of its endpoints' windows; the days on which
// all of protos were are the intersection of those unions, and the answer
// is the last day of that intersection within [from, until). Unions and
// intersection are sweeps over sorted windows, so the question costs
// O(n log n) for n endpoints, not a pass over all of them for each day
// that could be the answer.
func (tl *Timeline) LatestInForce(protos []Protocol, from, until time.Time) (time.Time, bool) {
	common := []span{{from, until}}
	for _, proto := range protos {
		common = intersect(common, tl.union(proto))
	}
	// The answer is the day before an end: of a window, or of the range.
	// Both can fall in the last stretch when until is not a day's start.
	for i := len(common) - 1; i >= 0; i-- {
		s := common[i]
		var best time.Time
		found := false
		for _, day := range []time.Time{s.end.AddDate(0, 0, -1), until.AddDate(0, 0, -1)} {
			if s.contains(day) && (!found || day.After(best)) {
				best, found = day, true
			}
		}
		if found {
			return best, true
		}
	}
	return time.Time{}, false
}

// union returns the stretches in which some endpoint of proto was in
// force, sorted and disjoint.
func (tl *Timeline) union(proto Protocol) []span {
	ws := make([]span, 0, len(tl.placed[proto]))
	for _, w := range tl.placed[proto] {
		if w.start.Before(w.end) {
			ws = append(ws, w.span)
		}
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].start.Before(ws[j].start) })
	var out []span
	for _, w := range ws {
		if n := len(out); n > 0 && !w.start.After(out[n-1].end) {
			if w.end.After(out[n-1].end) {
				out[n-1].end = w.end
			}
			continue
		}
		out = append(out, w)
	}
	return out
}

// intersect returns the stretches in both a and b, each sorted and
// disjoint.
func intersect(a, b []span) []span {
	var out []span
	for i, j := 0, 0; i < len(a) && j < len(b); {
		s := span{a[i].start, a[i].end}
		if b[j].start.After(s.start) {
			s.start = b[j].start
		}
		if b[j].end.Before(s.end) {
			s.end = b[j].end
		}
		if s.start.Before(s.end) {
			out = append(out, s)
		}
		if a[i].end.Before(b[j].end) {
			i++
		} else {
			j++
		}
	}
	return out
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

// NameOn is what the provider was called on day t: the former name whose
// period holds t (one written without a period holds no day), else its
// name.
func (p *Provider) NameOn(t time.Time) string {
	for _, f := range p.FormerNames {
		if (!f.From.IsZero() || !f.Until.IsZero()) && f.Period.Contains(t) {
			return f.Name
		}
	}
	return p.Name
}
