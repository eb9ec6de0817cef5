package probe

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"mailkb/generator/model"
)

// WriteJSON writes the checks as one JSON document: {"ok": …, "checks": […]}.
func WriteJSON(w io.Writer, checks []Check) error {
	doc := struct {
		OK     bool    `json:"ok"`
		Checks []Check `json:"checks"`
	}{AllOK(checks), checks}
	for i := range doc.Checks {
		if doc.Checks[i].Mismatches == nil {
			doc.Checks[i].Mismatches = []Mismatch{} // [] rather than null for readers
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// AllOK reports whether every check matched.
func AllOK(checks []Check) bool {
	for _, c := range checks {
		if !c.OK() {
			return false
		}
	}
	return true
}

// WriteText writes the checks for people, one block each, and a summary.
func WriteText(w io.Writer, checks []Check) {
	matched := 0
	for _, c := range checks {
		writeCheck(w, c)
		if c.OK() {
			matched++
		}
	}
	fmt.Fprintf(w, "%d of %d probed servers match\n", matched, len(checks))
}

func writeCheck(w io.Writer, c Check) {
	r := c.Report
	if c.Endpoint != "" {
		fmt.Fprintf(w, "%s %s — %s\n", c.Provider, c.Endpoint, r.Target)
	} else {
		fmt.Fprintf(w, "%s\n", r.Target)
	}
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "  %-14s %s\n", label, fmt.Sprintf(format, args...))
	}
	if r.Remote != "" {
		line("address", "%s (probe took %s)", r.Remote, r.Elapsed.Round(time.Millisecond))
	}
	if t := r.TLS; t != nil {
		if t.Version != "" {
			line("TLS", "%s, %s", t.Version, t.CipherSuite)
		}
		if t.Verified {
			line("certificate", "valid for %s; expires %s", r.Target.Host, t.NotAfter.Format(time.DateOnly))
		} else {
			line("certificate", "NOT VALID (see below); names %s; expires %s", namesList(t.Names), t.NotAfter.Format(time.DateOnly))
		}
		line("", "subject %s; issuer %s", t.Subject, t.Issuer)
	}
	if r.Greeting != "" {
		line("greeting", "%s", r.Greeting)
	}
	if len(r.Capabilities) > 0 {
		line(capabilityLabel(r.Target.Protocol), "%s", joinCapabilities(r.Target.Protocol, r.Capabilities))
	}
	if len(r.AfterSTARTTLS) > 0 {
		line("after STARTTLS", "%s", joinCapabilities(r.Target.Protocol, r.AfterSTARTTLS))
	}
	if r.Failure == nil {
		line("sign-in", "%s", signIn(r))
	} else if !slices.ContainsFunc(c.Mismatches, restatesFailure) {
		line("failed", "%s", r.Failure)
	}
	for _, m := range c.Mismatches {
		fmt.Fprintf(w, "  MISMATCH       %s\n", m)
	}
	switch {
	case !c.OK():
	case c.Endpoint != "":
		line("result", "matches the data")
	default:
		line("result", "answers as given")
	}
	if c.Recorded != "" {
		line("recorded", "verification written at %s", c.Recorded)
	}
	fmt.Fprintln(w)
}

// restatesFailure is true of the mismatches that say what the failure
// says.
func restatesFailure(m Mismatch) bool {
	return m.Kind == KindUnreachable || m.Kind == KindDialogue || m.Kind == KindCertificate
}

func capabilityLabel(p model.Protocol) string {
	switch p {
	case model.SMTP:
		return "EHLO"
	case model.POP3:
		return "CAPA"
	}
	return "CAPABILITY"
}

// joinCapabilities writes a listing on one line. IMAP atoms are single
// words; EHLO and CAPA entries can have several, so they get commas.
func joinCapabilities(p model.Protocol, caps []string) string {
	if p == model.IMAP {
		return strings.Join(caps, " ")
	}
	return strings.Join(caps, ", ")
}

func signIn(r Report) string {
	parts := []string{"SASL none"}
	if len(r.Auth) > 0 {
		parts[0] = "SASL " + strings.Join(r.Auth, " ")
	}
	switch {
	case r.Target.Protocol == model.IMAP && r.PasswordCommand:
		parts = append(parts, "LOGIN command allowed")
	case r.Target.Protocol == model.IMAP:
		parts = append(parts, "LOGINDISABLED")
	case r.Target.Protocol == model.POP3 && r.PasswordCommand:
		parts = append(parts, "USER/PASS allowed")
	}
	return strings.Join(parts, "; ")
}

// namesList shortens a certificate's names: big providers list dozens.
func namesList(names []string) string {
	const shown = 6
	if len(names) == 0 {
		return "(none)"
	}
	if len(names) <= shown {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:shown], ", "), len(names)-shown)
}
