package model

import (
	"slices"
	"time"
)

// SetupKind is how a mail program adds an account.
type SetupKind string

const (
	// ByButton: the program lists providers; the user picks one and signs
	// in on the provider's own page (iPhone Mail's "Outlook.com").
	ByButton SetupKind = "button"
	// ByAddress: the user types the address and the program finds the
	// servers itself (Thunderbird, Outlook's "Connect").
	ByAddress SetupKind = "address"
	// ByHand: the user types the server settings.
	ByHand SetupKind = "manual"
)

// Setup is one way a mail program adds an account, as its vendor
// documents it.
type Setup struct {
	ID    string
	Kind  SetupKind
	Label string // the button, or the step that starts it ("Outlook.com", "Connect")
	Where string // the path to it ("Settings → Apps → Mail → Mail Accounts → Add Account")
	// Providers this way serves; empty for any provider (a program that
	// looks settings up, or manual setup).
	Providers []*Provider
	SignIn    []Auth // how this way signs in
	// Protocols are the guides this way answers: a button or lookup that
	// makes its own kind of account (Exchange, the provider's sync) keeps
	// mail on the server like IMAP, and is no way to read mail by POP3.
	// Empty: every protocol.
	Protocols []Protocol
	// Unknown are provider ids the way names that the knowledge base does
	// not have: the way serves none of them here.
	Unknown []Ref
	Period
	Note    string
	Sources []*Source
	Pos     Pos
}

// Serves reports whether s is a way to add an account at p. A way for
// providers this knowledge base does not have serves none.
func (s *Setup) Serves(p *Provider) bool {
	return (len(s.Providers) == 0 && len(s.Unknown) == 0) || slices.Contains(s.Providers, p)
}

// Answers reports whether s is a way to set up an account that reads
// mail over proto.
func (s *Setup) Answers(proto Protocol) bool {
	return len(s.Protocols) == 0 || slices.Contains(s.Protocols, proto)
}

// Ref is an id written somewhere, and where.
type Ref struct {
	ID  string
	Pos Pos
}

// Way is a setup and whether it works for one provider on one day.
type Way struct {
	Setup *Setup
	// SignIn is how the account signs in this way, among what the
	// servers accept; empty when the way no longer works.
	SignIn []Auth
}

// Works reports whether the way leads to a working account.
func (w Way) Works() bool { return len(w.SignIn) > 0 }

// WaysIn lists the ways c adds an account at p on day t for the protocol
// proto (with SMTP to send), easiest first: provider buttons, then lookup
// by address, then by hand. A way works when the servers in force that
// day all accept a sign-in method it can do; a way that types a password
// can also take an app password where the servers accept one. today is
// the day the question is asked (see Endpoint.Window).
func (c *Client) WaysIn(p *Provider, proto Protocol, t, today time.Time) []Way {
	accepted := acceptedOn(p, proto, t, today)
	var out []Way
	for _, kind := range []SetupKind{ByButton, ByAddress, ByHand} {
		for i := range c.Setup {
			s := &c.Setup[i]
			if s.Kind != kind || !s.Serves(p) || !s.Period.Contains(t) || !s.Answers(proto) {
				continue
			}
			w := Way{Setup: s}
			for _, a := range accepted {
				if slices.Contains(s.SignIn, a) || (a == AppPassword && slices.Contains(s.SignIn, Password)) {
					w.SignIn = append(w.SignIn, a)
				}
			}
			out = append(out, w)
		}
	}
	return out
}

// acceptedOn is what every server a guide sets up accepts on day t: the
// first choice of proto and, for a protocol that only reads mail, of SMTP.
func acceptedOn(p *Provider, proto Protocol, t, today time.Time) []Auth {
	protos := []Protocol{proto}
	if proto == IMAP || proto == POP3 {
		protos = append(protos, SMTP)
	}
	var accepted []Auth
	for i, q := range protos {
		es := p.InForce(q, t, today)
		if len(es) == 0 {
			return nil
		}
		if i == 0 {
			accepted = append([]Auth{}, es[0].Auth...)
			continue
		}
		accepted = slices.DeleteFunc(accepted, func(a Auth) bool { return !slices.Contains(es[0].Auth, a) })
	}
	return accepted
}
