package ispdbentry

import (
	"fmt"
	"slices"
	"strings"

	"mailkb/generator/autoconfig"
	"mailkb/generator/model"
	"mailkb/generator/provideryaml"
)

const (
	sourcePublisher = "Mozilla Thunderbird autoconfig project"
	sourceTitle     = "Thunderbird ISP database: "
	autoconfigURL   = "https://autoconfig.thunderbird.net/v1.1/"
)

// Source is a bibliography entry for the file, at url, with note; its id,
// title and publisher name the file.
func (in *Entry) Source(url, note string) *model.Source {
	return &model.Source{ID: "ispdb-" + in.Slug, Title: sourceTitle + in.File, Publisher: sourcePublisher, URL: url, Note: note}
}

// NewSource is the bibliography entry for the file, cited by everything
// imported from it.
func (in *Entry) NewSource(today model.Date) *model.Source {
	return in.Source(autoconfigURL+in.Domains[0],
		fmt.Sprintf("Undated config-v1.1 entry of the ISP database (Mozilla Public License 2.0), imported by mailkb on %s.", today))
}

// FindSource returns the entry of kb that already stands for the file:
// the bundled knowledge base names its ISPDB sources by hand
// (ispdb-hotmail for hotmail.com.xml), so the id, the URL and the title
// all count.
func (in *Entry) FindSource(kb *model.KB) *model.Source {
	title, url := sourceTitle+in.File, autoconfigURL+in.Domains[0]
	for _, s := range kb.Sources {
		if s.ID == "ispdb-"+in.Slug || s.URL == url || s.Title == title || strings.HasPrefix(s.Title, title+" ") {
			return s
		}
	}
	return nil
}

// Render writes a new provider file for the entry, with the endpoints
// eps, citing source; add is the source entry to define in the file, or
// nil when source names one defined elsewhere.
func (in *Entry) Render(eps []*model.Endpoint, add *model.Source, source string, today model.Date) []byte {
	header := fmt.Sprintf("# Imported from %s of Thunderbird's ISP database (Mozilla Public License 2.0)\n", in.File) +
		fmt.Sprintf("# on %s by ./build.sh import ispdb. Edit freely: a later import keeps these\n", today) +
		"# comments and records changed servers as history (see docs/import.md).\n"
	p := &model.Provider{ID: in.Slug, Name: in.name, Summary: in.summary(eps, today), Domains: in.Domains, Endpoints: eps}
	if f := in.accessFact(eps); f != nil {
		p.Facts = []*model.Fact{f}
	}
	return provideryaml.NewFile(header, p, add, source)
}

// summary describes a new provider in one paragraph of markdown.
func (in *Entry) summary(eps []*model.Endpoint, today model.Date) string {
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
	domains := in.Domains[0]
	switch n := len(in.Domains) - 1; {
	case n == 1:
		domains += " and " + in.Domains[1]
	case n > 1:
		domains += fmt.Sprintf(" and %d other domains", n)
	}
	s := fmt.Sprintf("Mail settings of %s for %s, from Thunderbird's ISP database (%s, imported on %s)", in.name, domains, in.File, today)
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
		label := strings.NewReplacer("[", "(", "]", ")").Replace(autoconfig.English(in.doc.Descr))
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

func (in *Entry) issuer() string {
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
func (in *Entry) accessFact(eps []*model.Endpoint) *model.Fact {
	if in.Enable == nil {
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
	if t := autoconfig.English(in.Enable.Instructions); t != "" {
		f.Text = fmt.Sprintf("Thunderbird's ISP database says: “%s”", t)
	}
	if isWebURL(in.Enable.VisitURL) {
		f.URL = in.Enable.VisitURL
	}
	return f
}
