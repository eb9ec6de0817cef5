// Package model holds mailkb's knowledge: providers with their versioned
// endpoint history, facts, disputes and errata, mail clients, and the
// bibliography they cite. It does no I/O; loaders fill it and renderers
// read it through the queries in this package.
package model

import (
	"fmt"
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

// Status says what became of an endpoint after its period.
type Status string

const (
	Current Status = "current" // still the published setting
	Legacy  Status = "legacy"  // no longer published, still answers
	Retired Status = "retired" // no longer published, gone
	// Withdrawn: no longer published; whether it still answers is not
	// known (a source stopped listing it, and nobody has tried it since).
	Withdrawn Status = "withdrawn"
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
//
// A boundary known only from evidence is marked "by": FromBy says the value
// was in force by From (it may have started earlier: From is the first
// evidence of it), UntilBy that it had ended by Until (it was last seen
// before; its verifications say when). A value is placed on the timeline
// from From to Until either way; pages say what is and is not known.
type Period struct {
	From, Until     Date // zero when unknown or open
	FromBy, UntilBy bool
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
	// Preferred marks the first choice among alternatives in force
	// together, for the whole period; PreferredDuring, for parts of it.
	Preferred       bool
	PreferredDuring []Period
	Note            string
	// URL is where a protocol reached at a web address (EWS, Graph …)
	// answers; Host, Port and Security are read from it. EWSURL and
	// OWAURL are an Exchange server's web services, when published.
	URL, EWSURL, OWAURL string
	// Unusual explains a value that looks wrong and is right (POP3 on
	// 993, a host one letter from another); without it the value is taken
	// for a mistake.
	Unusual  string
	Sources  []*Source
	Verified []Verification
	Pos      Pos
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
	// Domains are every mail domain the provider has served, in the order
	// written; DomainPeriods holds the periods of those that did not
	// serve throughout (icloud.com only from September 2012).
	Domains         []string
	DomainPeriods   map[string]Period
	DomainSources   []*Source
	Related         []Related
	Eras            []Era
	Endpoints       []*Endpoint
	Facts           []*Fact
	Disputes        []Dispute
	Errata          []Erratum
	Troubleshooting []Entry
	FAQ             []Entry
	File            string
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
	// Setup lists the ways the program adds an account, as documented.
	Setup   []Setup
	Sources []*Source
	File    string
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
