package export

import (
	"encoding/xml"
	"slices"
	"strings"

	"mailkb/generator/autoconfig"
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
	SMTPLast       string `xml:"SMTPLast,omitempty"`
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

// autodiscoverProtocol describes e for one of its provider's domains.
// SSL is on for implicit TLS and STARTTLS; Encryption says TLS for
// STARTTLS, as plain SSL on would be read as implicit TLS. The response is
// per domain, so a host made from the user's domain (mail.%EMAILDOMAIN%)
// is written filled in. LoginName is left out when the login is the full
// address, which is what a client uses without it; a static file cannot
// know the address, so for another form it carries the autoconfig
// placeholders (%EMAILLOCALPART%, a template with the domain filled in)
// for a server to fill in.
//
// SPA (Windows sign-in, NTLM or Kerberos) is on when the server takes it
// and no typed password; AuthRequired is off when it needs no sign-in at all (none, the
// client's address, SMTP after POP), and SMTPLast is on for SMTP after
// POP. OAuth2 has no POX element.
func autodiscoverProtocol(e *model.Endpoint, domain string) AutodiscoverProtocol {
	pr := AutodiscoverProtocol{Type: AutodiscoverType(e.Protocol), Server: strings.ReplaceAll(e.Host, model.DomainPlaceholder, domain), Port: e.Port,
		DomainRequired: "off", SPA: "off", SSL: "on", AuthRequired: "on"}
	switch e.Security {
	case model.STARTTLS:
		pr.Encryption = "TLS"
	case model.NoTLS:
		pr.SSL = "off"
	}
	if e.Username != model.EmailAddress {
		pr.LoginName = strings.ReplaceAll(autoconfig.UsernamePlaceholder(e.Username), model.DomainPlaceholder, domain)
	}
	if hasAuth(e.Auth, model.NTLM, model.GSSAPI) && !hasAuth(e.Auth, model.Password, model.EncryptedPassword, model.AppPassword) {
		pr.SPA = "on"
	}
	if !slices.ContainsFunc(e.Auth, func(a model.Auth) bool {
		return a != model.NoAuth && a != model.ClientIP && a != model.SMTPAfterPOP
	}) {
		pr.AuthRequired = "off"
	}
	if e.Protocol == model.SMTP && hasAuth(e.Auth, model.SMTPAfterPOP) {
		pr.SMTPLast = "on"
	}
	return pr
}

// autodiscoverEndpoints are the servers of p a POX response for an email
// account lists: its current IMAP and POP3 endpoints, then SMTP, in the
// order of the autoconfig file.
func autodiscoverEndpoints(p *model.Provider) []*model.Endpoint {
	return append(inDataOrder(p, func(proto model.Protocol) bool { return proto == model.IMAP || proto == model.POP3 }),
		inDataOrder(p, func(proto model.Protocol) bool { return proto == model.SMTP })...)
}

// autodiscover writes the response for domain, one of p's domains.
func autodiscover(eps []*model.Endpoint, domain string) ([]byte, error) {
	acc := AutodiscoverAccount{AccountType: "email", Action: "settings"}
	for _, e := range eps {
		acc.Protocols = append(acc.Protocols, autodiscoverProtocol(e, domain))
	}
	return encodeXML(Autodiscover{Response: AutodiscoverResponse{Account: acc}})
}

// perDomain reports whether the response differs between domains: a host
// or user name is made from the user's domain.
func perDomain(eps []*model.Endpoint) bool {
	return slices.ContainsFunc(eps, func(e *model.Endpoint) bool {
		return e.HostIsTemplate() || strings.Contains(string(e.Username), model.DomainPlaceholder)
	})
}
