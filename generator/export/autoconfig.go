package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"mailkb/generator/model"
)

// Thunderbird's autoconfig format, config-v1.1.xml, as served at
// autoconfig.thunderbird.net/v1.1/<domain>. Only the elements mailkb has
// data for are written.

// ClientConfig is the document element of an autoconfig file.
type ClientConfig struct {
	XMLName  xml.Name      `xml:"clientConfig"`
	Version  string        `xml:"version,attr"`
	Provider EmailProvider `xml:"emailProvider"`
}

// EmailProvider describes one provider's servers.
type EmailProvider struct {
	ID               string          `xml:"id,attr"`
	Domains          []string        `xml:"domain"`
	DisplayName      string          `xml:"displayName"`
	DisplayShortName string          `xml:"displayShortName"`
	Incoming         []ConfigServer  `xml:"incomingServer"`
	Outgoing         []ConfigServer  `xml:"outgoingServer"`
	Enable           []ConfigEnable  `xml:"enable"`
	Documentation    []Documentation `xml:"documentation"`
}

// ConfigServer is an incomingServer or outgoingServer element. A server
// reached by name and port has hostname, port and socketType (an exchange
// server also its owaURL and ewsURL); a web service (ews, owa, graph) has
// its url instead.
type ConfigServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname,omitempty"`
	Port           int      `xml:"port,omitempty"`
	SocketType     string   `xml:"socketType,omitempty"`
	Authentication []string `xml:"authentication"`
	Username       string   `xml:"username,omitempty"`
	URL            string   `xml:"url,omitempty"`
	OWAURL         string   `xml:"owaURL,omitempty"`
	EWSURL         string   `xml:"ewsURL,omitempty"`
}

// ConfigEnable tells the user to switch access on before connecting.
type ConfigEnable struct {
	VisitURL     string      `xml:"visiturl,attr"`
	Instructions []LangDescr `xml:"instruction"`
}

// Documentation links to a page that explains the settings.
type Documentation struct {
	URL   string      `xml:"url,attr"`
	Descr []LangDescr `xml:"descr"`
}

// LangDescr is text in one language.
type LangDescr struct {
	Lang string `xml:"lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

// SocketType is the autoconfig socketType of a security value.
func SocketType(s model.Security) string {
	switch s {
	case model.TLS:
		return "SSL"
	case model.STARTTLS:
		return "STARTTLS"
	}
	return "plain"
}

// authNames are the autoconfig names of the sign-in methods. An app
// password is typed like the account's password and sent as it is typed,
// so the format knows it as password-cleartext.
var authNames = map[model.Auth]string{
	model.Password: "password-cleartext", model.AppPassword: "password-cleartext",
	model.EncryptedPassword: "password-encrypted", model.OAuth2: "OAuth2", model.NTLM: "NTLM", model.GSSAPI: "GSSAPI",
	model.ClientIP: "client-IP-address", model.ClientCertificate: "TLS-client-cert",
	model.SMTPAfterPOP: "smtp-after-pop", model.NoAuth: "none",
}

// Authentication lists the autoconfig authentication values of an
// endpoint's methods in the data's order, which is the order of
// preference: Thunderbird takes the first it supports. A name two methods
// share (password and app password) is written once.
func Authentication(as []model.Auth) []string {
	var out []string
	for _, a := range as {
		if n := authNames[a]; n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// UsernamePlaceholder is the autoconfig value of a username form: a
// placeholder for the keywords, a template as the data writes it, or ""
// for a form the format cannot express (other: see the provider's note).
func UsernamePlaceholder(u model.Username) string {
	switch {
	case u == model.EmailAddress:
		return "%EMAILADDRESS%"
	case u == model.LocalPart:
		return "%EMAILLOCALPART%"
	case u.IsTemplate():
		return string(u)
	}
	return ""
}

func configServer(e *model.Endpoint) ConfigServer {
	s := ConfigServer{Type: string(e.Protocol), Authentication: Authentication(e.Auth), Username: UsernamePlaceholder(e.Username)}
	if e.Protocol.AtURL() {
		s.URL = e.URL
		return s
	}
	s.Hostname, s.Port, s.SocketType = e.Host, e.Port, SocketType(e.Security)
	s.OWAURL, s.EWSURL = e.OWAURL, e.EWSURL
	return s
}

// autoconfig writes p's configuration: every current server in the format,
// incoming and outgoing, in the data's order (see inDataOrder). Each of
// its domains (those it serves today) gets the same file: the
// emailProvider lists them all. The model has no short name, so
// displayShortName repeats the name.
func (x *exporter) autoconfig(p *model.Provider, domains []string) ([]byte, error) {
	ep := EmailProvider{ID: p.ID, Domains: domains, DisplayName: p.Name, DisplayShortName: p.Name}
	for _, e := range inDataOrder(p, func(proto model.Protocol) bool { return proto.Incoming() && proto.InAutoconfig() }) {
		ep.Incoming = append(ep.Incoming, configServer(e))
	}
	for _, e := range inDataOrder(p, func(proto model.Protocol) bool { return proto == model.SMTP }) {
		ep.Outgoing = append(ep.Outgoing, configServer(e))
	}
	for _, f := range x.enableFacts(p) {
		visit := f.URL
		if visit == "" {
			visit = x.page(p) + "#facts"
		}
		ep.Enable = append(ep.Enable, ConfigEnable{VisitURL: visit, Instructions: []LangDescr{{Lang: "en", Text: instruction(f)}}})
	}
	ep.Documentation = []Documentation{{URL: x.page(p), Descr: []LangDescr{{Lang: "en",
		Text: fmt.Sprintf("%s mail server settings, their history and sources (%s)", p.Name, x.kb.Site.Title)}}}}
	return encodeXML(ClientConfig{Version: "1.1", Provider: ep})
}

// instruction is the text of an enable element: the fact's title and
// where to switch access on.
func instruction(f *model.Fact) string {
	s := strings.TrimRight(f.Title, ".") + "."
	if f.Where != "" {
		s += " Where: " + strings.TrimRight(f.Where, ".") + "."
	}
	return s
}

// encodeXML writes v with the XML declaration, indented, with a final
// newline.
func encodeXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
