package view

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"mailkb/generator/model"
)

// Event is one dated change or check on the history timeline, the feed
// and the home page, told in plain words.
type Event struct {
	Date     model.Date
	Provider *model.Provider
	// Name is what the provider was called on the day (a former name
	// before a rename).
	Name     string
	Kind     string // era, published, changed, ended, checked, fact, fact-ended
	Title    string
	Endpoint *model.Endpoint // the server the event is about, when one
	Fact     *model.Fact
	Sources  []*model.Source
	Key      string // stable identity, for feed entry ids and anchors
}

var kindOrder = map[string]int{"era": 0, "changed": 1, "published": 2, "fact": 3, "checked": 4, "ended": 5, "fact-ended": 6}

// Events lists every dated event of the knowledge base, oldest first.
// Values without a date stay off the timeline; their pages say so
// instead.
func Events(kb *model.KB) []Event {
	var out []Event
	for _, p := range kb.Providers {
		out = append(out, providerEvents(p)...)
	}
	for i := range out {
		out[i].Name = out[i].Provider.NameOn(out[i].Date.Start())
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

func providerEvents(p *model.Provider) []Event {
	var out []Event
	for _, era := range p.Eras {
		if !era.From.IsZero() {
			out = append(out, Event{Date: era.From, Provider: p, Kind: "era", Title: era.Name + " begins",
				Sources: era.Sources, Key: p.ID + "/era/" + era.ID})
		}
	}
	// A server replaced on the day its successor starts is one change,
	// told once, from the successor's side too.
	told := map[*model.Endpoint]bool{}
	for _, e := range p.Endpoints {
		if r := e.ReplacedBy; r != nil && !e.Until.IsZero() && r.From == e.Until {
			told[r] = true
			out = append(out, Event{Date: e.Until, Provider: p, Kind: "changed", Endpoint: r, Title: change(e, r),
				Sources: citedBoth(e, r), Key: p.ID + "/" + e.ID + "/until"})
			continue
		}
		if !e.Until.IsZero() {
			title := capitalise(serverName(e)) + portOf(e) + " " + ending(e)
			if e.ReplacedBy != nil {
				title += "; its successor is " + place(e.ReplacedBy)
			}
			out = append(out, Event{Date: e.Until, Provider: p, Kind: "ended", Endpoint: e, Title: title,
				Sources: e.Sources, Key: p.ID + "/" + e.ID + "/until"})
		}
	}
	for _, e := range p.Endpoints {
		if e.From.IsZero() || told[e] {
			continue
		}
		title := "New " + serverName(e) + details(e)
		if e.FromBy {
			title = "First record of the " + serverName(e) + details(e)
		}
		out = append(out, Event{Date: e.From, Provider: p, Kind: "published", Endpoint: e, Title: title,
			Sources: e.Sources, Key: p.ID + "/" + e.ID + "/from"})
	}
	out = append(out, checks(p)...)
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
	return out
}

// checks turns verifications into events, one for each day, person and
// way of checking: a source that lists five servers on one day is one
// event, not five.
func checks(p *model.Provider) []Event {
	type group struct {
		first    *model.Verification
		servers  []*model.Endpoint
		sources  []*model.Source
		keyIndex int
	}
	var order []string
	groups := map[string]*group{}
	for _, e := range p.Endpoints {
		for i := range e.Verified {
			v := &e.Verified[i]
			k := fmt.Sprintf("%s|%s|%s", v.Date, v.Method, v.By)
			g := groups[k]
			if g == nil {
				g = &group{first: v, keyIndex: i}
				groups[k] = g
				order = append(order, k)
			}
			if !slices.Contains(g.servers, e) {
				g.servers = append(g.servers, e)
			}
			if v.Source != nil && !slices.Contains(g.sources, v.Source) {
				g.sources = append(g.sources, v.Source)
			}
		}
	}
	var out []Event
	for _, k := range order {
		g := groups[k]
		v := g.first
		var what string
		switch v.Method {
		case model.Published:
			what = "Listed by " + v.By
		case model.Probe:
			what = "Probed by " + v.By
		default:
			what = "Checked by " + v.By
		}
		ev := Event{Date: v.Date, Provider: p, Kind: "checked", Sources: g.sources,
			Key: fmt.Sprintf("%s/%s/verified/%d", p.ID, g.servers[0].ID, g.keyIndex)}
		if len(g.servers) == 1 {
			ev.Endpoint = g.servers[0]
		}
		ev.Title = what + ": " + serverList(g.servers)
		out = append(out, ev)
	}
	return out
}

// ending says how a server's period ended: known only from when sources
// stopped listing it, or on a known day, as a switch-off (retired), a
// withdrawal, or its stepping down from being the published setting.
func ending(e *model.Endpoint) string {
	switch {
	case !e.EndKnown():
		return "no longer listed"
	case e.Status == model.Retired:
		return "switched off"
	case e.Status == model.Withdrawn:
		return "withdrawn"
	}
	return "no longer the published setting"
}

// portOf is " (port N)" for a server reached by name and port: one host
// may serve a protocol on two ports, which end on different days.
func portOf(e *model.Endpoint) string {
	if e.URL != "" {
		return ""
	}
	return fmt.Sprintf(" (port %d)", e.Port)
}

// serverList names a few servers, or counts many.
func serverList(es []*model.Endpoint) string {
	if len(es) > 3 {
		var protos []string
		for _, e := range es {
			if l := e.Protocol.Label(); !slices.Contains(protos, l) {
				protos = append(protos, l)
			}
		}
		return fmt.Sprintf("%d servers (%s)", len(es), andList(protos))
	}
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = "the " + serverName(e) + portOf(e)
	}
	return andList(names)
}

// serverName is "IMAP server imap.example.com", or for a service at a
// web address, "Microsoft Graph at https://…".
func serverName(e *model.Endpoint) string {
	if e.URL != "" {
		return e.Protocol.Label() + " at " + e.URL
	}
	return e.Protocol.Label() + " server " + e.HostLabel()
}

// place is where a server is: host and port, or its web address.
func place(e *model.Endpoint) string {
	if e.URL != "" {
		return e.URL
	}
	return fmt.Sprintf("%s port %d", e.HostLabel(), e.Port)
}

// details adds port, encryption and sign-in, for a server's first event.
func details(e *model.Endpoint) string {
	if e.URL != "" {
		return " (sign-in: " + Lower(AuthLabels(e.Auth)) + ")"
	}
	return fmt.Sprintf(" (port %d, %s, sign-in: %s)", e.Port, e.Security.Label(), Lower(AuthLabels(e.Auth)))
}

// change says in plain words what became different when old was replaced
// by next: "IMAP server moved from a.example to b.example", "sign-in on
// the SMTP server x changed from normal password to OAuth2".
func change(old, next *model.Endpoint) string {
	if old.Protocol != next.Protocol {
		return capitalise(serverName(old)) + " replaced by the " + serverName(next) + details(next)
	}
	var parts []string
	subject := capitalise(serverName(old))
	if old.Host != next.Host || old.URL != next.URL {
		parts = append(parts, fmt.Sprintf("%s server moved from %s to %s", old.Protocol.Label(), place(old), place(next)))
		subject = ""
	} else if old.Port != next.Port {
		parts = append(parts, fmt.Sprintf("port changed from %d to %d", old.Port, next.Port))
	}
	if old.Security != next.Security {
		parts = append(parts, fmt.Sprintf("encryption changed from %s to %s", old.Security.Label(), next.Security.Label()))
	}
	if !slices.Equal(old.Auth, next.Auth) {
		parts = append(parts, signInChange(old.Auth, next.Auth))
	}
	if old.Username != next.Username {
		parts = append(parts, fmt.Sprintf("user name changed from %s to %s", Lower(old.UsernameLabel()), Lower(next.UsernameLabel())))
	}
	if len(parts) == 0 {
		parts = append(parts, "listed again with the same settings")
	}
	text := strings.Join(parts, "; ")
	if subject == "" {
		return capitalise(text)
	}
	return subject + ": " + text
}

// signInChange says how the accepted sign-in methods changed.
func signInChange(old, next []model.Auth) string {
	var gone, added []model.Auth
	for _, a := range old {
		if !slices.Contains(next, a) {
			gone = append(gone, a)
		}
	}
	for _, a := range next {
		if !slices.Contains(old, a) {
			added = append(added, a)
		}
	}
	switch {
	case len(added) == 0 && len(gone) > 0:
		return fmt.Sprintf("sign-in changed from %s to %s only", Lower(AuthLabels(old)), Lower(AuthLabels(next)))
	case len(gone) == 0 && len(added) > 0:
		return fmt.Sprintf("sign-in changed: %s accepted too", Lower(AuthLabels(added)))
	}
	return fmt.Sprintf("sign-in changed from %s to %s", Lower(AuthLabels(old)), Lower(AuthLabels(next)))
}

func citedBoth(a, b *model.Endpoint) []*model.Source {
	out := append([]*model.Source{}, a.Sources...)
	for _, s := range b.Sources {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
