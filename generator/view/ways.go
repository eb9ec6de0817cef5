package view

import (
	"mailkb/generator/urls"
	"slices"
	"time"

	"mailkb/generator/model"
)

// Ways is what a current guide shows first: how its client adds an
// account at its provider today, from the client's documented setups and
// what the servers accept.
type Ways struct {
	URLs     urls.URLs
	Client   *model.Client
	Provider *model.Provider
	Protocol model.Protocol
	Working  []model.Way // easiest first
	Broken   []model.Way // documented ways the servers no longer allow
	Accepted []model.Auth
	// Elsewhere are working ways of the client that make another kind of
	// account (a provider button that gives IMAP-like sync, not POP3):
	// no answer to this guide, but a working account.
	Elsewhere []OtherWay
}

// OtherWay is a working way to add the account for another protocol.
type OtherWay struct {
	model.Way
	Protocol model.Protocol
}

// WaysFor works out a guide's ways on day t, asked today.
func WaysFor(u urls.URLs, c *model.Client, p *model.Provider, proto model.Protocol, t, today time.Time) *Ways {
	w := &Ways{URLs: u, Client: c, Provider: p, Protocol: proto}
	for _, way := range c.WaysIn(p, proto, t, today) {
		if way.Works() {
			w.Working = append(w.Working, way)
		} else {
			w.Broken = append(w.Broken, way)
		}
	}
	for _, q := range c.Protocols {
		if q == proto || !q.Incoming() {
			continue
		}
		for _, way := range c.WaysIn(p, q, t, today) {
			if way.Works() && !way.Setup.Answers(proto) && !slices.ContainsFunc(w.Elsewhere, func(o OtherWay) bool { return o.Setup == way.Setup }) {
				w.Elsewhere = append(w.Elsewhere, OtherWay{way, q})
			}
		}
	}
	for _, e := range GuideServers(p, proto, t, today) {
		if w.Accepted == nil {
			w.Accepted = append([]model.Auth{}, e.Auth...)
			continue
		}
		w.Accepted = slices.DeleteFunc(w.Accepted, func(a model.Auth) bool { return !slices.Contains(e.Auth, a) })
	}
	if len(w.Working)+len(w.Broken) == 0 {
		return nil
	}
	return w
}

// GuideServers are the first choices of the protocols a guide for proto
// sets up, on day t.
func GuideServers(p *model.Provider, proto model.Protocol, t, today time.Time) []*model.Endpoint {
	var out []*model.Endpoint
	for _, q := range GuideProtocols(proto) {
		if es := p.InForce(q, t, today); len(es) > 0 {
			out = append(out, es[0])
		}
	}
	return out
}

// Checklist is the short list above a settings table: what to switch on
// first, how to sign in and what the user name is, from the data.
type Checklist struct {
	Provider *model.Provider
	Access   []*model.Fact // switch access on first: facts in force with a place to do it
	SignIn   []model.Auth  // what the servers accept
	Servers  []*model.Endpoint
}

// PasswordRefused reports whether no server of the list takes a typed
// password: the program must sign in on the provider's page.
func (c *Checklist) PasswordRefused() bool {
	for _, a := range c.SignIn {
		if a.UsesPassword() {
			return false
		}
	}
	return len(c.SignIn) > 0
}

// Usernames are the distinct user name forms of the servers, each with
// the protocols that use it.
func (c *Checklist) Usernames() []UsernameForm {
	var out []UsernameForm
	for _, e := range c.Servers {
		form := UsernameForm{Label: e.UsernameLabel(), Note: e.UsernameNote}
		if i := slices.IndexFunc(out, func(u UsernameForm) bool { return u.Label == form.Label && u.Note == form.Note }); i >= 0 {
			out[i].Protocols = append(out[i].Protocols, e.Protocol)
			continue
		}
		form.Protocols = []model.Protocol{e.Protocol}
		out = append(out, form)
	}
	return out
}

// UsernameForm is one form of user name and where it is used.
type UsernameForm struct {
	Label, Note string // Note is markdown
	Protocols   []model.Protocol
}

// NewChecklist gathers the list for servers in force on day t; protos limits
// the access facts to those about the protocols shown (all when empty).
func NewChecklist(p *model.Provider, servers []*model.Endpoint, t time.Time) *Checklist {
	c := &Checklist{Provider: p, Servers: servers}
	protos := map[model.Protocol]bool{}
	for _, e := range servers {
		protos[e.Protocol] = true
		if c.SignIn == nil {
			c.SignIn = append([]model.Auth{}, e.Auth...)
			continue
		}
		c.SignIn = slices.DeleteFunc(c.SignIn, func(a model.Auth) bool { return !slices.Contains(e.Auth, a) })
	}
	for _, f := range p.Facts {
		if f.Kind != "access" || f.Where == "" || !f.Period.Contains(t) {
			continue
		}
		if slices.ContainsFunc(f.Protocols, func(q model.Protocol) bool { return protos[q] }) {
			c.Access = append(c.Access, f)
		}
	}
	if len(servers) == 0 {
		return nil
	}
	return c
}
