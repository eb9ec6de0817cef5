package autoconfig

import (
	"slices"
	"strings"

	"mailkb/generator/model"
)

// The format's values and mailkb's, both ways: each table below serves
// the export, which writes the model in the format's spelling, and the
// import, which reads a file's values (in any case) into the model.

// socketTypes are the format's socketType values and their securities.
var socketTypes = []struct {
	name     string
	security model.Security
}{{"SSL", model.TLS}, {"STARTTLS", model.STARTTLS}, {"plain", model.NoTLS}}

// SocketType is the socketType of a security value.
func SocketType(s model.Security) string {
	for _, st := range socketTypes {
		if st.security == s {
			return st.name
		}
	}
	return "plain"
}

// securities maps socketType values, by their lower case, to securities.
var securities = func() map[string]model.Security {
	m := map[string]model.Security{}
	for _, st := range socketTypes {
		m[strings.ToLower(st.name)] = st.security
	}
	return m
}()

// SecurityOf is the security a socketType stands for; ok is false for a
// value the format does not have.
func SecurityOf(socketType string) (s model.Security, ok bool) {
	s, ok = securities[strings.ToLower(socketType)]
	return s, ok
}

// authNames are the format's names of the sign-in methods. An app
// password is typed like the account's password and sent as it is typed,
// so the format knows it as password-cleartext.
var authNames = map[model.Auth]string{
	model.Password: "password-cleartext", model.AppPassword: "password-cleartext",
	model.EncryptedPassword: "password-encrypted", model.OAuth2: "OAuth2", model.NTLM: "NTLM", model.GSSAPI: "GSSAPI",
	model.ClientIP: "client-IP-address", model.ClientCertificate: "TLS-client-cert",
	model.SMTPAfterPOP: "smtp-after-pop", model.NoAuth: "none",
}

// authMethods maps the format's authentication values, by their lower
// case, to mailkb's methods: authNames the other way (password-cleartext
// is a password), and "plain" and "secure", the ISP database's old names
// for the two password methods.
var authMethods = func() map[string]model.Auth {
	m := map[string]model.Auth{"plain": model.Password, "secure": model.EncryptedPassword}
	for a, name := range authNames {
		if a != model.AppPassword {
			m[strings.ToLower(name)] = a
		}
	}
	return m
}()

// Authentication lists the authentication values of an endpoint's methods
// in the data's order, which is the order of preference: Thunderbird
// takes the first it supports. A name two methods share (password and app
// password) is written once.
func Authentication(as []model.Auth) []string {
	var out []string
	for _, a := range as {
		if n := authNames[a]; n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// AuthOf is the method an authentication value stands for; ok is false
// for a value the format does not have.
func AuthOf(name string) (a model.Auth, ok bool) {
	a, ok = authMethods[strings.ToLower(name)]
	return a, ok
}

// UsernamePlaceholder is the username value of a username form: a
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

// UsernameOf is the username form a username value stands for: the two
// plain placeholders are keywords, and any other value with a placeholder
// is a template kept as written (%EMAILLOCALPART%.%EMAILDOMAIN%, or
// %EMAILADDRESS without its closing %, which Thunderbird takes as written
// too). A value without one (a literal, a userinput key, none) is other,
// and ok is false: the format gives no form mailkb knows.
func UsernameOf(value string) (u model.Username, ok bool) {
	switch {
	case value == UsernamePlaceholder(model.EmailAddress):
		return model.EmailAddress, true
	case value == UsernamePlaceholder(model.LocalPart):
		return model.LocalPart, true
	case model.HasPlaceholder(value):
		return model.Username(value), true
	}
	return model.OtherName, false
}
