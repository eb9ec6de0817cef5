package site

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"

	"mailkb/generator/model"
)

// funcs are the helpers templates may call.
func (b *builder) funcs() template.FuncMap {
	return template.FuncMap{
		// md and mdInline render markdown from data fields; raw HTML in it
		// is dropped by the renderer, so the result is safe to mark as HTML.
		"md": func(s string) (template.HTML, error) {
			h, err := b.md.Block(s)
			return template.HTML(h), err
		},
		"mdInline": func(s string) (template.HTML, error) {
			h, err := b.md.Inline(s)
			return template.HTML(h), err
		},
		"period":       periodText,
		"checkedHow":   checkedHow,
		"lastVerified": func(e *model.Endpoint) *model.Verification { return e.LastVerified() },
		"successor":    currentSuccessor,
		"abs":          b.urls.Abs,
		"anchor":       anchor,
		"year":         func(d model.Date) int { return d.Y },
		"authLabels":   authLabels,
		"hostLink":     b.hostLink,
		"domainPeriod": domainPeriod,
		"lowerFirst":   lower,
		"hasSuffix":    strings.HasSuffix,
		// signsInOnPage: the methods are all ones the provider's own page
		// handles (OAuth2), none typed into the program.
		"signsInOnPage": func(as []model.Auth) bool {
			return len(as) > 0 && !slices.ContainsFunc(as, func(a model.Auth) bool { return a != model.OAuth2 })
		},
		"protoLabels": func(ps []model.Protocol) string {
			out := make([]string, len(ps))
			for i, p := range ps {
				out[i] = p.Label()
			}
			return strings.Join(out, ", ")
		},
		"join":        strings.Join,
		"jsonLD":      jsonLD,
		"protocolsOf": protocolsOf,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key, value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"guideFor": func(c *model.Client) []*Guide {
			return b.guidesFor(func(g *Guide) bool { return g.Client == c })
		},
	}
}

// periodText describes when an endpoint was published, saying plainly
// what is known and how: a day a source gives for the change ("From 16
// September 2013"), or only evidence ("In force by 23 January 2014",
// "until some time after June 2019").
func periodText(e *model.Endpoint) string {
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

// authLabels lists sign-in methods in a reader's words, as a phrase that
// can stand on its own: "Normal password, app password or OAuth2".
func authLabels(as []model.Auth) string {
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

// hostLink shows an endpoint's host: a link to its page with a copy
// button, or, for a host made from the user's domain, the pattern and an
// example.
func (b *builder) hostLink(e *model.Endpoint) template.HTML {
	if e.HostIsTemplate() {
		example := model.FillPlaceholders(e.Host, model.ExampleLocalPart, e.ExampleDomain())
		return template.HTML(`<code>` + html.EscapeString(e.Host) + `</code> <small>(` + html.EscapeString(model.DomainPlaceholder) +
			` is the part of your address after the @: for an address at ` + html.EscapeString(e.ExampleDomain()) + `, <code>` + html.EscapeString(example) + `</code>)</small>`)
	}
	h := html.EscapeString(e.Host)
	// Only a value in use gets a Copy button: one copies what to type.
	copy := ""
	if e.Status == model.Current {
		copy = ` data-copy="` + h + `"`
	}
	return template.HTML(`<a class="host" href="` + html.EscapeString(b.urls.Host(e.Host)) + `"` + copy + `><code>` + h + `</code></a>`)
}

// domainPeriod says when a provider served a domain, or "" when it did
// throughout.
func domainPeriod(p model.Period) string {
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

// checkedHow says in a reader's words how a value was last checked.
func checkedHow(m model.Method) string {
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

// Preferred reports whether row e is the first choice of its protocol on
// the table's day, among other rows of that protocol: a tag on the only
// server of a protocol would tell the reader nothing.
func (t *Table) Preferred(e *model.Endpoint) bool {
	if !e.PreferredOn(t.AsOf.Start()) {
		return false
	}
	for _, o := range t.Rows {
		if o != e && o.Protocol == e.Protocol {
			return true
		}
	}
	return false
}
