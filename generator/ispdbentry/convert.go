// Package ispdbentry reads one entry of Thunderbird's ISP database (the
// ISPDB: a config-v1.1.xml file, or every version of it in the database's
// history) in mailkb's terms — endpoints, an access fact, a source and a
// summary for a new provider — and writes a new provider as YAML. What is
// left out, and why, is noted on the entry.
package ispdbentry

import (
	"cmp"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"mailkb/generator/autoconfig"
	"mailkb/generator/model"
)

// Entry is what one ISPDB file says, in mailkb's terms.
type Entry struct {
	File string // base name, like gmx.net.xml
	Slug string // the provider id the file gets if mailkb has no match
	// IDSlug is the file's emailProvider id as a mailkb id. It is Slug
	// unless the id names neither the file nor one of its domains (the
	// regional zoho.eu.xml says id="zoho.com"); a provider with this id is
	// the file's only if it also has one of the file's servers.
	IDSlug  string
	ID      string // the emailProvider id as written
	name    string
	Domains []string // valid, lower case, without repeats, in file order
	// Primary are the domains that name the provider: the first, and any
	// equal to the id or the file name. A provider listing one of these is
	// the file's; one that lists only another of its domains (cox.net in
	// yahoo.com.xml) is the file's only if it also has one of its servers.
	Primary map[string]bool
	// Elements counts the incomingServer and outgoingServer elements.
	Elements int
	inputs   []autoconfig.UserInput // what Thunderbird asks the user for
	Servers  []*Server              // the servers mailkb can record, in file order
	Enable   *autoconfig.Enable     // the instruction to switch access on, or nil
	doc      *autoconfig.Documentation
	oauth2   *autoconfig.OAuth2
	webmail  string   // the webmail sign-in page, if a web address
	Notes    []string // what was left out, and why
}

// Server is one server of the file as a mailkb endpoint (without id,
// period, status or sources, which depend on where it is written).
type Server struct {
	Endpoint *model.Endpoint
	Line     int
	// Oddity is what the endpoint's unusual says if ./build.sh check
	// takes the server for a mistake (a port that does not fit its
	// encryption): the file's own comment on the server, else that the
	// database gives it so. The import writes what the database publishes.
	Oddity string
	// Refused is the finding that made the server unusual.
	Refused string
	// Dropped says why a server that maps cleanly is still left out: a
	// rule of ./build.sh check refuses it even as unusual.
	Dropped string
}

// Label names the server for messages: its address and line.
func (s *Server) Label() string { return fmt.Sprintf("%s (line %d)", Where(s.Endpoint), s.Line) }

// Where names an endpoint's protocol and address: imap imap.example.com:993,
// or ews https://example.com/ews for one reached at a URL.
func Where(e *model.Endpoint) string {
	if e.URL != "" {
		return fmt.Sprintf("%s %s", e.Protocol, e.URL)
	}
	return fmt.Sprintf("%s %s:%d", e.Protocol, e.Host, e.Port)
}

// Address is Where, with the encryption of a server reached by name and
// port.
func Address(e *model.Endpoint) string {
	if e.URL != "" {
		return Where(e)
	}
	return fmt.Sprintf("%s, %s", Where(e), e.Security)
}

// Live returns the servers not dropped.
func (in *Entry) Live() []*Server {
	var out []*Server
	for _, s := range in.Servers {
		if s.Dropped == "" {
			out = append(out, s)
		}
	}
	return out
}

// Read reads one ISPDB file; file is its name. An error is the
// document's (see autoconfig.Parse); the caller adds the file name.
func Read(data []byte, file string) (*Entry, error) {
	cfg, err := autoconfig.Parse(data)
	if err != nil {
		return nil, err
	}
	return convert(cfg, file), nil
}

// convert maps the first emailProvider of cfg onto mailkb's vocabulary.
func convert(cfg *autoconfig.Config, file string) *Entry {
	ep := cfg.Providers[0]
	in := &Entry{File: file, name: ep.DisplayName, oauth2: cfg.OAuth2, Primary: map[string]bool{}}
	for _, r := range cfg.Repairs {
		in.Notes = append(in.Notes, "not well-formed XML, read leniently: "+r)
	}
	if n := len(cfg.Providers); n > 1 {
		in.Notes = append(in.Notes, fmt.Sprintf("the file has %d emailProvider elements; mailkb imports the first (%q) only", n, ep.ID))
	}
	seen := make(map[string]bool, len(ep.Domains))
	for _, raw := range ep.Domains {
		d := strings.TrimSuffix(strings.ToLower(raw), ".")
		switch {
		case strings.Contains(d, "%"):
			in.Notes = append(in.Notes, fmt.Sprintf("domain %q stands for the user's domain; it is not a mail domain name", raw))
		case !model.ValidHostname(d):
			in.Notes = append(in.Notes, fmt.Sprintf("domain %q is not a mail domain name", d))
		case !seen[d]:
			seen[d] = true
			in.Domains = append(in.Domains, d)
		}
	}
	id := strings.TrimSuffix(strings.ToLower(ep.ID), ".")
	stem := strings.ToLower(fileStem(file))
	for i, d := range in.Domains {
		if i == 0 || d == id || d == stem {
			in.Primary[d] = true
		}
	}
	in.ID, in.IDSlug = ep.ID, slug(id)
	in.Slug = in.IDSlug
	if id != stem && !seen[id] && slug(stem) != "" {
		in.Slug = slug(stem)
	}
	if in.Slug == "" && len(in.Domains) > 0 {
		in.Slug = slug(in.Domains[0])
	}
	if in.Slug == "" {
		in.Slug = slug(stem)
	}
	in.name = displayName(in.name, ep.DisplayShortName, ep.ID, in.Domains)
	only := ""
	if len(in.Domains) == 1 {
		only = in.Domains[0]
	}
	in.Elements = len(ep.Incoming) + len(ep.Outgoing)
	in.inputs = ep.UserInputs
	in.addServers(ep.Incoming, "incomingServer", incomingTypes)
	in.addServers(ep.Outgoing, "outgoingServer", []model.Protocol{model.SMTP})
	for _, es := range [][]autoconfig.Enable{ep.Enable, cfg.Enable} {
		if len(es) > 0 && in.Enable == nil {
			en := es[0]
			en.VisitURL = in.fillURL(en.VisitURL, "the enable page", only)
			in.Enable = &en
		}
	}
	if len(ep.Documentation) > 0 {
		doc := ep.Documentation[0]
		doc.URL = in.fillURL(doc.URL, "the documentation link", only)
		in.doc = &doc
	}
	if cfg.WebMail != nil {
		if u := in.fillURL(cfg.WebMail.LoginPage.URL, "the webmail page", only); isWebURL(u) {
			in.webmail = u
		}
	}
	return in
}

// fillURL returns the web address u with %EMAILDOMAIN% filled in when the
// file lists one domain (only), as Thunderbird fills it in for the user.
// An address that still depends on the user (several domains, or the
// address itself, as in ?e=%EMAILADDRESS%) is no link for a provider page:
// it is left out, with a note.
func (in *Entry) fillURL(u, what, only string) string {
	if only != "" {
		u = strings.ReplaceAll(u, "%EMAILDOMAIN%", only)
	}
	if model.HasPlaceholder(u) {
		in.Notes = append(in.Notes, fmt.Sprintf("%s %s depends on the user's address; left out", what, u))
		return ""
	}
	return u
}

// displayName is the provider's name: the displayName, else the short one,
// else the id. Thunderbird fills %EMAILDOMAIN% in with the user's domain;
// a provider page has no user, so it gets the file's first domain, and a
// name that is nothing but other placeholders is passed over.
func displayName(long, short, id string, domains []string) string {
	for _, n := range []string{long, short, id} {
		if len(domains) > 0 {
			n = strings.ReplaceAll(n, "%EMAILDOMAIN%", domains[0])
		}
		if strings.TrimSpace(placeholder.ReplaceAllString(n, "")) != "" {
			return n
		}
	}
	if len(domains) > 0 {
		return domains[0]
	}
	return id
}

// addServers adds the servers of one element kind, whose types are
// protocols.
func (in *Entry) addServers(ss []autoconfig.Server, element string, protocols []model.Protocol) {
	for _, s := range ss {
		e, why := endpointOf(s, protocols)
		if why != "" {
			in.Notes = append(in.Notes, fmt.Sprintf("%s %q at line %d: %s", element, s.Type, s.Line, why))
			continue
		}
		for _, u := range in.inputs {
			if u.Key != "" && strings.Contains(s.Username, u.Key) {
				label := cmp.Or(u.Text, u.Label, "a value")
				e.UsernameNote = strings.TrimSpace(e.UsernameNote + fmt.Sprintf(" %s is what Thunderbird asks the user for, as “%s”.", u.Key, label))
			}
		}
		if dup := in.Find(e.Key()); dup != nil {
			in.Notes = append(in.Notes, fmt.Sprintf("%s at line %d repeats the %s server of line %d (same address); mailkb keeps the first",
				element, s.Line, e.Protocol.Label(), dup.Line))
			continue
		}
		in.Servers = append(in.Servers, &Server{Endpoint: e, Line: s.Line, Oddity: in.oddity(s, e)})
	}
}

// oddity is the unusual text for server s: its own comment in the file,
// else the file named as the source of the value.
func (in *Entry) oddity(s autoconfig.Server, e *model.Endpoint) string {
	if s.Comment != "" {
		return fmt.Sprintf("Thunderbird's ISP database (%s) says so, in a comment on this server: “%s”", in.File, s.Comment)
	}
	return fmt.Sprintf("Thunderbird's ISP database gives it so (%s): %s %s, port %d, %s.", in.File, e.Protocol.Label(), e.Host, e.Port, e.Security.Label())
}

// Find returns the server at k's protocol and address, or nil.
func (in *Entry) Find(k model.EndpointKey) *Server {
	for _, s := range in.Servers {
		if s.Endpoint.Key() == k {
			return s
		}
	}
	return nil
}

// incomingTypes are the incomingServer types mailkb records: every
// incoming protocol the format has.
var incomingTypes = func() []model.Protocol {
	var out []model.Protocol
	for _, p := range model.Protocols {
		if p.Incoming() && p.InAutoconfig() {
			out = append(out, p)
		}
	}
	return out
}()

// endpointOf maps a server to an endpoint, or says why it cannot be one.
// Values are kept as the file gives them: the authentication methods in
// their order, the user name and a host built from the user's domain
// (mail.%EMAILDOMAIN%) as templates.
func endpointOf(s autoconfig.Server, protocols []model.Protocol) (*model.Endpoint, string) {
	proto := model.Protocol(strings.ToLower(s.Type))
	if !slices.Contains(protocols, proto) {
		names := make([]string, len(protocols))
		for i, p := range protocols {
			names[i] = string(p)
		}
		return nil, fmt.Sprintf("type %q is not one mailkb records here (it records %s)", s.Type, strings.Join(names, ", "))
	}
	e := &model.Endpoint{Protocol: proto, Status: model.Current}
	var notes []string
	if proto.AtURL() {
		host, port, sec, ok := model.WebAddress(s.URL)
		switch {
		case s.URL == "":
			return nil, "no url"
		case !ok:
			return nil, fmt.Sprintf("url %q is not a web address", s.URL)
		}
		e.URL, e.Host, e.Port, e.Security = s.URL, host, port, sec
	} else if why := serverAddress(s, e); why != "" {
		return nil, why
	}
	if proto == model.Exchange {
		for _, u := range []struct {
			name, url string
			to        *string
		}{{"owaURL", s.OWAURL, &e.OWAURL}, {"ewsURL", s.EWSURL, &e.EWSURL}} {
			if _, _, _, ok := model.WebAddress(u.url); ok {
				*u.to = u.url
			} else if u.url != "" {
				notes = append(notes, fmt.Sprintf("Thunderbird's ISP database gives the %s as `%s`, which is not a web address; mailkb leaves it out.",
					u.name, strings.ReplaceAll(u.url, "`", "'")))
			}
		}
	}
	var unknown []string
	for _, a := range s.Authentication {
		m, ok := autoconfig.AuthOf(a)
		switch {
		case !ok:
			unknown = append(unknown, a)
		case !slices.Contains(e.Auth, m):
			e.Auth = append(e.Auth, m)
		}
	}
	switch {
	case len(e.Auth) == 0 && len(unknown) == 0:
		return nil, "no authentication method given"
	case len(e.Auth) == 0:
		return nil, fmt.Sprintf("authentication %s is not a method of the format", strings.Join(unknown, ", "))
	case len(unknown) > 0:
		notes = append(notes, fmt.Sprintf("Thunderbird's ISP database also lists %s, which is not a method of the format; mailkb leaves it out.", strings.Join(unknown, ", ")))
	}
	e.Username, e.UsernameNote = username(s.Username)
	if s.POP3 != nil && strings.EqualFold(s.POP3.LeaveMessagesOnServer, "true") {
		notes = append(notes, "Thunderbird's ISP database sets POP3 accounts to leave messages on the server.")
	}
	e.Note = strings.Join(notes, " ")
	return e, ""
}

// serverAddress reads the host, port and encryption of a server reached
// by name and port, or says why they are not usable.
func serverAddress(s autoconfig.Server, e *model.Endpoint) string {
	host := hostOf(s.Hostname)
	switch {
	case host == "":
		return "no hostname"
	case !model.ValidHost(host):
		return fmt.Sprintf("hostname %q is not a valid host name", s.Hostname)
	}
	e.Host = host
	port, err := strconv.Atoi(s.Port)
	switch {
	case s.Port == "":
		return "no port"
	case err != nil:
		return fmt.Sprintf("port %q is not a number", s.Port)
	case port < 1 || port > 65535:
		return fmt.Sprintf("port %d is out of range (1–65535)", port)
	}
	e.Port = port
	sec, ok := autoconfig.SecurityOf(s.SocketType)
	switch {
	case ok:
		e.Security = sec
	case s.SocketType == "":
		return "no socketType"
	default:
		return fmt.Sprintf("socketType %q is not SSL, STARTTLS or plain", s.SocketType)
	}
	return ""
}

// hostOf writes a hostname in lower case, keeping the placeholder for the
// user's domain as Thunderbird spells it, and drops a final dot.
func hostOf(raw string) string {
	parts := strings.Split(strings.TrimSuffix(raw, "."), model.DomainPlaceholder)
	for i, p := range parts {
		parts[i] = strings.ToLower(p)
	}
	return strings.Join(parts, model.DomainPlaceholder)
}

// username maps the ISPDB username to mailkb's forms (see
// autoconfig.UsernameOf), with a note where the database's value is odd:
// none, one without a placeholder (quoted), or a placeholder without its
// closing %.
func username(raw string) (model.Username, string) {
	u, ok := autoconfig.UsernameOf(raw)
	switch {
	case raw == "":
		return u, "Thunderbird's ISP database gives no user name for this server."
	case !ok:
		return u, fmt.Sprintf("Thunderbird's ISP database gives the user name as `%s`.", strings.ReplaceAll(raw, "`", "'"))
	}
	if m := unclosed.FindStringSubmatch(raw); m != nil {
		return u, fmt.Sprintf("Thunderbird's ISP database writes `%%%s` without its closing %%; mailkb keeps it as written.", m[1])
	}
	return u, ""
}

var placeholder = regexp.MustCompile(`%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN)%?`)

// unclosed is a placeholder without its closing % (%EMAILADDRESS in
// office365.com.xml).
var unclosed = regexp.MustCompile(`%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN)($|[^%])`)

// slug turns an ISPDB id (gmx.net) into a mailkb id (gmx-net): lower-case
// letters and digits, every other run of characters a single dash.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// EndpointID is <protocol>-<host with dashes>-<port>, with a number added
// if taken already has it; it adds the id to taken.
func EndpointID(e *model.Endpoint, taken map[string]bool) string {
	base := fmt.Sprintf("%s-%s-%d", e.Protocol, slug(e.Host), e.Port)
	id := base
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	taken[id] = true
	return id
}

// IsXMLName reports whether a file is named as the database names its
// files today: with the extension .xml.
func IsXMLName(name string) bool { return strings.EqualFold(filepath.Ext(name), ".xml") }

// fileStem is a file's name without its .xml; older checkouts name the
// files without the extension (gmx.net), which is then no extension.
func fileStem(file string) string {
	if !IsXMLName(file) {
		return file
	}
	return strings.TrimSuffix(file, filepath.Ext(file))
}

// IDCandidates are the ids a new provider for the entry may have, best
// first: its Slug, then the file's name, then its first domain, as ids.
func (in *Entry) IDCandidates() []string {
	return []string{in.Slug, slug(fileStem(in.File)), slug(in.Domains[0])}
}
