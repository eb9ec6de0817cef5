package ispdb

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"mailkb/generator/model"
	"mailkb/generator/yamledit"
)

// width is where written YAML lines wrap, as in the hand-written files.
const width = 96

const (
	sourcePublisher = "Mozilla Thunderbird autoconfig project"
	sourceTitle     = "Thunderbird ISP database: "
	autoconfigURL   = "https://autoconfig.thunderbird.net/v1.1/"
)

// newSource is the bibliography entry for the file, cited by everything
// imported from it.
func (in *imported) newSource(today model.Date) *model.Source {
	return &model.Source{ID: "ispdb-" + in.slug, Title: sourceTitle + in.file, Publisher: sourcePublisher,
		URL:  autoconfigURL + in.domains[0],
		Note: fmt.Sprintf("Undated config-v1.1 entry of the ISP database (Mozilla Public License 2.0), imported by mailkb on %s.", today)}
}

// findSource returns the entry that already stands for the file: the
// bundled knowledge base names its ISPDB sources by hand (ispdb-hotmail
// for hotmail.com.xml), so the id, the URL and the title all count.
func (in *imported) findSource(kb *model.KB) *model.Source {
	title, url := sourceTitle+in.file, autoconfigURL+in.domains[0]
	for _, s := range kb.Sources {
		if s.ID == "ispdb-"+in.slug || s.URL == url || s.Title == title || strings.HasPrefix(s.Title, title+" ") {
			return s
		}
	}
	return nil
}

func field(k, v string) yamledit.Field { return yamledit.Field{Key: k, Value: v} }

// sourceFields writes s; indent is as for endpointFields.
func sourceFields(s *model.Source, indent int) []yamledit.Field {
	return []yamledit.Field{field("id", s.ID), field("title", yamledit.Scalar(s.Title)),
		field("publisher", yamledit.Scalar(s.Publisher)), field("url", yamledit.Scalar(s.URL)), field("note", prose(s.Note, indent))}
}

// endpointFields writes e citing source: its values, its period (from, or
// else the from given, zero for "start unknown"), status, successor,
// preference and verifications. Prose goes on one line when indent is
// negative (an edit of a file whose indentation is not known here), else
// it wraps below a key at indent, and nested lists are written below
// their key.
func endpointFields(e *model.Endpoint, source string, from model.Date, indent int) []yamledit.Field {
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
	fs = append(fs, field("auth", flow(authNames(e.Auth))), field("username", yamledit.Scalar(string(e.Username))))
	if e.UsernameNote != "" {
		fs = append(fs, field("username_note", prose(e.UsernameNote, indent)))
	}
	switch {
	case !e.From.IsZero():
		fs = append(fs, field("from", boundary(e.From, e.FromBy)))
	case !from.IsZero():
		fs = append(fs, field("from", from.String()))
	}
	if !e.Until.IsZero() {
		fs = append(fs, field("until", boundary(e.Until, e.UntilBy)))
	}
	status := e.Status
	if status == "" {
		status = model.Current
	}
	fs = append(fs, field("status", string(status)))
	if e.ReplacedBy != nil {
		fs = append(fs, field("replaced_by", e.ReplacedBy.ID))
	}
	switch {
	case e.Preferred:
		fs = append(fs, field("preferred", "true"))
	case len(e.PreferredDuring) > 0 && indent >= 0:
		var items []string
		for _, p := range e.PreferredDuring {
			var pf []yamledit.Field
			if !p.From.IsZero() {
				pf = append(pf, field("from", boundary(p.From, p.FromBy)))
			}
			if !p.Until.IsZero() {
				pf = append(pf, field("until", boundary(p.Until, p.UntilBy)))
			}
			items = append(items, yamledit.Item(pf, indent+2))
		}
		fs = append(fs, field("preferred", "\n"+strings.TrimSuffix(strings.Join(items, ""), "\n")))
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
			items = append(items, yamledit.Item(verificationFields(v), indent+2))
		}
		fs = append(fs, field("verified", "\n"+strings.TrimSuffix(strings.Join(items, ""), "\n")))
	}
	return fs
}

// verificationFields writes one verification event.
func verificationFields(v model.Verification) []yamledit.Field {
	fs := []yamledit.Field{field("date", v.Date.String()), field("method", string(v.Method)), field("by", yamledit.Scalar(v.By))}
	if v.Source != nil {
		fs = append(fs, field("source", v.Source.ID))
	}
	if v.Note != "" {
		fs = append(fs, field("note", yamledit.Scalar(v.Note)))
	}
	return fs
}

// boundary writes one end of a period: a date, or "by" and a date.
func boundary(d model.Date, by bool) string {
	if by {
		return "by " + d.String()
	}
	return d.String()
}

func authNames(as []model.Auth) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
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
	return ">-\n" + pad + strings.Join(wrap(strings.Fields(s), width-len(pad), ""), "\n"+pad)
}

// blockUnsafe reports characters that YAML treats as line breaks or that
// it refuses unescaped.
func blockUnsafe(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff'
}

// wrap fills words into lines of at most max bytes (a longer word gets
// its own line), joining words with sep+" ".
func wrap(words []string, max int, sep string) []string {
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

// renderNew writes a new provider file. add is the source entry to define
// in the file, or nil when source names one defined elsewhere.
func renderNew(in *imported, eps []*model.Endpoint, fact *model.Fact, add *model.Source, source string, today model.Date) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# Imported from %s of Thunderbird's ISP database (Mozilla Public License 2.0)\n", in.file)
	fmt.Fprintf(&b, "# on %s by ./build.sh import ispdb. Edit freely: a later import keeps these\n", today)
	b.WriteString("# comments and records changed servers as history (see docs/import.md).\n")
	b.WriteString("id: " + in.slug + "\n")
	b.WriteString("name: " + yamledit.Scalar(in.name) + "\n")
	b.WriteString("summary: " + prose(in.summary(eps, today), 0) + "\n\n")
	if one := "domains: " + flow(in.domains); len(one) <= width {
		b.WriteString(one + "\n")
	} else {
		b.WriteString("domains: [\n  " + strings.Join(wrap(in.domains, width-2, ","), "\n  ") + "\n]\n")
	}
	b.WriteString("domain_sources: " + flow([]string{source}) + "\n")
	if add != nil {
		b.WriteString("\nsources:\n")
		b.WriteString(yamledit.Item(sourceFields(add, 4), 2))
	}
	b.WriteString("\nendpoints:\n")
	for i, e := range eps {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(yamledit.Item(endpointFields(e, source, model.Date{}, 4), 2))
	}
	if fact != nil {
		b.WriteString("\nfacts:\n")
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

// summary describes a new provider in one paragraph of markdown.
func (in *imported) summary(eps []*model.Endpoint, today model.Date) string {
	var servers, others, methods []string
	for _, p := range model.Protocols {
		if !slices.ContainsFunc(eps, func(e *model.Endpoint) bool { return e.Protocol == p }) {
			continue
		}
		if p.MailServer() {
			servers = append(servers, p.Label())
		} else {
			others = append(others, p.Label())
		}
	}
	for _, a := range model.Auths {
		if !slices.ContainsFunc(eps, func(e *model.Endpoint) bool { return slices.Contains(e.Auth, a) }) {
			continue
		}
		label := a.Label()
		if a == model.OAuth2 {
			label += in.issuer()
		}
		methods = append(methods, label)
	}
	domains := in.domains[0]
	switch n := len(in.domains) - 1; {
	case n == 1:
		domains += " and " + in.domains[1]
	case n > 1:
		domains += fmt.Sprintf(" and %d other domains", n)
	}
	s := fmt.Sprintf("Mail settings of %s for %s, from Thunderbird's ISP database (%s, imported on %s)", in.name, domains, in.file, today)
	sep := ": "
	if len(servers) > 0 {
		s += sep + joinAnd(servers) + " servers"
		sep = "; other ways in: "
	}
	if len(others) > 0 {
		s += sep + joinAnd(others)
	}
	s += ". Sign-in: " + joinAnd(methods) + ". mailkb has not checked these settings itself."
	if in.doc != nil && isWebURL(in.doc.URL) {
		label := strings.NewReplacer("[", "(", "]", ")").Replace(English(in.doc.Descr))
		if label == "" {
			label = "help page"
		}
		s += fmt.Sprintf(" The provider's own help: [%s](%s).", label, in.doc.URL)
	}
	if in.webmail != "" {
		s += fmt.Sprintf(" Webmail: <%s>.", in.webmail)
	}
	return s
}

func (in *imported) issuer() string {
	if in.oauth2 == nil || in.oauth2.Issuer == "" {
		return ""
	}
	return " (tokens from " + in.oauth2.Issuer + ")"
}

func isWebURL(u string) bool {
	return (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && !strings.ContainsAny(u, " <>()")
}

// joinAnd writes a, b and c.
func joinAnd(ss []string) string {
	if len(ss) <= 1 {
		return strings.Join(ss, "")
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}

// accessFact turns the file's enable element into a fact of kind access.
func (in *imported) accessFact(eps []*model.Endpoint) *model.Fact {
	if in.enable == nil {
		return nil
	}
	f := &model.Fact{ID: "enable-access", Kind: "access"}
	for _, p := range []model.Protocol{model.IMAP, model.POP3} {
		for _, e := range eps {
			if e.Protocol == p && !slices.Contains(f.Protocols, p) {
				f.Protocols = append(f.Protocols, p)
			}
		}
	}
	if len(f.Protocols) == 0 {
		f.Protocols = []model.Protocol{model.IMAP, model.POP3}
	}
	labels := make([]string, len(f.Protocols))
	for i, p := range f.Protocols {
		labels[i] = p.Label()
	}
	f.Title = "Switch on " + joinAnd(labels) + " access first"
	f.Text = "The account's settings must allow access by mail programs before one can connect."
	if t := English(in.enable.Instructions); t != "" {
		f.Text = fmt.Sprintf("Thunderbird's ISP database says: “%s”", t)
	}
	if isWebURL(in.enable.VisitURL) {
		f.URL = in.enable.VisitURL
	}
	return f
}
