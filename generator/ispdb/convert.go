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
	servers   []*server // the IMAP, POP3 and SMTP servers mailkb can record, in file order
	enable    *Enable   // the instruction to switch access on, or nil
	doc       *Documentation
	oauth2    *OAuth2
	webmail   string // the webmail sign-in page, if a web address
	// services names the web-service access (EWS, Graph …) that was left out.
	services []string
	notes    []string // what was left out, and why
}

// server is one server of the file as a mailkb endpoint (without id,
// period, status or sources, which depend on where it is written).
type server struct {
	e    *model.Endpoint
	line int
	// dropped says why a server that maps cleanly is still left out: a
	// rule of ./build.sh check refuses it.
	dropped string
}

func (s *server) label() string {
	return fmt.Sprintf("%s %s:%d (line %d)", s.e.Protocol, s.e.Host, s.e.Port, s.line)
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
	in.addServers(ep.Incoming, "incomingServer", only, model.IMAP, model.POP3)
	in.addServers(ep.Outgoing, "outgoingServer", only, model.SMTP)
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

// addServers adds the servers of one element kind; only is the file's
// domain when it lists exactly one, else "".
func (in *imported) addServers(ss []Server, element, only string, protocols ...model.Protocol) {
	for _, s := range ss {
		e, why := endpointOf(s, only, protocols)
		if e != nil {
			for _, u := range in.inputs {
				if u.Key != "" && strings.Contains(s.Username, u.Key) {
					label := cmp.Or(u.Text, u.Label, "a value")
					e.UsernameNote += fmt.Sprintf(" %s is what Thunderbird asks the user for, as “%s”.", u.Key, label)
				}
			}
		}
		if name, ok := webServices[strings.ToLower(s.Type)]; ok && !slices.Contains(in.services, name) {
			in.services = append(in.services, name)
		}
		if why != "" {
			in.notes = append(in.notes, fmt.Sprintf("%s %q at line %d: %s", element, s.Type, s.Line, why))
			continue
		}
		if dup := in.find(e.Key()); dup != nil {
			in.notes = append(in.notes, fmt.Sprintf("%s at line %d repeats the %s server of line %d (same host and port); mailkb keeps the first",
				element, s.Line, e.Protocol.Label(), dup.line))
			continue
		}
		in.servers = append(in.servers, &server{e: e, line: s.Line})
	}
}

func (in *imported) find(k model.EndpointKey) *server {
	for _, s := range in.servers {
		if s.e.Key() == k {
			return s
		}
	}
	return nil
}

// webServices names the server types mailkb does not record.
var webServices = map[string]string{
	"exchange": "Microsoft Exchange", "ews": "Exchange Web Services", "owa": "Outlook on the web",
	"graph": "Microsoft Graph", "activesync": "Exchange ActiveSync", "jmap": "JMAP",
}

var securities = map[string]model.Security{"ssl": model.TLS, "starttls": model.STARTTLS, "plain": model.NoTLS}

// authMethods maps the authentication values mailkb records. "plain" and
// "secure" are the ISPDB's old names for the two password methods.
var authMethods = map[string]model.Auth{
	"password-cleartext": model.Password, "plain": model.Password,
	"password-encrypted": model.Password, "secure": model.Password,
	"oauth2": model.OAuth2,
}

// endpointOf maps a server to an endpoint, or says why it cannot be one.
// only is the file's one domain, or "" if it lists several: a hostname
// built from the user's domain (mail.%EMAILDOMAIN%) is a fixed host only
// when the domain can be just one.
func endpointOf(s Server, only string, protocols []model.Protocol) (*model.Endpoint, string) {
	proto := model.Protocol(strings.ToLower(s.Type))
	if !slices.Contains(protocols, proto) {
		if name, ok := webServices[string(proto)]; ok {
			return nil, name + "; mailkb records IMAP, POP3 and SMTP servers only"
		}
		return nil, fmt.Sprintf("type %q is not one mailkb records here (it records IMAP, POP3 and SMTP)", s.Type)
	}
	e := &model.Endpoint{Protocol: proto, Status: model.Current}
	host := strings.TrimSuffix(strings.ToLower(s.Hostname), ".")
	var notes, other []string
	if only != "" && strings.Contains(host, "%emaildomain%") {
		host = strings.ReplaceAll(host, "%emaildomain%", only)
		notes = append(notes, fmt.Sprintf("Thunderbird's ISP database gives the host as `%s`, with the user's domain in it; "+
			"the entry lists %s only, so mailkb records %s.", s.Hostname, only, host))
	}
	switch {
	case host == "":
		return nil, "no hostname"
	case strings.Contains(host, "%"):
		return nil, fmt.Sprintf("hostname %q depends on the user's address, and the file lists several domains; mailkb records fixed hosts", s.Hostname)
	case !model.ValidHostname(host):
		return nil, fmt.Sprintf("hostname %q is not a valid host name", s.Hostname)
	}
	e.Host = host
	port, err := strconv.Atoi(s.Port)
	switch {
	case s.Port == "":
		return nil, "no port"
	case err != nil:
		return nil, fmt.Sprintf("port %q is not a number", s.Port)
	case port < 1 || port > 65535:
		return nil, fmt.Sprintf("port %d is out of range (1–65535)", port)
	}
	e.Port = port
	sec, ok := securities[strings.ToLower(s.SocketType)]
	if !ok {
		if s.SocketType == "" {
			return nil, "no socketType"
		}
		return nil, fmt.Sprintf("socketType %q is not SSL, STARTTLS or plain", s.SocketType)
	}
	e.Security = sec
	for _, a := range s.Authentication {
		m, ok := authMethods[strings.ToLower(a)]
		switch {
		case !ok:
			other = append(other, a)
		case !slices.Contains(e.Auth, m):
			e.Auth = append(e.Auth, m)
		}
		if strings.EqualFold(a, "password-encrypted") || strings.EqualFold(a, "secure") {
			notes = append(notes, "Thunderbird's ISP database asks for password-encrypted sign-in "+
				"(a challenge–response method such as CRAM-MD5); mailkb records it as a password.")
		}
	}
	switch {
	case len(e.Auth) == 0 && len(other) == 0:
		return nil, "no authentication method given"
	case len(e.Auth) == 0 && len(other) == 1 && strings.EqualFold(other[0], "none"):
		return nil, "authentication none: no sign-in (an open relay, or one the network allows); mailkb records password and OAuth2 sign-in"
	case len(e.Auth) == 0:
		return nil, fmt.Sprintf("signs in with %s only; mailkb records password and OAuth2 sign-in", strings.Join(other, ", "))
	case len(other) > 0:
		notes = append(notes, fmt.Sprintf("Thunderbird's ISP database also lists %s, which mailkb does not record.", strings.Join(other, ", ")))
	}
	// mailkb writes methods in its vocabulary's order.
	slices.SortFunc(e.Auth, func(a, b model.Auth) int { return authRank(a) - authRank(b) })
	e.Username, e.UsernameNote = username(s.Username)
	if s.POP3 != nil && strings.EqualFold(s.POP3.LeaveMessagesOnServer, "true") {
		notes = append(notes, "Thunderbird's ISP database sets POP3 accounts to leave messages on the server.")
	}
	e.Note = strings.Join(notes, " ")
	return e, ""
}

func authRank(a model.Auth) int {
	if a == model.Password {
		return 0
	}
	return 1
}

var placeholder = regexp.MustCompile(`%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN)%?`)

var placeholderMeaning = map[string]string{
	"EMAILADDRESS":   "your email address",
	"EMAILLOCALPART": "the part of your address before the @",
	"EMAILDOMAIN":    "the part after the @",
}

// username maps the ISPDB username to mailkb's forms; anything but the two
// plain placeholders becomes "other" with a note that explains it.
func username(raw string) (model.Username, string) {
	switch raw {
	case "%EMAILADDRESS%":
		return model.EmailAddress, ""
	case "%EMAILLOCALPART%":
		return model.LocalPart, ""
	case "":
		return model.OtherName, "Thunderbird's ISP database gives no user name for this server."
	}
	note := fmt.Sprintf("Thunderbird's ISP database gives the user name as `%s`", strings.ReplaceAll(raw, "`", "'"))
	var meanings []string
	for _, m := range placeholder.FindAllStringSubmatch(raw, -1) {
		s := m[1] + " stands for " + placeholderMeaning[m[1]]
		if !slices.Contains(meanings, s) {
			meanings = append(meanings, s)
		}
	}
	if len(meanings) > 0 {
		note += ", where " + strings.Join(meanings, " and ")
	}
	return model.OtherName, note + "."
}

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
