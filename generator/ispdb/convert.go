package ispdb

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// imported is what one ISPDB file says, in mailkb's terms.
type imported struct {
	file    string // base name, like gmx.net.xml
	slug    string // the provider id the file gets if mailkb has no match
	name    string
	domains []string  // valid, lower case, without repeats, in file order
	servers []*server // the IMAP, POP3 and SMTP servers mailkb can record, in file order
	enable  *Enable   // the instruction to switch access on, or nil
	doc     *Documentation
	oauth2  *OAuth2
	webmail string // the webmail sign-in page, if a web address
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
	in := &imported{file: file, name: ep.DisplayName, oauth2: cfg.OAuth2}
	if n := len(cfg.Providers); n > 1 {
		in.notes = append(in.notes, fmt.Sprintf("the file has %d emailProvider elements; mailkb imports the first (%q) only", n, ep.ID))
	}
	for _, d := range ep.Domains {
		d = strings.TrimSuffix(strings.ToLower(d), ".")
		switch {
		case !model.ValidHostname(d):
			in.notes = append(in.notes, fmt.Sprintf("domain %q is not a mail domain name", d))
		case !slices.Contains(in.domains, d):
			in.domains = append(in.domains, d)
		}
	}
	in.slug = slug(ep.ID)
	if in.slug == "" && len(in.domains) > 0 {
		in.slug = slug(in.domains[0])
	}
	if in.slug == "" {
		in.slug = slug(strings.TrimSuffix(file, ".xml"))
	}
	if in.name == "" {
		in.name = ep.DisplayShortName
	}
	if in.name == "" {
		in.name = ep.ID
	}
	in.addServers(ep.Incoming, "incomingServer", model.IMAP, model.POP3)
	in.addServers(ep.Outgoing, "outgoingServer", model.SMTP)
	for _, es := range [][]Enable{ep.Enable, cfg.Enable} {
		if len(es) > 0 && in.enable == nil {
			in.enable = &es[0]
		}
	}
	if len(ep.Documentation) > 0 {
		in.doc = &ep.Documentation[0]
	}
	if cfg.WebMail != nil && isWebURL(cfg.WebMail.LoginPage.URL) {
		in.webmail = cfg.WebMail.LoginPage.URL
	}
	return in
}

func (in *imported) addServers(ss []Server, element string, protocols ...model.Protocol) {
	for _, s := range ss {
		e, why := endpointOf(s, protocols)
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
func endpointOf(s Server, protocols []model.Protocol) (*model.Endpoint, string) {
	proto := model.Protocol(strings.ToLower(s.Type))
	if !slices.Contains(protocols, proto) {
		if name, ok := webServices[string(proto)]; ok {
			return nil, name + "; mailkb records IMAP, POP3 and SMTP servers only"
		}
		return nil, fmt.Sprintf("type %q is not one mailkb records here (it records IMAP, POP3 and SMTP)", s.Type)
	}
	e := &model.Endpoint{Protocol: proto, Status: model.Current}
	host := strings.TrimSuffix(strings.ToLower(s.Hostname), ".")
	switch {
	case host == "":
		return nil, "no hostname"
	case strings.Contains(host, "%"):
		return nil, fmt.Sprintf("hostname %q depends on the user's address; mailkb records fixed hosts", s.Hostname)
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
	var notes, other []string
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
