package probe

import (
	"fmt"
	"slices"
	"strings"

	"mailkb/generator/model"
)

// Kind is what a mismatch is about.
type Kind string

const (
	KindUnreachable Kind = "unreachable" // no connection: refused, timed out, or the host does not resolve
	KindSecurity    Kind = "security"    // the server speaks another security
	KindCertificate Kind = "certificate" // the certificate did not verify
	KindAuth        Kind = "auth"        // a sign-in method the data lists is not offered
	KindDialogue    Kind = "dialogue"    // the server answered but the dialogue failed
)

// Mismatch is one difference between the data and what a probe saw.
type Mismatch struct {
	Kind Kind `json:"kind"`
	// Expected is what the data (or the command line) says; empty when
	// it says nothing on the matter (a certificate, a failed dialogue).
	Expected string `json:"expected,omitempty"`
	Seen     string `json:"seen"`
}

func (m Mismatch) String() string {
	if m.Expected == "" {
		return fmt.Sprintf("%s: %s", m.Kind, m.Seen)
	}
	return fmt.Sprintf("%s: expected %s, but %s", m.Kind, m.Expected, m.Seen)
}

// mechanisms maps each sign-in method of the data to the SASL mechanisms
// that provide it.
var mechanisms = map[model.Auth][]string{
	model.OAuth2:      {"XOAUTH2", "OAUTHBEARER"},
	model.Password:    {"PLAIN", "LOGIN"},
	model.AppPassword: {"PLAIN", "LOGIN"},
}

// Compare lists how what a probe saw differs from endpoint e. No
// mismatches means the server matches the data.
func Compare(r Report, e *model.Endpoint) []Mismatch {
	if f := r.Failure; f != nil && f.Step == StepConnect {
		return []Mismatch{{KindUnreachable, fmt.Sprintf("%s on %s", e.Protocol.Label(), TargetOf(e).Address()), f.Message}}
	}
	var out []Mismatch
	securityDiffers := r.Security != "" && r.Security != e.Security
	if securityDiffers {
		out = append(out, Mismatch{KindSecurity, securityData(e.Security), "the server " + securityPhrase(r.Security)})
	}
	certificateFailed := r.TLS != nil && !r.TLS.Verified
	if certificateFailed {
		out = append(out, Mismatch{Kind: KindCertificate, Seen: r.TLS.VerifyError})
	}
	if r.Failure != nil {
		// A failure that the security or the certificate explains is not
		// reported twice.
		if !securityDiffers && !certificateFailed {
			out = append(out, Mismatch{Kind: KindDialogue, Seen: r.Failure.Error()})
		}
		return out
	}
	for _, a := range e.Auth {
		if !offers(r, a) {
			out = append(out, Mismatch{KindAuth, string(a), "the server " + missingAuth(r, a)})
		}
	}
	return out
}

// offers reports whether the server offered sign-in method a.
func offers(r Report, a model.Auth) bool {
	if (a == model.Password || a == model.AppPassword) && r.PasswordCommand {
		return true
	}
	return slices.ContainsFunc(mechanisms[a], func(m string) bool { return slices.Contains(r.Auth, m) })
}

func missingAuth(r Report, a model.Auth) string {
	want := strings.Join(mechanisms[a], " or ")
	if a != model.OAuth2 {
		switch r.Target.Protocol {
		case model.IMAP:
			want += " and says LOGINDISABLED"
		case model.POP3:
			want += " nor USER"
		}
	}
	offered := "none"
	if len(r.Auth) > 0 {
		offered = strings.Join(r.Auth, " ")
	}
	return fmt.Sprintf("offers no %s (its SASL mechanisms: %s)", want, offered)
}

func securityData(s model.Security) string {
	switch s {
	case model.TLS:
		return "tls (implicit TLS)"
	case model.STARTTLS:
		return "starttls"
	}
	return "none (plaintext)"
}

func securityPhrase(s model.Security) string {
	switch s {
	case model.TLS:
		return "speaks implicit TLS"
	case model.STARTTLS:
		return "speaks plaintext and offers STARTTLS"
	}
	return "speaks plaintext and does not offer STARTTLS"
}
