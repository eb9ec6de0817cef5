package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"mailkb/generator/autoconfig"
	"mailkb/generator/model"
)

// configServer is e as an incomingServer or outgoingServer element.
func configServer(e *model.Endpoint) autoconfig.Server {
	s := autoconfig.Server{Type: string(e.Protocol), Authentication: autoconfig.Authentication(e.Auth), Username: autoconfig.UsernamePlaceholder(e.Username)}
	if e.Protocol.AtURL() {
		s.URL = e.URL
		return s
	}
	s.Hostname, s.Port, s.SocketType = e.Host, strconv.Itoa(e.Port), autoconfig.SocketType(e.Security)
	s.OWAURL, s.EWSURL = e.OWAURL, e.EWSURL
	return s
}

// autoconfig writes p's configuration in Thunderbird's autoconfig format,
// as served at autoconfig.thunderbird.net/v1.1/<domain>: every current
// server, incoming and outgoing, in the data's order (see inDataOrder). Each of
// its domains (those it serves today) gets the same file: the
// emailProvider lists them all. The model has no short name, so
// displayShortName repeats the name.
func (x *exporter) autoconfig(p *model.Provider, domains []string) ([]byte, error) {
	ep := autoconfig.EmailProvider{ID: p.ID, Domains: domains, DisplayName: p.Name, DisplayShortName: p.Name}
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
		ep.Enable = append(ep.Enable, autoconfig.Enable{VisitURL: visit, Instructions: []autoconfig.Text{{Lang: "en", Text: instruction(f)}}})
	}
	ep.Documentation = []autoconfig.Documentation{{URL: x.page(p), Descr: []autoconfig.Text{{Lang: "en",
		Text: fmt.Sprintf("%s mail server settings, their history and sources (%s)", p.Name, x.kb.Site.Title)}}}}
	return encodeXML(autoconfig.Config{Version: "1.1", Providers: []autoconfig.EmailProvider{ep}})
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
