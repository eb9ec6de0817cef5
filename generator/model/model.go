// Package model holds mailkb's knowledge: providers with their versioned
// endpoint history, facts, disputes and errata, mail clients, and the
// bibliography they cite. It does no I/O; loaders fill it and renderers
// read it through the queries in this package.
package model

import (
	"fmt"
	"time"
)

// Pos is where a value was written: file, 1-based line and column.
type Pos struct {
	File         string
	Line, Column int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Protocol is a mail access protocol.
type Protocol string

const (
	POP3     Protocol = "pop3"
	IMAP     Protocol = "imap"
	SMTP     Protocol = "smtp"
	HTTPMail Protocol = "httpmail" // Hotmail's WebDAV dialect, before 2009
)

// Protocols lists every protocol in display order.
var Protocols = []Protocol{IMAP, POP3, SMTP, HTTPMail}

// Incoming reports whether p reads mail (and so can head a guide).
func (p Protocol) Incoming() bool { return p != SMTP }

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
	Password    Auth = "password"
	OAuth2      Auth = "oauth2"
	AppPassword Auth = "app-password"
)

// Label names the method for readers.
func (a Auth) Label() string {
	switch a {
	case Password:
		return "Password"
	case OAuth2:
		return "OAuth2 (Modern Auth)"
	case AppPassword:
		return "App password"
	}
	return string(a)
}

// Username is the form of the login name.
type Username string

const (
	EmailAddress Username = "email-address"
	LocalPart    Username = "local-part"
	OtherName    Username = "other"
)

// Label explains the form to a reader.
func (u Username) Label() string {
	switch u {
	case EmailAddress:
		return "Your full email address"
	case LocalPart:
		return "The part of your address before the @"
	}
	return "See the note"
}

// Status says what became of an endpoint after its period.
type Status string

const (
	Current Status = "current" // still the published setting
	Legacy  Status = "legacy"  // no longer published, still answers
	Retired Status = "retired" // no longer published, gone
)

// Method is how a value was verified.
type Method string

const (
	Probe     Method = "probe"     // a program connected to the server
	Manual    Method = "manual"    // a person set up a client with it
	Published Method = "published" // a source published it on that date
)

// Source is one entry of the bibliography.
type Source struct {
	ID, Title, Publisher, Author string
	Date                         Date // zero when undated
	URL, Note                    string
	Pos                          Pos
}

// Verification records that a value was checked.
type Verification struct {
	Date   Date
	Method Method
	By     string
	Source *Source // optional
	Note   string
	Pos    Pos
}

// Period is when a value was the published one. Until is exclusive.
type Period struct {
	From, Until Date // zero when unknown or open
}

// Endpoint is one server setting in one period.
type Endpoint struct {
	ID           string
	Provider     *Provider
	Protocol     Protocol
	Host         string
	Port         int
	Path         string // httpmail only
	Security     Security
	Auth         []Auth
	Username     Username
	UsernameNote string
	Period
	Status     Status
	ReplacedBy *Endpoint
	Preferred  bool
	Note       string
	// Unusual explains a port and security that do not fit together (POP3
	// on 993); without it the combination is taken for a mistake.
	Unusual  string
	Sources  []*Source
	Verified []Verification
	Pos      Pos
	// Loaded is the day the knowledge base was read. A current endpoint
	// that nothing dates is known to be in force on that day, and is
	// placed from it: no earlier claim is made.
	Loaded time.Time
}

// FormerName is a name the provider used to have.
type FormerName struct {
	Name string
	Period
	Sources []*Source
}

// Related links a provider to a different but related one.
type Related struct {
	Provider *Provider
	Note     string
}

// Era is a named span of a provider's history.
type Era struct {
	ID, Name string
	Period
	Summary string
	Sources []*Source
}

// Fact is a versioned statement that is not an endpoint.
type Fact struct {
	ID, Title, Kind, Text string
	Protocols             []Protocol
	Where, URL            string
	Period
	Sources  []*Source
	Verified []Verification
	Pos      Pos
}

// Claim is what one group of sources says.
type Claim struct {
	Says    string
	Sources []*Source
}

// Dispute records sources that disagree and which claim stands.
type Dispute struct {
	ID, Question string
	Claims       []Claim
	Verdict      string
	Endpoints    []*Endpoint
}

// Erratum is a wrong value circulating in published guides.
type Erratum struct {
	ID, Field, Wrong, Right, Why string
	Endpoint                     *Endpoint
	SeenIn                       []*Source
}

// Entry is a question-and-answer pair: a FAQ or a troubleshooting item.
type Entry struct {
	ID, Question, Answer string
	Sources              []*Source
}

// Provider is a mail service and its settings history.
type Provider struct {
	ID, Name, Summary string
	FormerNames       []FormerName
	Domains           []string
	DomainSources     []*Source
	Related           []Related
	Eras              []Era
	Endpoints         []*Endpoint
	Facts             []*Fact
	Disputes          []Dispute
	Errata            []Erratum
	Troubleshooting   []Entry
	FAQ               []Entry
	File              string
}

// Client is a mail program.
type Client struct {
	ID, Name, Vendor string
	Platforms        []string
	Period
	Protocols []Protocol
	Auth      []Auth
	Summary   string
	UI        map[string]string
	Sources   []*Source
	File      string
}

// Site holds the site-wide settings from data/site.yaml.
type Site struct {
	Title, Description, BaseURL, Language string
	StaleAfterDays                        int
}

// KB is a whole knowledge base.
type KB struct {
	Site      Site
	Sources   []*Source // in bibliography order
	Providers []*Provider
	Clients   []*Client
}
