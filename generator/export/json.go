package export

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"strings"

	"mailkb/generator/model"
)

// The JSON API. Field names are snake_case and stable: a field is never
// renamed or removed within v1. Every field is always present; a value that
// is not known or not given is null, an empty list is []. docs/api.md
// describes each field and schema.json checks them.

// APIVersion is the version in the API's path and in every file.
const APIVersion = 1

//go:embed schema.json
var schemaJSON []byte

// schemaIDPlaceholder stands in schema.json for the schema's own URL,
// which depends on the base URL.
const schemaIDPlaceholder = "https://mailkb.invalid/api/v1/schema.json"

type apiIndex struct {
	APIVersion int          `json:"api_version"`
	Kind       string       `json:"kind"`
	AsOf       string       `json:"as_of"`
	Schema     string       `json:"schema"`
	Site       apiSite      `json:"site"`
	Providers  []indexEntry `json:"providers"`
}

type apiSite struct {
	Title    string `json:"title"`
	BaseURL  string `json:"base_url"`
	Language string `json:"language"`
}

type indexEntry struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	URL          string  `json:"url"`
	PageURL      string  `json:"page_url"`
	DomainsCount int     `json:"domains_count"`
	LastVerified *string `json:"last_verified"`
}

type apiProvider struct {
	APIVersion      int             `json:"api_version"`
	Kind            string          `json:"kind"`
	AsOf            string          `json:"as_of"`
	Schema          string          `json:"schema"`
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Summary         string          `json:"summary"`
	URL             string          `json:"url"`
	PageURL         string          `json:"page_url"`
	CSVURL          string          `json:"csv_url"`
	Current         apiCurrent      `json:"current"`
	Endpoints       []apiEndpoint   `json:"endpoints"`
	Facts           []apiFact       `json:"facts"`
	Disputes        []apiDispute    `json:"disputes"`
	Errata          []apiErratum    `json:"errata"`
	Troubleshooting []apiProblem    `json:"troubleshooting"`
	FAQ             []apiQuestion   `json:"faq"`
	Eras            []apiEra        `json:"eras"`
	FormerNames     []apiFormerName `json:"former_names"`
	Domains         []string        `json:"domains"`
	DomainSources   []string        `json:"domain_sources"`
	Related         []apiRelated    `json:"related"`
	Sources         []apiSource     `json:"sources"`
}

type apiCurrent struct {
	Incoming []apiSetting `json:"incoming"`
	Outgoing []apiSetting `json:"outgoing"`
}

// apiSetting is a row of the quick-reference table.
type apiSetting struct {
	Endpoint     string           `json:"endpoint"`
	Protocol     string           `json:"protocol"`
	Host         string           `json:"host"`
	Port         int              `json:"port"`
	Path         *string          `json:"path"`
	URL          *string          `json:"url"`
	EWSURL       *string          `json:"ews_url"`
	OWAURL       *string          `json:"owa_url"`
	Security     string           `json:"security"`
	Auth         []string         `json:"auth"`
	Username     string           `json:"username"`
	UsernameNote *string          `json:"username_note"`
	Preferred    bool             `json:"preferred"`
	LastVerified *apiVerification `json:"last_verified"`
	Stale        bool             `json:"stale"`
}

type apiEndpoint struct {
	ID              string            `json:"id"`
	Protocol        string            `json:"protocol"`
	Host            string            `json:"host"`
	Port            int               `json:"port"`
	Path            *string           `json:"path"`
	URL             *string           `json:"url"`
	EWSURL          *string           `json:"ews_url"`
	OWAURL          *string           `json:"owa_url"`
	Security        string            `json:"security"`
	Auth            []string          `json:"auth"`
	Username        string            `json:"username"`
	UsernameNote    *string           `json:"username_note"`
	From            *string           `json:"from"`
	Until           *string           `json:"until"`
	Status          string            `json:"status"`
	ReplacedBy      *string           `json:"replaced_by"`
	Preferred       bool              `json:"preferred"`
	PreferredDuring []apiPeriod       `json:"preferred_during"`
	Note            *string           `json:"note"`
	Unusual         *string           `json:"unusual"`
	Sources         []string          `json:"sources"`
	Verified        []apiVerification `json:"verified"`
}

type apiPeriod struct {
	From  *string `json:"from"`
	Until *string `json:"until"`
}

type apiVerification struct {
	Date   string  `json:"date"`
	Method string  `json:"method"`
	By     string  `json:"by"`
	Source *string `json:"source"`
	Note   *string `json:"note"`
}

type apiFact struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Kind      string            `json:"kind"`
	Text      string            `json:"text"`
	Protocols []string          `json:"protocols"`
	Where     *string           `json:"where"`
	URL       *string           `json:"url"`
	From      *string           `json:"from"`
	Until     *string           `json:"until"`
	InForce   bool              `json:"in_force"`
	Sources   []string          `json:"sources"`
	Verified  []apiVerification `json:"verified"`
}

type apiDispute struct {
	ID        string     `json:"id"`
	Question  string     `json:"question"`
	Claims    []apiClaim `json:"claims"`
	Verdict   string     `json:"verdict"`
	Endpoints []string   `json:"endpoints"`
}

type apiClaim struct {
	Says    string   `json:"says"`
	Sources []string `json:"sources"`
}

type apiErratum struct {
	ID       string   `json:"id"`
	Field    string   `json:"field"`
	Wrong    string   `json:"wrong"`
	Right    string   `json:"right"`
	Endpoint *string  `json:"endpoint"`
	SeenIn   []string `json:"seen_in"`
	Why      string   `json:"why"`
}

type apiProblem struct {
	ID      string   `json:"id"`
	Problem string   `json:"problem"`
	Fix     string   `json:"fix"`
	Sources []string `json:"sources"`
}

type apiQuestion struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Answer   string   `json:"answer"`
	Sources  []string `json:"sources"`
}

type apiEra struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	From    *string  `json:"from"`
	Until   *string  `json:"until"`
	Summary string   `json:"summary"`
	Sources []string `json:"sources"`
}

type apiFormerName struct {
	Name    string   `json:"name"`
	From    *string  `json:"from"`
	Until   *string  `json:"until"`
	Sources []string `json:"sources"`
}

type apiRelated struct {
	Provider string  `json:"provider"`
	Name     string  `json:"name"`
	URL      string  `json:"url"`
	PageURL  string  `json:"page_url"`
	Note     *string `json:"note"`
}

type apiSource struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Publisher string  `json:"publisher"`
	Author    *string `json:"author"`
	Date      *string `json:"date"`
	URL       *string `json:"url"`
	Note      *string `json:"note"`
}

// marshal writes v as indented JSON with a final newline, leaving <, >
// and & as they are (the files are data, not HTML).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// schema is schema.json with its $id set to where it is published.
func (x *exporter) schema() ([]byte, error) {
	id, err := json.Marshal(x.url(x.u.APISchema()))
	if err != nil {
		return nil, err
	}
	out := bytes.Replace(schemaJSON, []byte(`"`+schemaIDPlaceholder+`"`), id, 1)
	if !json.Valid(out) {
		return nil, errInvalidSchema
	}
	return out, nil
}

var errInvalidSchema = errors.New("schema.json is not valid JSON")

// lastVerified is the newest verification of any of p's current
// endpoints, or nil.
func lastVerified(p *model.Provider) *model.Verification {
	var last *model.Verification
	for _, e := range p.CurrentEndpoints() {
		if v := e.LastVerified(); v != nil && (last == nil || last.Date.Before(v.Date)) {
			last = v
		}
	}
	return last
}

func (x *exporter) asOf() string { return model.DateOf(x.today).String() }

func (x *exporter) index() ([]byte, error) {
	site := x.kb.Site
	idx := apiIndex{APIVersion: APIVersion, Kind: "provider-index", AsOf: x.asOf(), Schema: x.url(x.u.APISchema()),
		Site:      apiSite{Title: site.Title, BaseURL: x.url(x.u.Home()), Language: site.Language},
		Providers: []indexEntry{}}
	for _, p := range x.providers {
		var last *string
		if v := lastVerified(p); v != nil {
			last = str(v.Date.String())
		}
		idx.Providers = append(idx.Providers, indexEntry{ID: p.ID, Name: p.Name, URL: x.url(x.u.ProviderJSON(p)),
			PageURL: x.page(p), DomainsCount: len(p.Domains), LastVerified: last})
	}
	return marshal(idx)
}

func (x *exporter) providerJSON(p *model.Provider) ([]byte, error) {
	out := apiProvider{APIVersion: APIVersion, Kind: "provider", AsOf: x.asOf(), Schema: x.url(x.u.APISchema()),
		ID: p.ID, Name: p.Name, Summary: p.Summary, URL: x.url(x.u.ProviderJSON(p)), PageURL: x.page(p), CSVURL: x.url(x.u.SettingsCSV(p)),
		Current:   apiCurrent{Incoming: []apiSetting{}, Outgoing: []apiSetting{}},
		Endpoints: []apiEndpoint{}, Facts: []apiFact{}, Disputes: []apiDispute{}, Errata: []apiErratum{},
		Troubleshooting: []apiProblem{}, FAQ: []apiQuestion{}, Eras: []apiEra{}, FormerNames: []apiFormerName{},
		Domains: append([]string{}, p.Domains...), DomainSources: ids(p.DomainSources), Related: []apiRelated{}, Sources: []apiSource{}}
	for _, e := range p.CurrentEndpoints() {
		s := apiSetting{Endpoint: e.ID, Protocol: string(e.Protocol), Host: e.Host, Port: e.Port, Path: opt(e.Path),
			URL: opt(e.URL), EWSURL: opt(e.EWSURL), OWAURL: opt(e.OWAURL), Security: string(e.Security), Auth: auths(e.Auth), Username: string(e.Username), UsernameNote: opt(e.UsernameNote),
			Preferred: e.PreferredOn(x.today), Stale: x.stale(e.LastVerified())}
		if v := e.LastVerified(); v != nil {
			av := verification(*v)
			s.LastVerified = &av
		}
		if e.Protocol.Incoming() {
			out.Current.Incoming = append(out.Current.Incoming, s)
		} else {
			out.Current.Outgoing = append(out.Current.Outgoing, s)
		}
	}
	for _, e := range p.Endpoints {
		ae := apiEndpoint{ID: e.ID, Protocol: string(e.Protocol), Host: e.Host, Port: e.Port, Path: opt(e.Path),
			URL: opt(e.URL), EWSURL: opt(e.EWSURL), OWAURL: opt(e.OWAURL), Security: string(e.Security), Auth: auths(e.Auth), Username: string(e.Username), UsernameNote: opt(e.UsernameNote),
			From: date(e.From), Until: date(e.Until), Status: string(status(e.Status)), Preferred: e.Preferred, PreferredDuring: []apiPeriod{},
			Note: opt(e.Note), Unusual: opt(e.Unusual), Sources: ids(e.Sources), Verified: verifications(e.Verified)}
		for _, pd := range e.PreferredDuring {
			ae.PreferredDuring = append(ae.PreferredDuring, apiPeriod{From: date(pd.From), Until: date(pd.Until)})
		}
		if e.ReplacedBy != nil {
			ae.ReplacedBy = str(e.ReplacedBy.ID)
		}
		out.Endpoints = append(out.Endpoints, ae)
	}
	for _, f := range p.Facts {
		protos := []string{}
		for _, proto := range f.Protocols {
			protos = append(protos, string(proto))
		}
		out.Facts = append(out.Facts, apiFact{ID: f.ID, Title: f.Title, Kind: f.Kind, Text: f.Text, Protocols: protos,
			Where: opt(f.Where), URL: opt(f.URL), From: date(f.From), Until: date(f.Until), InForce: inForce(f.Period, x.today),
			Sources: ids(f.Sources), Verified: verifications(f.Verified)})
	}
	for _, d := range p.Disputes {
		ad := apiDispute{ID: d.ID, Question: d.Question, Claims: []apiClaim{}, Verdict: d.Verdict, Endpoints: []string{}}
		for _, c := range d.Claims {
			ad.Claims = append(ad.Claims, apiClaim{Says: c.Says, Sources: ids(c.Sources)})
		}
		for _, e := range d.Endpoints {
			ad.Endpoints = append(ad.Endpoints, e.ID)
		}
		out.Disputes = append(out.Disputes, ad)
	}
	for _, e := range p.Errata {
		ae := apiErratum{ID: e.ID, Field: e.Field, Wrong: e.Wrong, Right: e.Right, SeenIn: ids(e.SeenIn), Why: e.Why}
		if e.Endpoint != nil {
			ae.Endpoint = str(e.Endpoint.ID)
		}
		out.Errata = append(out.Errata, ae)
	}
	for _, t := range p.Troubleshooting {
		out.Troubleshooting = append(out.Troubleshooting, apiProblem{ID: t.ID, Problem: t.Question, Fix: t.Answer, Sources: ids(t.Sources)})
	}
	for _, q := range p.FAQ {
		out.FAQ = append(out.FAQ, apiQuestion{ID: q.ID, Question: q.Question, Answer: q.Answer, Sources: ids(q.Sources)})
	}
	for _, e := range p.Eras {
		out.Eras = append(out.Eras, apiEra{ID: e.ID, Name: e.Name, From: date(e.From), Until: date(e.Until), Summary: e.Summary, Sources: ids(e.Sources)})
	}
	for _, f := range p.FormerNames {
		out.FormerNames = append(out.FormerNames, apiFormerName{Name: f.Name, From: date(f.From), Until: date(f.Until), Sources: ids(f.Sources)})
	}
	for _, r := range p.Related {
		out.Related = append(out.Related, apiRelated{Provider: r.Provider.ID, Name: r.Provider.Name,
			URL: x.url(x.u.ProviderJSON(r.Provider)), PageURL: x.page(r.Provider), Note: opt(r.Note)})
	}
	for _, s := range p.Citations() {
		out.Sources = append(out.Sources, apiSource{ID: s.ID, Title: s.Title, Publisher: s.Publisher, Author: opt(s.Author),
			Date: date(s.Date), URL: opt(s.URL), Note: opt(s.Note)})
	}
	return marshal(out)
}

// stale reports whether v, the last verification of a current value, is
// older than the site's threshold or missing, as the site's notice does.
func (x *exporter) stale(v *model.Verification) bool {
	if v == nil {
		return true
	}
	return v.Date.End().AddDate(0, 0, x.kb.Site.StaleAfterDays).Before(x.today)
}

// status defaults an unset status to current, as the loader does.
func status(s model.Status) model.Status {
	if s == "" {
		return model.Current
	}
	return s
}

func verification(v model.Verification) apiVerification {
	av := apiVerification{Date: v.Date.String(), Method: string(v.Method), By: v.By, Note: opt(v.Note)}
	if v.Source != nil {
		av.Source = str(v.Source.ID)
	}
	return av
}

func verifications(vs []model.Verification) []apiVerification {
	out := []apiVerification{}
	for _, v := range vs {
		out = append(out, verification(v))
	}
	return out
}

func auths(as []model.Auth) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, string(a))
	}
	return out
}

func ids(ss []*model.Source) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func str(s string) *string { return &s }

// opt is nil for an empty string: a value that was not given.
func opt(s string) *string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return &s
}

// date is a date as written, or nil when none was given.
func date(d model.Date) *string {
	if d.IsZero() {
		return nil
	}
	return str(d.String())
}
