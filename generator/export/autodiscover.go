package export

import (
	"encoding/xml"

	"mailkb/generator/model"
)

// Microsoft Autodiscover, plain old XML (POX): the response an Autodiscover
// service gives a client that asked with the Outlook request schema, for
// an account of type email (IMAP, POP3 and SMTP rather than Exchange).

// Namespaces of the Autodiscover response.
const (
	AutodiscoverNS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
	OutlookNS      = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
)

// Autodiscover is the document element of a response.
type Autodiscover struct {
	XMLName  xml.Name             `xml:"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006 Autodiscover"`
	Response AutodiscoverResponse `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Response"`
}

// AutodiscoverResponse holds the account.
type AutodiscoverResponse struct {
	Account AutodiscoverAccount `xml:"Account"`
}

// AutodiscoverAccount is a mail account and its servers.
type AutodiscoverAccount struct {
	AccountType string                 `xml:"AccountType"`
	Action      string                 `xml:"Action"`
	Protocols   []AutodiscoverProtocol `xml:"Protocol"`
}

// AutodiscoverProtocol is one server.
type AutodiscoverProtocol struct {
	Type           string `xml:"Type"`
	Server         string `xml:"Server"`
	Port           int    `xml:"Port"`
	DomainRequired string `xml:"DomainRequired"`
	LoginName      string `xml:"LoginName,omitempty"`
	SPA            string `xml:"SPA"`
	SSL            string `xml:"SSL"`
	Encryption     string `xml:"Encryption,omitempty"`
	AuthRequired   string `xml:"AuthRequired"`
}

// AutodiscoverType is the Protocol Type of an endpoint's protocol.
func AutodiscoverType(p model.Protocol) string {
	switch p {
	case model.IMAP:
		return "IMAP"
	case model.POP3:
		return "POP3"
	}
	return "SMTP"
}

// autodiscoverProtocol describes e. SSL is on for implicit TLS and
// STARTTLS; Encryption says TLS for STARTTLS, as plain SSL on would be
// read as implicit TLS. LoginName is left out when the login is the full
// address, which is what a client uses without it; a static file cannot
// know the address, so for the local part it carries the autoconfig
// placeholder %EMAILLOCALPART% for a server to fill in. SPA (NTLM or
// Kerberos) is off: mailkb's methods are password and OAuth2, and OAuth2
// has no POX element.
func autodiscoverProtocol(e *model.Endpoint) AutodiscoverProtocol {
	pr := AutodiscoverProtocol{Type: AutodiscoverType(e.Protocol), Server: e.Host, Port: e.Port,
		DomainRequired: "off", SPA: "off", SSL: "on", AuthRequired: "on"}
	switch e.Security {
	case model.STARTTLS:
		pr.Encryption = "TLS"
	case model.NoTLS:
		pr.SSL = "off"
	}
	if e.Username == model.LocalPart {
		pr.LoginName = UsernamePlaceholder(e.Username)
	}
	return pr
}

// autodiscover writes the response for p's domains: its current IMAP,
// POP3 and SMTP servers, each preferred first.
func autodiscover(p *model.Provider) ([]byte, error) {
	acc := AutodiscoverAccount{AccountType: "email", Action: "settings"}
	for _, e := range append(incoming(p), current(p, model.SMTP)...) {
		acc.Protocols = append(acc.Protocols, autodiscoverProtocol(e))
	}
	return encodeXML(Autodiscover{Response: AutodiscoverResponse{Account: acc}})
}
