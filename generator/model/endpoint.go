package model

import "strings"

// ExampleDomain is the domain templates are shown filled in with: the
// provider's first, or a reserved one.
func (e *Endpoint) ExampleDomain() string {
	if e.Provider != nil && len(e.Provider.Domains) > 0 {
		return e.Provider.Domains[0]
	}
	return "example.com"
}

// UsernameLabel says what to type as the user name, in a reader's words.
func (e *Endpoint) UsernameLabel() string { return e.Username.Label(e.ExampleDomain()) }

// HostIsTemplate reports whether the host depends on the user's address
// (mail.%EMAILDOMAIN%).
func (e *Endpoint) HostIsTemplate() bool { return strings.Contains(e.Host, "%") }

// HostLabel is the host for a reader: as it is, or, for a template, with
// the domain part described.
func (e *Endpoint) HostLabel() string {
	if !e.HostIsTemplate() {
		return e.Host
	}
	return strings.ReplaceAll(e.Host, DomainPlaceholder, "<your domain>")
}
