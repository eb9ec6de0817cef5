package view

import (
	"fmt"
	"slices"
	"strings"

	"mailkb/generator/model"
)

// PeriodText describes when an endpoint was published, saying plainly
// what is known and how: a day a source gives for the change ("From 16
// September 2013"), or only evidence ("In force by 23 January 2014",
// "until some time after June 2019").
func PeriodText(e *model.Endpoint) string {
	first, last, evidenced := e.Evidence()
	var from string
	exactFrom := !e.From.IsZero() && !e.FromBy
	switch {
	case exactFrom:
		from = "From " + e.From.Human()
	case !e.From.IsZero():
		from = "In force by " + e.From.Human()
	case evidenced:
		from = "In force by " + first.Human()
	default:
		from = "From an unknown date"
	}
	switch {
	case e.Status == model.Current && exactFrom:
		return "Since " + e.From.Human()
	case e.Status == model.Current:
		return from + ", and still current"
	case e.EndKnown():
		return from + " until " + e.Until.Human()
	case e.UntilBy && evidenced && last.Start().Before(e.Until.Start()):
		return fmt.Sprintf("%s, until some time after %s (no longer listed on %s)", from, last.Human(), e.Until.Human())
	case e.UntilBy:
		return from + ", until some time before " + e.Until.Human()
	case evidenced:
		return from + ", until some time after " + last.Human() + " (last confirmed then)"
	}
	return from + ", until an unknown date"
}

// AuthLabels lists sign-in methods in a reader's words, as a phrase that
// can stand on its own: "Normal password, app password or OAuth2".
func AuthLabels(as []model.Auth) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Label()
	}
	s := strings.Join(out, ", ")
	if i := strings.LastIndex(s, ", "); i >= 0 {
		s = s[:i] + " or " + s[i+2:]
	}
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// DomainPeriod says when a provider served a domain, or "" when it did
// throughout.
func DomainPeriod(p model.Period) string {
	switch {
	case p.From.IsZero() && p.Until.IsZero():
		return ""
	case p.Until.IsZero():
		return "since " + p.From.Human()
	case p.From.IsZero():
		return "until " + p.Until.Human()
	}
	return p.From.Human() + " to " + p.Until.Human()
}

// CheckedHow says in a reader's words how a value was last checked.
func CheckedHow(m model.Method) string {
	switch m {
	case model.Published:
		return "as a source published it"
	case model.Manual:
		return "tried by hand"
	case model.Probe:
		return "by connecting to it"
	}
	return string(m)
}

// andList joins "a", "a and b", "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Lower lowers the first letter of a phrase that authLabels capitalised,
// unless it starts an acronym (OAuth2, NTLM).
func Lower(s string) string {
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s
	}
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// LastVerified is the newest verification across es.
func LastVerified(es []*model.Endpoint) *model.Verification {
	var last *model.Verification
	for _, e := range es {
		if v := e.LastVerified(); v != nil && (last == nil || last.Date.Before(v.Date)) {
			last = v
		}
	}
	return last
}

// ProtocolsOf lists the distinct protocols of endpoints, in their order.
func ProtocolsOf(es []*model.Endpoint) []model.Protocol {
	var out []model.Protocol
	for _, e := range es {
		if !slices.Contains(out, e.Protocol) {
			out = append(out, e.Protocol)
		}
	}
	return out
}
