package model

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Protocol is a way a mail program reaches a mailbox.
type Protocol string

const (
	POP3     Protocol = "pop3"
	IMAP     Protocol = "imap"
	SMTP     Protocol = "smtp"
	HTTPMail Protocol = "httpmail" // Hotmail's WebDAV dialect, before 2009

	// The other ways in: Microsoft's and others' protocols a program can
	// use instead of IMAP, POP3 and SMTP. Thunderbird's ISP database
	// lists them beside the mail servers.
	Exchange   Protocol = "exchange"   // an Exchange account found from a server name (Thunderbird's "exchange" type)
	EWS        Protocol = "ews"        // Exchange Web Services, at a URL
	OWA        Protocol = "owa"        // Outlook on the web, at a URL
	Graph      Protocol = "graph"      // Microsoft Graph, at a URL
	ActiveSync Protocol = "activesync" // Exchange ActiveSync, phones' protocol
	JMAP       Protocol = "jmap"       // JSON Meta Application Protocol, at a URL
)

// Protocols lists every protocol in display order: the mail servers
// first, then the other ways in.
var Protocols = []Protocol{IMAP, POP3, SMTP, HTTPMail, Exchange, EWS, Graph, OWA, ActiveSync, JMAP}

// ProtocolNames are the protocols as written in data files.
func ProtocolNames() []string {
	out := make([]string, len(Protocols))
	for i, p := range Protocols {
		out[i] = string(p)
	}
	return out
}

// Incoming reports whether p reads mail (and so can head a guide).
func (p Protocol) Incoming() bool { return p != SMTP }

// MailServer reports whether p is one of the classic mail protocols a
// settings table lists (IMAP, POP3, SMTP and Hotmail's HTTPMail); the
// others are shown as other ways in.
func (p Protocol) MailServer() bool {
	return p == IMAP || p == POP3 || p == SMTP || p == HTTPMail
}

// InAutoconfig reports whether Thunderbird's autoconfig format (the ISP
// database's config-v1.1.xml) has servers of protocol p: every protocol
// but HTTPMail, which Thunderbird never spoke.
func (p Protocol) InAutoconfig() bool { return p != HTTPMail }

// AtURL reports whether p is reached at a web address rather than a host
// and port.
func (p Protocol) AtURL() bool {
	return p == EWS || p == OWA || p == Graph || p == ActiveSync || p == JMAP
}

// Label is the protocol's conventional name.
func (p Protocol) Label() string {
	switch p {
	case POP3:
		return "POP3"
	case IMAP:
		return "IMAP"
	case SMTP:
		return "SMTP"
	case HTTPMail:
		return "DAV (HTTPMail)"
	case Exchange:
		return "Microsoft Exchange"
	case EWS:
		return "Exchange Web Services (EWS)"
	case OWA:
		return "Outlook on the web (OWA)"
	case Graph:
		return "Microsoft Graph"
	case ActiveSync:
		return "Exchange ActiveSync"
	case JMAP:
		return "JMAP"
	}
	return string(p)
}

// Security is how a connection is encrypted.
type Security string

const (
	TLS      Security = "tls"      // implicit TLS from the first byte
	STARTTLS Security = "starttls" // plaintext upgraded by STARTTLS
	NoTLS    Security = "none"
)

// Label is the wording most clients use.
func (s Security) Label() string {
	switch s {
	case TLS:
		return "SSL/TLS"
	case STARTTLS:
		return "STARTTLS"
	case NoTLS:
		return "None"
	}
	return string(s)
}

// Auth is a sign-in method.
type Auth string

const (
	Password          Auth = "password"           // the password, sent as typed inside the encrypted connection
	EncryptedPassword Auth = "password-encrypted" // a challenge–response over the password (CRAM-MD5 and the like)
	OAuth2            Auth = "oauth2"             // a token from the provider's own sign-in page
	AppPassword       Auth = "app-password"       // a separate password made for one program
	NTLM              Auth = "ntlm"
	GSSAPI            Auth = "gssapi"          // Kerberos
	ClientIP          Auth = "client-ip"       // no sign-in: the server trusts the network address
	ClientCertificate Auth = "tls-certificate" // a TLS client certificate
	SMTPAfterPOP      Auth = "smtp-after-pop"  // sending allowed after fetching mail
	NoAuth            Auth = "none"            // no sign-in at all
)

// Auths lists every sign-in method in the order docs present them.
var Auths = []Auth{Password, EncryptedPassword, OAuth2, AppPassword, NTLM, GSSAPI, ClientIP, ClientCertificate, SMTPAfterPOP, NoAuth}

// AuthNames are the methods as written in data files.
func AuthNames() []string {
	out := make([]string, len(Auths))
	for i, a := range Auths {
		out[i] = string(a)
	}
	return out
}

// Label names the method in a reader's words.
func (a Auth) Label() string {
	switch a {
	case Password:
		return "normal password"
	case EncryptedPassword:
		return "encrypted password"
	case OAuth2:
		return "OAuth2"
	case AppPassword:
		return "app password"
	case NTLM:
		return "NTLM"
	case GSSAPI:
		return "Kerberos (GSSAPI)"
	case ClientIP:
		return "no sign-in (the network you connect from is trusted)"
	case ClientCertificate:
		return "TLS client certificate"
	case SMTPAfterPOP:
		return "SMTP after POP (check mail first, then send)"
	case NoAuth:
		return "no sign-in"
	}
	return string(a)
}

// UsesPassword reports whether a program signs in with the user's typed
// password (or an app password) by this method.
func (a Auth) UsesPassword() bool {
	return a == Password || a == EncryptedPassword || a == AppPassword || a == NTLM
}

// Username is the form of the login name: one of the three keywords, or a
// template built from the address with Thunderbird's placeholders
// (%EMAILLOCALPART%.%EMAILDOMAIN%), kept as written.
type Username string

const (
	EmailAddress Username = "email-address"
	LocalPart    Username = "local-part"
	OtherName    Username = "other" // see the endpoint's username_note
)

// IsTemplate reports whether u is a template rather than a keyword.
func (u Username) IsTemplate() bool {
	return u != EmailAddress && u != LocalPart && u != OtherName && u != ""
}

// Label explains the form to a reader; a template is shown filled in for
// an example address at domain.
func (u Username) Label(domain string) string {
	switch u {
	case EmailAddress:
		return "Your full email address"
	case LocalPart:
		return "The part of your address before the @"
	case OtherName, "":
		return "See the note"
	}
	return "Made from your address: for " + ExampleLocalPart + "@" + domain + " it is " + FillPlaceholders(string(u), ExampleLocalPart, domain)
}

// ExampleLocalPart is the user name in examples of templates.
const ExampleLocalPart = "jane"

// placeholderPattern matches Thunderbird's address placeholders, also
// the malformed ones the database has (%EMAILADDRESS without its closing %).
var placeholderPattern = regexp.MustCompile(`%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN)%?`)

// FillPlaceholders writes the address local@domain into a template.
func FillPlaceholders(template, local, domain string) string {
	return placeholderPattern.ReplaceAllStringFunc(template, func(m string) string {
		switch strings.Trim(m, "%") {
		case "EMAILADDRESS":
			return local + "@" + domain
		case "EMAILLOCALPART":
			return local
		}
		return domain
	})
}

// HasPlaceholder reports whether s holds one of the address placeholders.
func HasPlaceholder(s string) bool { return placeholderPattern.MatchString(s) }

// DomainPlaceholder is the host template's stand-in for the user's domain.
const DomainPlaceholder = "%EMAILDOMAIN%"

// ValidHost reports whether h is a hostname, or a template whose only
// placeholder is the user's domain (mail.%EMAILDOMAIN%) and which is a
// hostname once filled in.
func ValidHost(h string) bool {
	if !strings.Contains(h, "%") {
		return ValidHostname(h)
	}
	rest := strings.ReplaceAll(h, DomainPlaceholder, "")
	return !strings.Contains(rest, "%") && ValidHostname(FillPlaceholders(h, ExampleLocalPart, "example.com"))
}

// WebAddress reads an http or https address with a valid host name and no
// user name in it: the host, port and encryption a program connects with
// (443 and TLS for https, 80 and none for http, unless a port is given).
// ok is false for anything else.
func WebAddress(s string) (host string, port int, sec Security, ok bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !ValidHostname(u.Hostname()) || u.User != nil {
		return "", 0, "", false
	}
	port, sec = 443, TLS
	if u.Scheme == "http" {
		port, sec = 80, NoTLS
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return "", 0, "", false
		}
	}
	return u.Hostname(), port, sec, true
}
