// Package provideryaml writes mailkb's model as the YAML of provider
// files: a new file, and the fields of endpoints, sources and
// verifications that an edit adds or sets in a file in place (see Edit,
// SetEndpointKey), laid out as the hand-written files are.
package provideryaml

import (
	"strconv"
	"strings"
	"unicode"

	"mailkb/generator/model"
	"mailkb/generator/yamledit"
)

// width is where written YAML lines wrap, as in the hand-written files.
const width = 96

func field(k, v string) yamledit.Field { return yamledit.Field{Key: k, Value: v} }

// SourceFields writes s; indent is as for EndpointFields.
func SourceFields(s *model.Source, indent int) []yamledit.Field {
	return []yamledit.Field{field("id", s.ID), field("title", yamledit.Scalar(s.Title)),
		field("publisher", yamledit.Scalar(s.Publisher)), field("url", yamledit.Scalar(s.URL)), field("note", prose(s.Note, indent))}
}

// EndpointFields writes e citing source: its values, its period (from, or
// else the from given, zero for "start unknown"), status, successor,
// preference and verifications. Prose goes on one line when indent is
// negative (an edit of a file whose indentation is not known here), else
// it wraps below a key at indent, and nested lists are written below
// their key.
func EndpointFields(e *model.Endpoint, source string, from model.Date, indent int) []yamledit.Field {
	fs := []yamledit.Field{field("id", e.ID), field("protocol", string(e.Protocol))}
	if e.Protocol.AtURL() {
		fs = append(fs, field("url", yamledit.Scalar(e.URL)))
	} else {
		fs = append(fs, field("host", yamledit.Scalar(e.Host)), field("port", strconv.Itoa(e.Port)), field("security", string(e.Security)))
	}
	if e.EWSURL != "" {
		fs = append(fs, field("ews_url", yamledit.Scalar(e.EWSURL)))
	}
	if e.OWAURL != "" {
		fs = append(fs, field("owa_url", yamledit.Scalar(e.OWAURL)))
	}
	fs = append(fs, field("auth", Auth(e.Auth)), field("username", yamledit.Scalar(string(e.Username))))
	if e.UsernameNote != "" {
		fs = append(fs, field("username_note", prose(e.UsernameNote, indent)))
	}
	switch {
	case !e.From.IsZero():
		fs = append(fs, field("from", Boundary(e.From, e.FromBy)))
	case !from.IsZero():
		fs = append(fs, field("from", from.String()))
	}
	if !e.Until.IsZero() {
		fs = append(fs, field("until", Boundary(e.Until, e.UntilBy)))
	}
	status := e.Status
	if status == "" {
		status = model.Current
	}
	fs = append(fs, field("status", string(status)))
	if e.ReplacedBy != nil {
		fs = append(fs, field("replaced_by", e.ReplacedBy.ID))
	}
	if v := Preference(e, indent); v != "" {
		fs = append(fs, field("preferred", v))
	}
	if e.Note != "" {
		fs = append(fs, field("note", prose(e.Note, indent)))
	}
	if e.Unusual != "" {
		fs = append(fs, field("unusual", prose(e.Unusual, indent)))
	}
	fs = append(fs, field("sources", flow([]string{source})))
	if len(e.Verified) > 0 && indent >= 0 {
		var items []string
		for _, v := range e.Verified {
			items = append(items, yamledit.Item(VerificationFields(v), indent+2))
		}
		fs = append(fs, field("verified", "\n"+strings.TrimSuffix(strings.Join(items, ""), "\n")))
	}
	return fs
}

// Preference writes e's preferred value: true for its whole period, the
// periods in which it was preferred (a list below a key at indent; none
// when indent is negative, as for EndpointFields), or "" when it never
// was.
func Preference(e *model.Endpoint, indent int) string {
	if e.Preferred {
		return "true"
	}
	if len(e.PreferredDuring) == 0 || indent < 0 {
		return ""
	}
	var items []string
	for _, p := range e.PreferredDuring {
		var pf []yamledit.Field
		if !p.From.IsZero() {
			pf = append(pf, field("from", Boundary(p.From, p.FromBy)))
		}
		if !p.Until.IsZero() {
			pf = append(pf, field("until", Boundary(p.Until, p.UntilBy)))
		}
		items = append(items, yamledit.Item(pf, indent+2))
	}
	return "\n" + strings.TrimSuffix(strings.Join(items, ""), "\n")
}

// VerificationFields writes one verification event.
func VerificationFields(v model.Verification) []yamledit.Field {
	fs := []yamledit.Field{field("date", v.Date.String()), field("method", string(v.Method)), field("by", yamledit.Scalar(v.By))}
	if v.Source != nil {
		fs = append(fs, field("source", v.Source.ID))
	}
	if v.Note != "" {
		fs = append(fs, field("note", yamledit.Scalar(v.Note)))
	}
	return fs
}

// Boundary writes one end of a period: a date, or "by" and a date.
func Boundary(d model.Date, by bool) string {
	if by {
		return "by " + d.String()
	}
	return d.String()
}

// Auth writes sign-in methods as the auth field has them, in their order:
// [password, oauth2].
func Auth(as []model.Auth) string {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = string(a)
	}
	return flow(names)
}

func flow(items []string) string { return "[" + strings.Join(items, ", ") + "]" }

// prose formats markdown text as the value of a key at column indent: one
// line when it fits and needs no quotes, else a folded block (>-) wrapped
// at width. Text with characters a block scalar cannot hold is quoted on
// one line.
func prose(s string, indent int) string {
	one := yamledit.Scalar(s)
	quoted := strings.HasPrefix(one, "'") || strings.HasPrefix(one, `"`)
	if indent < 0 || (indent+len(s) < width-10 && !quoted) || strings.IndexFunc(s, blockUnsafe) >= 0 {
		return one
	}
	pad := strings.Repeat(" ", indent+2)
	return ">-\n" + pad + strings.Join(Wrap(strings.Fields(s), width-len(pad), ""), "\n"+pad)
}

// blockUnsafe reports characters that YAML treats as line breaks or that
// it refuses unescaped.
func blockUnsafe(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff'
}

// Wrap fills words into lines of at most max bytes (a longer word gets
// its own line), joining words with sep+" ".
func Wrap(words []string, max int, sep string) []string {
	var lines []string
	line := ""
	for i, w := range words {
		if i < len(words)-1 {
			w += sep
		}
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= max:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// NewFile writes a new provider file in which everything cites one
// source: header (comment lines, each with its newline), then p's id,
// name, summary and domains, with source as their source, then its
// endpoints and facts, each citing source. add is the source entry to
// define in the file, or nil when source names one defined elsewhere.
func NewFile(header string, p *model.Provider, add *model.Source, source string) []byte {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("id: " + p.ID + "\n")
	b.WriteString("name: " + yamledit.Scalar(p.Name) + "\n")
	b.WriteString("summary: " + prose(p.Summary, 0) + "\n\n")
	if one := "domains: " + flow(p.Domains); len(one) <= width {
		b.WriteString(one + "\n")
	} else {
		b.WriteString("domains: [\n  " + strings.Join(Wrap(p.Domains, width-2, ","), "\n  ") + "\n]\n")
	}
	b.WriteString("domain_sources: " + flow([]string{source}) + "\n")
	if add != nil {
		b.WriteString("\nsources:\n")
		b.WriteString(yamledit.Item(SourceFields(add, 4), 2))
	}
	b.WriteString("\nendpoints:\n")
	for i, e := range p.Endpoints {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(yamledit.Item(EndpointFields(e, source, model.Date{}, 4), 2))
	}
	if len(p.Facts) > 0 {
		b.WriteString("\nfacts:\n")
	}
	for i, fact := range p.Facts {
		if i > 0 {
			b.WriteString("\n")
		}
		protos := make([]string, len(fact.Protocols))
		for i, p := range fact.Protocols {
			protos[i] = string(p)
		}
		fs := []yamledit.Field{field("id", fact.ID), field("title", yamledit.Scalar(fact.Title)), field("kind", fact.Kind),
			field("text", prose(fact.Text, 4)), field("protocols", flow(protos))}
		if fact.URL != "" {
			fs = append(fs, field("url", yamledit.Scalar(fact.URL)))
		}
		b.WriteString(yamledit.Item(append(fs, field("sources", flow([]string{source}))), 2))
	}
	return []byte(b.String())
}
