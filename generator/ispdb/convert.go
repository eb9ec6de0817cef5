package ispdb

import (
	"cmp"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// imported is what one ISPDB file says, in mailkb's terms.
type imported struct {
	file string // base name, like gmx.net.xml
	slug string // the provider id the file gets if mailkb has no match
	// idSlug is the file's emailProvider id as a mailkb id. It is slug
	// unless the id names neither the file nor one of its domains (the
	// regional zoho.eu.xml says id="zoho.com"); a provider with this id is
	// the file's only if it also has one of the file's servers.
	idSlug  string
	id      string // the emailProvider id as written
	name    string
	domains []string // valid, lower case, without repeats, in file order
	// primary are the domains that name the provider: the first, and any
	// equal to the id or the file name. A provider listing one of these is
	// the file's; one that lists only another of its domains (cox.net in
	// yahoo.com.xml) is the file's only if it also has one of its servers.
	primary map[string]bool
	// elements counts the incomingServer and outgoingServer elements.
	elements int
	inputs   []UserInput // what Thunderbird asks the user for
	// elsewhere maps a domain of the file that a later file of the run
	// names to that file; the domain is left to it.
	elsewhere map[string]string
	servers   []*server // the servers mailkb can record, in file order
	enable    *Enable   // the instruction to switch access on, or nil
	doc       *Documentation
	oauth2    *OAuth2
	webmail   string   // the webmail sign-in page, if a web address
	notes     []string // what was left out, and why
}

// server is one server of the file as a mailkb endpoint (without id,
// period, status or sources, which depend on where it is written).
type server struct {
	e    *model.Endpoint
	line int
	// oddity is what the endpoint's unusual says if ./build.sh check
	// takes the server for a mistake (a port that does not fit its
	// encryption): the file's own comment on the server, else that the
	// database gives it so. The import writes what the database publishes.
	oddity string
	// refused is the finding that made the server unusual.
	refused string
	// dropped says why a server that maps cleanly is still left out: a
	// rule of ./build.sh check refuses it even as unusual.
	dropped string
}

func (s *server) label() string { return fmt.Sprintf("%s (line %d)", where(s.e), s.line) }

// where names an endpoint's protocol and address: imap imap.example.com:993,
// or ews https://example.com/ews for one reached at a URL.
func where(e *model.Endpoint) string {
	if e.URL != "" {
		return fmt.Sprintf("%s %s", e.Protocol, e.URL)
	}
	return fmt.Sprintf("%s %s:%d", e.Protocol, e.Host, e.Port)
}

// address is where, with the encryption of a server reached by name and
// port.
func address(e *model.Endpoint) string {
	if e.URL != "" {
		return where(e)
	}
	return fmt.Sprintf("%s, %s", where(e), e.Security)
}

// live returns the servers not dropped.
func (in *imported) live() []*server {
	var out []*server
	for _, s := range in.servers {
		if s.dropped == "" {
			out = append(out, s)
		}
	}
	return out
}

// convert maps the first emailProvider of cfg onto mailkb's vocabulary.
func convert(cfg *Config, file string) *imported {
	ep := cfg.Providers[0]
	in := &imported{file: file, name: ep.DisplayName, oauth2: cfg.OAuth2, primary: map[string]bool{}}
	for _, r := range cfg.Repairs {
		in.notes = append(in.notes, "not well-formed XML, read leniently: "+r)
	}
	if n := len(cfg.Providers); n > 1 {
		in.notes = append(in.notes, fmt.Sprintf("the file has %d emailProvider elements; mailkb imports the first (%q) only", n, ep.ID))
	}
	seen := make(map[string]bool, len(ep.Domains))
	for _, raw := range ep.Domains {
		d := strings.TrimSuffix(strings.ToLower(raw), ".")
		switch {
		case strings.Contains(d, "%"):
			in.notes = append(in.notes, fmt.Sprintf("domain %q stands for the user's domain; it is not a mail domain name", raw))
		case !model.ValidHostname(d):
			in.notes = append(in.notes, fmt.Sprintf("domain %q is not a mail domain name", d))
		case !seen[d]:
			seen[d] = true
			in.domains = append(in.domains, d)
		}
	}
	id := strings.TrimSuffix(strings.ToLower(ep.ID), ".")
	stem := strings.ToLower(strings.TrimSuffix(file, filepath.Ext(file)))
	if !isXMLName(file) {
		stem = strings.ToLower(file)
	}
	for i, d := range in.domains {
		if i == 0 || d == id || d == stem {
			in.primary[d] = true
		}
	}
	in.id, in.idSlug = ep.ID, slug(id)
	in.slug = in.idSlug
	if id != stem && !seen[id] && slug(stem) != "" {
		in.slug = slug(stem)
	}
	if in.slug == "" && len(in.domains) > 0 {
		in.slug = slug(in.domains[0])
	}
	if in.slug == "" {
		in.slug = slug(stem)
	}
	in.name = displayName(in.name, ep.DisplayShortName, ep.ID, in.domains)
	only := ""
	if len(in.domains) == 1 {
		only = in.domains[0]
	}
	in.elements = len(ep.Incoming) + len(ep.Outgoing)
	in.inputs = ep.UserInputs
	in.addServers(ep.Incoming, "incomingServer", incomingTypes)
	in.addServers(ep.Outgoing, "outgoingServer", []model.Protocol{model.SMTP})
	for _, es := range [][]Enable{ep.Enable, cfg.Enable} {
		if len(es) > 0 && in.enable == nil {
			en := es[0]
			en.VisitURL = in.fillURL(en.VisitURL, "the enable page", only)
			in.enable = &en
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
func (in *imported) fillURL(u, what, only string) string {
	if only != "" {
		u = strings.ReplaceAll(u, "%EMAILDOMAIN%", only)
	}
	if placeholder.MatchString(u) {
		in.notes = append(in.notes, fmt.Sprintf("%s %s depends on the user's address; left out", what, u))
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
func (in *imported) addServers(ss []Server, element string, protocols []model.Protocol) {
	for _, s := range ss {
		e, why := endpointOf(s, protocols)
		if why != "" {
			in.notes = append(in.notes, fmt.Sprintf("%s %q at line %d: %s", element, s.Type, s.Line, why))
			continue
		}
		for _, u := range in.inputs {
			if u.Key != "" && strings.Contains(s.Username, u.Key) {
				label := cmp.Or(u.Text, u.Label, "a value")
				e.UsernameNote = strings.TrimSpace(e.UsernameNote + fmt.Sprintf(" %s is what Thunderbird asks the user for, as “%s”.", u.Key, label))
			}
		}
		if dup := in.find(e.Key()); dup != nil {
			in.notes = append(in.notes, fmt.Sprintf("%s at line %d repeats the %s server of line %d (same address); mailkb keeps the first",
				element, s.Line, e.Protocol.Label(), dup.line))
			continue
		}
		in.servers = append(in.servers, &server{e: e, line: s.Line, oddity: in.oddity(s, e)})
	}
}

// oddity is the unusual text for server s: its own comment in the file,
// else the file named as the source of the value.
func (in *imported) oddity(s Server, e *model.Endpoint) string {
	if s.Comment != "" {
		return fmt.Sprintf("Thunderbird's ISP database (%s) says so, in a comment on this server: “%s”", in.file, s.Comment)
	}
	return fmt.Sprintf("Thunderbird's ISP database gives it so (%s): %s %s, port %d, %s.", in.file, e.Protocol.Label(), e.Host, e.Port, e.Security.Label())
}

func (in *imported) find(k model.EndpointKey) *server {
	for _, s := range in.servers {
		if s.e.Key() == k {
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

var securities = map[string]model.Security{"ssl": model.TLS, "starttls": model.STARTTLS, "plain": model.NoTLS}

// authMethods maps the format's authentication values, by their lower
// case, to mailkb's. "plain" and "secure" are the ISPDB's old names for
// the two password methods.
var authMethods = map[string]model.Auth{
	"password-cleartext": model.Password, "plain": model.Password,
	"password-encrypted": model.EncryptedPassword, "secure": model.EncryptedPassword,
	"oauth2": model.OAuth2, "ntlm": model.NTLM, "gssapi": model.GSSAPI,
	"client-ip-address": model.ClientIP, "tls-client-cert": model.ClientCertificate,
	"smtp-after-pop": model.SMTPAfterPOP, "none": model.NoAuth,
}

// endpointOf maps a server to an endpoint, or says why it cannot be one.
// Values are kept as the file gives them: the authentication methods in
// their order, the user name and a host built from the user's domain
// (mail.%EMAILDOMAIN%) as templates.
func endpointOf(s Server, protocols []model.Protocol) (*model.Endpoint, string) {
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
		m, ok := authMethods[strings.ToLower(a)]
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
func serverAddress(s Server, e *model.Endpoint) string {
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
	sec, ok := securities[strings.ToLower(s.SocketType)]
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

// username maps the ISPDB username to mailkb's forms: the two plain
// placeholders are keywords, any other value with a placeholder is a
// template kept as written (%EMAILLOCALPART%.%EMAILDOMAIN%, or the
// database's %EMAILADDRESS without its closing %, which Thunderbird takes
// as written too), and a value without one is "other", with a note
// quoting it.
func username(raw string) (model.Username, string) {
	switch {
	case raw == "%EMAILADDRESS%":
		return model.EmailAddress, ""
	case raw == "%EMAILLOCALPART%":
		return model.LocalPart, ""
	case raw == "":
		return model.OtherName, "Thunderbird's ISP database gives no user name for this server."
	case model.HasPlaceholder(raw):
		if m := unclosed.FindStringSubmatch(raw); m != nil {
			return model.Username(raw), fmt.Sprintf("Thunderbird's ISP database writes `%%%s` without its closing %%; mailkb keeps it as written.", m[1])
		}
		return model.Username(raw), ""
	}
	return model.OtherName, fmt.Sprintf("Thunderbird's ISP database gives the user name as `%s`.", strings.ReplaceAll(raw, "`", "'"))
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

// endpointID is <protocol>-<host with dashes>-<port>, with a number added
// if the provider already uses it.
func endpointID(e *model.Endpoint, taken map[string]bool) string {
	base := fmt.Sprintf("%s-%s-%d", e.Protocol, slug(e.Host), e.Port)
	id := base
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	taken[id] = true
	return id
}
