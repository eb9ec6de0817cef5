package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
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

// ConfigServer is an incomingServer or outgoingServer element.
type ConfigServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           int      `xml:"port"`
	SocketType     string   `xml:"socketType"`
	Authentication []string `xml:"authentication"`
	Username       string   `xml:"username,omitempty"`
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

// Authentication lists the autoconfig authentication values of an
// endpoint's methods, OAuth2 first: Thunderbird takes the first value it
// supports, and OAuth2 is the stronger. A password and an app password are
// both sent as typed, password-cleartext (over the encrypted connection).
func Authentication(as []model.Auth) []string {
	var out []string
	if hasAuth(as, model.OAuth2) {
		out = append(out, "OAuth2")
	}
	if hasAuth(as, model.Password, model.AppPassword) {
		out = append(out, "password-cleartext")
	}
	return out
}

// UsernamePlaceholder is the autoconfig placeholder for a username form,
// or "" for a form it cannot express (other: see the provider's note).
func UsernamePlaceholder(u model.Username) string {
	switch u {
	case model.EmailAddress:
		return "%EMAILADDRESS%"
	case model.LocalPart:
		return "%EMAILLOCALPART%"
	}
	return ""
}

func configServer(e *model.Endpoint) ConfigServer {
	return ConfigServer{Type: string(e.Protocol), Hostname: e.Host, Port: e.Port, SocketType: SocketType(e.Security),
		Authentication: Authentication(e.Auth), Username: UsernamePlaceholder(e.Username)}
}

// autoconfig writes p's configuration: its current IMAP then POP3 servers
// and its current SMTP servers, each preferred first. Every domain of p
// gets the same file: the emailProvider lists them all. The model has no
// short name, so displayShortName repeats the name.
func (x *exporter) autoconfig(p *model.Provider) ([]byte, error) {
	ep := EmailProvider{ID: p.ID, Domains: p.Domains, DisplayName: p.Name, DisplayShortName: p.Name}
	for _, e := range incoming(p) {
		ep.Incoming = append(ep.Incoming, configServer(e))
	}
	for _, e := range current(p, model.SMTP) {
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
