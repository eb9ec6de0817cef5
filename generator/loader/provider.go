package loader

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"mailkb/generator/diag"
	"mailkb/generator/model"
	"mailkb/generator/strictyaml"
)

var providerKeys = []string{"id", "name", "summary", "former_names", "domains", "domain_sources", "related",
	"eras", "endpoints", "facts", "disputes", "errata", "troubleshooting", "faq", "sources"}

var endpointKeys = []string{"id", "protocol", "host", "port", "path", "url", "ews_url", "owa_url", "security", "auth", "username",
	"username_note", "from", "until", "status", "replaced_by", "preferred", "note", "unusual", "sources", "verified"}

func (l *loader) provider(d *strictyaml.Decoder, n *yaml.Node, base string) {
	o := d.Object(n, "provider", providerKeys...)
	p := &model.Provider{ID: o.ID("id", strictyaml.MaxNameID), Name: o.Str("name", true), Summary: o.Str("summary", true), File: d.File}
	checkFileID(d, o, p.ID, base)
	if l.kb.Provider(p.ID) != nil && p.ID != "" {
		d.Errorf(o.Get("id"), "provider %q is defined twice", p.ID)
	}
	l.kb.Providers = append(l.kb.Providers, p)
	l.sourceList(d, o)

	// Slices are sized up front: reference resolution keeps pointers into them.
	formerItems := o.List("former_names", false)
	p.FormerNames = make([]model.FormerName, len(formerItems))
	for i, item := range formerItems {
		fo := d.Object(item, "former name", "name", "from", "until", "sources")
		p.FormerNames[i] = model.FormerName{Name: fo.Str("name", true), Period: l.period(d, fo)}
		l.cite(d, fo.Strs("sources", true), &p.FormerNames[i].Sources)
	}
	seenDomain := map[string]bool{}
	for _, item := range o.List("domains", true) {
		name, pd, n := l.domain(d, item)
		switch {
		case n == nil:
		case !model.ValidHostname(name):
			d.Errorf(n, "%q is not a mail domain; write it in lower case, like example.com", name)
		case seenDomain[name]:
			d.Errorf(n, "domain %q is listed twice", name)
		default:
			seenDomain[name] = true
			p.Domains = append(p.Domains, name)
			if pd != (model.Period{}) {
				if p.DomainPeriods == nil {
					p.DomainPeriods = map[string]model.Period{}
				}
				p.DomainPeriods[name] = pd
			}
			// Autoconfig and Autodiscover answer with one configuration
			// per domain: at any time a domain belongs to one provider.
			for _, first := range l.domains[name] {
				if first.period.Overlaps(pd) {
					d.Errorf(n, "domain %q is already claimed by provider %q at %s for the same time; a mail domain belongs to one provider — remove it from one of them, or give each claim its period (from/until)", name, first.provider, first.pos)
					break
				}
			}
			l.domains[name] = append(l.domains[name], domainClaim{p.ID, d.Pos(n), pd})
		}
	}
	l.citeRequired(d, o, "domain_sources", &p.DomainSources)

	for _, item := range o.List("related", false) {
		ro := d.Object(item, "related provider", "provider", "note")
		idNode, note := ro.Get("provider"), ro.Str("note", false)
		id := ro.Str("provider", true)
		i := len(p.Related)
		p.Related = append(p.Related, model.Related{Note: note})
		if idNode != nil && !badRef(d, idNode, "related provider", id, strictyaml.MaxNameID) {
			l.links = append(l.links, func() {
				if q := l.kb.Provider(id); q != nil && q != p {
					p.Related[i].Provider = q
				} else {
					d.Errorf(idNode, "related provider %q does not exist; %s", id, diag.Suggest(id, l.kb.ProviderIDs()))
				}
			})
		}
	}
	eraItems := o.List("eras", false)
	l.duplicateIDs(d, "era", eraItems)
	p.Eras = make([]model.Era, len(eraItems))
	for i, item := range eraItems {
		eo := d.Object(item, "era", "id", "name", "from", "until", "summary", "sources")
		p.Eras[i] = model.Era{ID: eo.ID("id", strictyaml.MaxID), Name: eo.Str("name", true), Period: l.period(d, eo),
			Summary: eo.Str("summary", true)}
		l.cite(d, eo.Strs("sources", true), &p.Eras[i].Sources)
	}

	epItems := o.List("endpoints", true)
	l.duplicateIDs(d, "endpoint", epItems)
	nodes := map[*model.Endpoint]endpointNodes{}
	// byID finds the endpoints references name without a scan per
	// reference; the first of a repeated id wins, as in p.Endpoint.
	byID := map[string]*model.Endpoint{}
	for _, item := range epItems {
		e, n := l.endpoint(d, item, p, byID)
		nodes[e] = n
		p.Endpoints = append(p.Endpoints, e)
		if _, dup := byID[e.ID]; !dup {
			byID[e.ID] = e
		}
	}
	l.checks = append(l.checks, func() { checkEndpoints(d, p, nodes) })

	factItems := o.List("facts", false)
	l.duplicateIDs(d, "fact", factItems)
	for _, item := range factItems {
		fo := d.Object(item, "fact", "id", "title", "kind", "text", "protocols", "where", "url", "from", "until", "sources", "verified")
		f := &model.Fact{ID: fo.ID("id", strictyaml.MaxID), Title: fo.Str("title", true),
			Kind: fo.Enum("kind", true, "access", "authentication", "limits", "security", "other"),
			Text: fo.Str("text", true), Protocols: protocols(fo.Enums("protocols", false, model.ProtocolNames()...)),
			Where: fo.Str("where", false), URL: fo.Str("url", false), Period: l.period(d, fo),
			Verified: l.verifications(d, fo), Pos: d.Pos(item)}
		p.Facts = append(p.Facts, f)
		l.cite(d, fo.Strs("sources", true), &f.Sources)
	}

	disputeItems := o.List("disputes", false)
	l.duplicateIDs(d, "dispute", disputeItems)
	p.Disputes = make([]model.Dispute, len(disputeItems))
	for i, item := range disputeItems {
		do := d.Object(item, "dispute", "id", "question", "claims", "verdict", "endpoints")
		p.Disputes[i] = model.Dispute{ID: do.ID("id", strictyaml.MaxID), Question: do.Str("question", true), Verdict: do.Str("verdict", true)}
		dp := &p.Disputes[i]
		claims := do.List("claims", true)
		if len(claims) == 1 {
			d.Errorf(claims[0], "a dispute needs at least two claims; for a single wrong value use errata")
		}
		dp.Claims = make([]model.Claim, len(claims))
		for i, c := range claims {
			co := d.Object(c, "claim", "says", "sources")
			dp.Claims[i].Says = co.Str("says", true)
			l.cite(d, co.Strs("sources", true), &dp.Claims[i].Sources)
		}
		for _, r := range do.Strs("endpoints", false) {
			if badRef(d, r.Node, "endpoint", r.ID, strictyaml.MaxID) {
				continue
			}
			l.links = append(l.links, func() {
				if e := byID[r.ID]; e != nil {
					dp.Endpoints = append(dp.Endpoints, e)
				} else {
					d.Errorf(r.Node, "endpoint %q does not exist in provider %q; %s", r.ID, p.ID, diag.Suggest(r.ID, endpointIDs(p)))
				}
			})
		}
	}

	errItems := o.List("errata", false)
	l.duplicateIDs(d, "erratum", errItems)
	p.Errata = make([]model.Erratum, len(errItems))
	for i, item := range errItems {
		eo := d.Object(item, "erratum", "id", "field", "wrong", "right", "endpoint", "seen_in", "why")
		p.Errata[i] = model.Erratum{ID: eo.ID("id", strictyaml.MaxID), Field: eo.Enum("field", true, "host", "port", "security", "auth"),
			Wrong: eo.Str("wrong", true), Right: eo.Str("right", true), Why: eo.Str("why", true)}
		er := &p.Errata[i]
		if er.Wrong != "" && er.Wrong == er.Right {
			d.Errorf(eo.Get("right"), "wrong and right are both %q; an erratum records a value that differs", er.Wrong)
		}
		l.cite(d, eo.Strs("seen_in", true), &er.SeenIn)
		if en := eo.Get("endpoint"); en != nil {
			id := eo.Str("endpoint", false)
			if badRef(d, en, "endpoint", id, strictyaml.MaxID) {
				continue
			}
			l.links = append(l.links, func() {
				if e := byID[id]; e != nil {
					er.Endpoint = e
				} else {
					d.Errorf(en, "endpoint %q does not exist in provider %q; %s", id, p.ID, diag.Suggest(id, endpointIDs(p)))
				}
			})
		}
	}
	p.Troubleshooting = l.entries(d, o, "troubleshooting", "problem", "fix")
	p.FAQ = l.entries(d, o, "faq", "question", "answer")
}

// entries reads a list of question/answer pairs under the given key names.
func (l *loader) entries(d *strictyaml.Decoder, o *strictyaml.Object, key, q, a string) []model.Entry {
	items := o.List(key, false)
	l.duplicateIDs(d, key+" entry", items)
	out := make([]model.Entry, len(items))
	for i, item := range items {
		eo := d.Object(item, key+" entry", "id", q, a, "sources")
		out[i] = model.Entry{ID: eo.ID("id", strictyaml.MaxID), Question: eo.Str(q, true), Answer: eo.Str(a, true)}
		l.cite(d, eo.Strs("sources", true), &out[i].Sources)
	}
	return out
}

// endpointNodes are the YAML nodes errors about an endpoint point at.
type endpointNodes struct {
	item, replacedBy *yaml.Node
}

func (l *loader) endpoint(d *strictyaml.Decoder, item *yaml.Node, p *model.Provider, byID map[string]*model.Endpoint) (*model.Endpoint, endpointNodes) {
	eo := d.Object(item, "endpoint", endpointKeys...)
	e := &model.Endpoint{ID: eo.ID("id", strictyaml.MaxID), Provider: p,
		Protocol:     model.Protocol(eo.Enum("protocol", true, model.ProtocolNames()...)),
		Path:         eo.Str("path", false),
		Auth:         auths(eo.Enums("auth", true, model.AuthNames()...)),
		Username:     username(d, eo),
		UsernameNote: eo.Str("username_note", false), Period: l.period(d, eo),
		Status: model.Status(eo.Enum("status", false, "current", "legacy", "retired", "withdrawn")),
		Note:   eo.Str("note", false), Unusual: eo.Str("unusual", false),
		Verified: l.verifications(d, eo), Pos: d.Pos(item)}
	e.Preferred, e.PreferredDuring = l.preferred(d, eo, e.Period)
	if e.Status == "" {
		e.Status = model.Current
	}
	if e.Protocol.AtURL() {
		urlEndpoint(d, eo, e)
	} else {
		serverEndpoint(d, eo, e)
	}
	switch {
	case e.Path != "" && e.Protocol != model.HTTPMail:
		d.Errorf(eo.Get("path"), "path is only for httpmail endpoints; remove it")
	case e.Path != "" && !strings.HasPrefix(e.Path, "/"):
		d.Errorf(eo.Get("path"), "path %q must start with /", e.Path)
	}
	if e.Username == model.OtherName && e.UsernameNote == "" {
		d.Errorf(eo.Get("username"), "username is %q; add username_note saying what to enter", e.Username)
	}
	if !e.Until.IsZero() && e.Status == model.Current {
		d.Errorf(eo.Get("until"), "endpoint has until %s but status current; set status: legacy (still answers), retired (gone) or withdrawn (not known)", e.Until)
	}
	l.cite(d, eo.Strs("sources", true), &e.Sources)
	rn := eo.Get("replaced_by")
	if id := eo.Str("replaced_by", false); rn != nil && !badRef(d, rn, "replaced_by", id, strictyaml.MaxID) {
		l.links = append(l.links, func() {
			r := byID[id]
			switch {
			case r == nil:
				d.Errorf(rn, "replaced_by %q is not an endpoint of provider %q; %s", id, p.ID, diag.Suggest(id, endpointIDs(p)))
			case r == e:
				d.Errorf(rn, "an endpoint cannot replace itself")
			default:
				e.ReplacedBy = r
			}
		})
	}
	return e, endpointNodes{item, rn}
}

// domain reads one item of `domains`: a name, or a mapping with the name
// and the period in which the provider served it.
func (l *loader) domain(d *strictyaml.Decoder, item *yaml.Node) (string, model.Period, *yaml.Node) {
	if item.Kind == yaml.ScalarNode {
		name, ok := d.Scalar(item, "domains")
		if !ok {
			return "", model.Period{}, nil
		}
		return name, model.Period{}, item
	}
	do := d.Object(item, "domain", "domain", "from", "until")
	n := do.Get("domain")
	name := do.Str("domain", true)
	pd := l.period(d, do)
	if n == nil {
		return "", pd, nil
	}
	return name, pd, n
}

// serverEndpoint reads the host, port and encryption of an endpoint that
// a program reaches by name and port (IMAP, POP3, SMTP, HTTPMail and an
// Exchange server). The host may depend on the user's address:
// mail.%EMAILDOMAIN%.
func serverEndpoint(d *strictyaml.Decoder, eo *strictyaml.Object, e *model.Endpoint) {
	e.Host = eo.Str("host", true)
	e.Security = model.Security(eo.Enum("security", true, "tls", "starttls", "none"))
	if e.Host != "" && !model.ValidHost(e.Host) {
		d.Errorf(eo.Get("host"), "host %q is not a valid hostname; write it in lower case with its full domain (like imap.example.com), or with %s standing for the user's domain (like mail.%s)",
			e.Host, model.DomainPlaceholder, model.DomainPlaceholder)
	}
	port, pn := eo.Int("port", true)
	if pn != nil && (port < 1 || port > 65535) {
		d.Errorf(pn, "port %d is out of range; ports run 1–65535", port)
	}
	e.Port = port
	for _, key := range []string{"url", "ews_url", "owa_url"} {
		n := eo.Get(key)
		switch {
		case n == nil:
		case key == "url":
			d.Errorf(n, "url is for the protocols reached at a web address (%s); a %s server has host and port", atURLNames(), e.Protocol)
		case e.Protocol != model.Exchange:
			d.Errorf(n, "%s is only for exchange endpoints; remove it", key)
		case key == "ews_url":
			e.EWSURL = webURL(d, n, eo.Str(key, false))
		default:
			e.OWAURL = webURL(d, n, eo.Str(key, false))
		}
	}
}

// urlEndpoint reads an endpoint reached at a web address (EWS, Graph …):
// its host, port and encryption are the URL's.
func urlEndpoint(d *strictyaml.Decoder, eo *strictyaml.Object, e *model.Endpoint) {
	for _, key := range []string{"host", "port", "security", "ews_url", "owa_url"} {
		if n := eo.Get(key); n != nil {
			d.Errorf(n, "a %s endpoint is reached at its url, which gives host, port and encryption; remove %s", e.Protocol, key)
		}
	}
	n := eo.Get("url")
	if n == nil {
		eo.Missing("url")
		return
	}
	e.URL = webURL(d, n, eo.Str("url", true))
	if e.URL != "" {
		e.Host, e.Port, e.Security, _ = model.WebAddress(e.URL)
	}
}

// webURL checks an http(s) address with a valid host name.
func webURL(d *strictyaml.Decoder, n *yaml.Node, s string) string {
	if _, _, _, ok := model.WebAddress(s); !ok {
		d.Errorf(n, "%q is not a web address; write it as https://host/path", s)
		return ""
	}
	return s
}

func atURLNames() string {
	var names []string
	for _, p := range model.Protocols {
		if p.AtURL() {
			names = append(names, string(p))
		}
	}
	return strings.Join(names, ", ")
}

// username reads the form of the login name: a keyword, or a template
// with the address placeholders, kept as written.
func username(d *strictyaml.Decoder, eo *strictyaml.Object) model.Username {
	s := eo.Str("username", true)
	switch model.Username(s) {
	case model.EmailAddress, model.LocalPart, model.OtherName, "":
		return model.Username(s)
	}
	if !model.HasPlaceholder(s) {
		d.Errorf(eo.Get("username"), "%q is not a valid username; write email-address, local-part, other (with a username_note), or a template such as %%EMAILLOCALPART%%.%%EMAILDOMAIN%%", s)
		return ""
	}
	return model.Username(s)
}

// preferred reads `preferred`: true for the endpoint's whole period, or a
// list of the periods in which it was the first choice among its
// alternatives.
func (l *loader) preferred(d *strictyaml.Decoder, eo *strictyaml.Object, whole model.Period) (bool, []model.Period) {
	n := eo.Get("preferred")
	if n == nil || n.Kind == yaml.ScalarNode {
		return eo.Bool("preferred"), nil
	}
	var out []model.Period
	for _, item := range eo.List("preferred", false) {
		po := d.Object(item, "preferred period", "from", "until")
		pd := l.period(d, po)
		if pd.From.IsZero() && pd.Until.IsZero() {
			d.Errorf(item, "a preferred period needs from or until; for the whole period write preferred: true")
		}
		if (!whole.From.IsZero() && !pd.From.IsZero() && pd.From.Start().Before(whole.From.Start())) ||
			(!whole.Until.IsZero() && !pd.Until.IsZero() && whole.Until.Start().Before(pd.Until.Start())) {
			d.Errorf(item, "this preferred period reaches outside the endpoint's own period; keep it within from and until")
		}
		out = append(out, pd)
	}
	return false, out
}

// checkEndpoints applies the rules that involve several endpoints: one
// server's periods must not overlap, among alternatives in force together
// at most one is preferred, and replaced_by never leads back to where it
// started. Each rule sorts or groups the endpoints once, so that a
// provider of 10,000 endpoints is checked in well under a second.
func checkEndpoints(d *strictyaml.Decoder, p *model.Provider, nodes map[*model.Endpoint]endpointNodes) {
	var keys []model.EndpointKey // in order of first appearance, for a stable report
	byKey := map[model.EndpointKey][]*model.Endpoint{}
	var protos []model.Protocol
	preferred := map[model.Protocol][]span{}
	for i, e := range p.Endpoints {
		if _, seen := byKey[e.Key()]; !seen {
			keys = append(keys, e.Key())
		}
		byKey[e.Key()] = append(byKey[e.Key()], e)
		if spans := preferredSpans(e, i); len(spans) > 0 {
			if _, seen := preferred[e.Protocol]; !seen {
				protos = append(protos, e.Protocol)
			}
			preferred[e.Protocol] = append(preferred[e.Protocol], spans...)
		}
		if e.ReplacedBy != nil && e.Status == model.Current {
			d.Errorf(nodes[e].item, "endpoint %q is current but replaced_by %q; set status legacy or retired and an until date if known", e.ID, e.ReplacedBy.ID)
		}
	}
	for _, k := range keys {
		overlapping(byKey[k], func(a, b *model.Endpoint) {
			d.Errorf(nodes[b].item, "endpoint %q (%s %s:%d) overlaps %q (line %d) in time; one server's periods must not overlap — set until on the earlier one to the from of the later",
				b.ID, b.Protocol, b.Host, b.Port, a.ID, a.Pos.Line)
		})
	}
	for _, proto := range protos {
		overlappingSpans(preferred[proto], func(a, b *model.Endpoint) {
			d.Errorf(nodes[b].item, "endpoints %q and %q are alternatives in force together and both preferred; mark only one preferred", a.ID, b.ID)
		})
	}
	replacementCycles(d, p, nodes)
}

// span is an endpoint's period as a half-open interval of Unix seconds,
// an open end standing at the far end of the line.
type span struct {
	start, end int64
	e          *model.Endpoint
	order      int // position in the file
}

func spanOf(e *model.Endpoint, order int) span { return periodSpan(e.Period, e, order) }

func periodSpan(p model.Period, e *model.Endpoint, order int) span {
	s := span{start: math.MinInt64, end: math.MaxInt64, e: e, order: order}
	if !p.From.IsZero() {
		s.start = p.From.Start().Unix()
	}
	if !p.Until.IsZero() {
		s.end = p.Until.Start().Unix()
	}
	return s
}

// preferredSpans are the stretches in which e is preferred: its period,
// or each preferred period within it.
func preferredSpans(e *model.Endpoint, order int) []span {
	if e.Preferred {
		return []span{spanOf(e, order)}
	}
	whole := spanOf(e, order)
	var out []span
	for _, p := range e.PreferredDuring {
		s := periodSpan(p, e, order)
		s.start, s.end = max(s.start, whole.start), min(s.end, whole.end)
		out = append(out, s)
	}
	return out
}

// overlapping calls report(a, b) for endpoints of es (in file order) whose
// periods overlap, a before b in the file. Every endpoint that overlaps an
// earlier-starting one is reported once, with the one reaching furthest:
// sorting by start makes that the only candidate, so the work is
// O(n log n) rather than a comparison of every pair.
func overlapping(es []*model.Endpoint, report func(a, b *model.Endpoint)) {
	spans := make([]span, len(es))
	for i, e := range es {
		spans[i] = spanOf(e, i)
	}
	overlappingSpans(spans, report)
}

// overlappingSpans is overlapping for spans made by the caller (one
// endpoint may have several: its preferred periods).
func overlappingSpans(spans []span, report func(a, b *model.Endpoint)) {
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].order < spans[j].order
	})
	// reach[i] is the span among spans[:i+1] that ends last, leaving out
	// empty ones (from equal to until): they overlap nothing that starts
	// at or after them.
	reach := make([]int, len(spans))
	for i, s := range spans {
		reach[i] = -1
		if i > 0 {
			reach[i] = reach[i-1]
		}
		if s.start < s.end && (reach[i] < 0 || s.end > spans[reach[i]].end) {
			reach[i] = i
		}
	}
	for i, cur := range spans {
		// The spans that can overlap cur and start no later than it: those
		// before it, or for an empty (or reversed, already reported) span,
		// those starting before its end.
		n := i
		if cur.end <= cur.start {
			n = sort.Search(i, func(j int) bool { return spans[j].start >= cur.end })
		}
		if n == 0 || reach[n-1] < 0 {
			continue
		}
		if other := spans[reach[n-1]]; other.e != cur.e && other.end > cur.start && other.start < cur.end {
			if other.order < cur.order {
				report(other.e, cur.e)
			} else {
				report(cur.e, other.e)
			}
		}
	}
}

// replacementCycles reports each chain of replaced_by that comes back to
// an endpoint it passed (a → b → a): the site could never say which
// endpoint is the current one. Each endpoint is visited once.
func replacementCycles(d *strictyaml.Decoder, p *model.Provider, nodes map[*model.Endpoint]endpointNodes) {
	const (
		unvisited = iota
		onPath
		done
	)
	state := map[*model.Endpoint]int{}
	for _, start := range p.Endpoints {
		var path []*model.Endpoint
		e := start
		for e != nil && state[e] == unvisited {
			state[e] = onPath
			path = append(path, e)
			e = e.ReplacedBy
		}
		if e != nil && state[e] == onPath {
			cycle := path[slices.Index(path, e):]
			first := slices.MinFunc(cycle, func(a, b *model.Endpoint) int { return a.Pos.Line - b.Pos.Line })
			at := slices.Index(cycle, first)
			names := make([]string, 0, len(cycle)+1)
			for i := range len(cycle) + 1 {
				names = append(names, strconv.Quote(cycle[(at+i)%len(cycle)].ID))
			}
			d.Errorf(nodes[first].replacedBy, "replaced_by goes round in a circle: %s; the chain must end at an endpoint that nothing replaces (remove replaced_by from the newest one)",
				strings.Join(names, " → "))
		}
		for _, e := range path {
			state[e] = done
		}
	}
}

// badRef reports a reference that cannot be an id at all, and so gets no
// "did you mean" hint made from it.
func badRef(d *strictyaml.Decoder, n *yaml.Node, what, id string, max int) bool {
	if problem := strictyaml.IDProblem(id, max); problem != "" {
		d.Errorf(n, "%s %s", what, problem)
		return true
	}
	return false
}

func endpointIDs(p *model.Provider) []string {
	ids := make([]string, len(p.Endpoints))
	for i, e := range p.Endpoints {
		ids[i] = e.ID
	}
	return ids
}

func (l *loader) client(d *strictyaml.Decoder, n *yaml.Node, base string) {
	o := d.Object(n, "client", "id", "name", "vendor", "platforms", "from", "until", "protocols", "auth", "summary", "ui", "setup", "sources")
	c := &model.Client{ID: o.ID("id", strictyaml.MaxNameID), Name: o.Str("name", true), Vendor: o.Str("vendor", true),
		Protocols: protocols(o.Enums("protocols", true, model.ProtocolNames()...)), Auth: auths(o.Enums("auth", true, model.AuthNames()...)),
		Summary: o.Str("summary", true), UI: map[string]string{}, File: d.File}
	checkFileID(d, o, c.ID, base)
	for _, r := range o.Strs("platforms", true) {
		c.Platforms = append(c.Platforms, r.ID)
	}
	c.Period = l.period(d, o)
	if c.From.IsZero() && o.Get("from") == nil {
		o.Missing("from")
	}
	if ui := o.Get("ui"); ui != nil {
		if ui.Kind != yaml.MappingNode {
			d.Errorf(ui, "ui must be a mapping of key: label lines, found %s", strictyaml.KindName(ui))
		} else {
			seen := map[string]int{}
			for i := 0; i+1 < len(ui.Content); i += 2 {
				k, v := ui.Content[i], strictyaml.Resolve(ui.Content[i+1])
				if line, dup := seen[k.Value]; dup {
					d.Errorf(k, "ui key %q is repeated (first at line %d); keep one", k.Value, line)
					continue
				}
				seen[k.Value] = k.Line
				if !strictyaml.IDPattern.MatchString(strings.ReplaceAll(k.Value, "_", "-")) {
					d.Errorf(k, "ui key %q must be lower-case letters, digits and _", k.Value)
				}
				if s, ok := d.Scalar(v, k.Value); ok {
					if strings.TrimSpace(s) == "" {
						d.Errorf(v, "ui label %q is empty; remove the key or give the label", k.Value)
					}
					c.UI[k.Value] = s
				}
			}
		}
	}
	l.setups(d, o, c)
	l.cite(d, o.Strs("sources", true), &c.Sources)
	if l.kb.Client(c.ID) != nil && c.ID != "" {
		d.Errorf(o.Get("id"), "client %q is defined twice", c.ID)
	}
	l.kb.Clients = append(l.kb.Clients, c)
}
