package probe

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"mailkb/generator/model"
	"mailkb/generator/verify"
)

// Check is one server probed and compared with what it should be.
type Check struct {
	Provider   string     `json:"provider,omitempty"` // empty for a server probed without data
	Endpoint   string     `json:"endpoint,omitempty"`
	Report     Report     `json:"report"`
	Mismatches []Mismatch `json:"mismatches"`
	// Recorded is file:line of the verification written with --record.
	Recorded string `json:"recorded,omitempty"`
}

// OK reports whether the server matched.
func (c Check) OK() bool { return len(c.Mismatches) == 0 }

// ChoiceError is a provider or protocol that is not there; it lists the
// choices. The command treats it as a usage error.
type ChoiceError struct {
	What    string
	Choices []string
}

func (e *ChoiceError) Error() string {
	return fmt.Sprintf("%s; choose one of: %s", e.What, strings.Join(e.Choices, ", "))
}

// probeable is whether mailkb can talk the protocol (not httpmail).
func probeable(p model.Protocol) bool {
	_, ok := dialogues[p]
	return ok
}

// Endpoints returns the current endpoints of a provider that a probe can
// check, of one protocol when protocol is not empty.
func Endpoints(kb *model.KB, provider, protocol string) ([]*model.Endpoint, error) {
	p := kb.Provider(provider)
	if p == nil {
		ids := kb.ProviderIDs()
		return nil, &ChoiceError{fmt.Sprintf("no provider %q", provider), ids}
	}
	var all, chosen []*model.Endpoint
	var protocols []string
	for _, e := range p.CurrentEndpoints() {
		if !probeable(e.Protocol) {
			continue
		}
		all = append(all, e)
		if !slices.Contains(protocols, string(e.Protocol)) {
			protocols = append(protocols, string(e.Protocol))
		}
		if protocol == "" || string(e.Protocol) == protocol {
			chosen = append(chosen, e)
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s has no current imap, pop3 or smtp endpoint to probe", p.ID)
	}
	if len(chosen) == 0 {
		return nil, &ChoiceError{fmt.Sprintf("%s has no current %q endpoint", p.ID, protocol), protocols}
	}
	return chosen, nil
}

// TargetOf is where endpoint e says its server is.
func TargetOf(e *model.Endpoint) Target {
	return Target{Protocol: e.Protocol, Host: e.Host, Port: e.Port, Security: e.Security}
}

// CheckEndpoints probes the endpoints at once and compares each with its
// data; the checks come back in the endpoints' order.
func (p *Prober) CheckEndpoints(ctx context.Context, es []*model.Endpoint) []Check {
	checks := make([]Check, len(es))
	var wg sync.WaitGroup
	for i, e := range es {
		wg.Go(func() {
			r := p.Probe(ctx, TargetOf(e))
			checks[i] = Check{Provider: e.Provider.ID, Endpoint: e.ID, Report: r, Mismatches: Compare(r, e)}
		})
	}
	wg.Wait()
	return checks
}

// CheckTarget probes a server that is not in the data. Its security is
// checked as given; sign-in methods are only reported.
func (p *Prober) CheckTarget(ctx context.Context, t Target) Check {
	r := p.Probe(ctx, t)
	asGiven := &model.Endpoint{Protocol: t.Protocol, Host: t.Host, Port: t.Port, Security: t.Security}
	return Check{Report: r, Mismatches: Compare(r, asGiven)}
}

// RecordMatches writes each check that matched into the knowledge base at
// root as a verification by `by` on today (method probe), through the same
// in-place edit as the verify command, and notes where in its Recorded.
// Each record re-reads the endpoint under the knowledge base's lock and is
// refused if the endpoint no longer says what was probed (someone edited
// it meanwhile). waiting is called when another command holds the lock.
// It stops at the first error.
func RecordMatches(ctx context.Context, root string, checks []Check, by string, today time.Time, waiting func()) error {
	for i := range checks {
		c := &checks[i]
		if !c.OK() {
			continue
		}
		ev := verify.Event{Date: model.DateOf(today), Method: model.Probe, By: by, Note: Summary(c.Report)}
		still := func(e *model.Endpoint) error {
			if now := TargetOf(e); now != c.Report.Target || len(Compare(c.Report, e)) > 0 {
				return fmt.Errorf("%s %s changed while it was probed (it now says %s); probe it again", c.Provider, c.Endpoint, now)
			}
			return nil
		}
		rec, err := verify.Record(ctx, root, c.Provider, c.Endpoint, ev, verify.Options{Today: today, Waiting: waiting, Still: still})
		if err != nil {
			return fmt.Errorf("recording %s %s: %w", c.Provider, c.Endpoint, err)
		}
		c.Recorded = fmt.Sprintf("%s:%d", rec.File, rec.Line)
	}
	return nil
}

// Summary is one sentence on what a probe saw, for a verification note.
// It avoids ": " so that YAML needs no quotes around it.
func Summary(r Report) string {
	var parts []string
	switch r.Security {
	case model.TLS:
		parts = append(parts, "implicit TLS")
	case model.STARTTLS:
		parts = append(parts, "STARTTLS")
	case model.NoTLS:
		parts = append(parts, "plaintext")
	}
	if r.TLS != nil && r.TLS.Verified {
		parts = append(parts, fmt.Sprintf("%s with a certificate valid until %s", r.TLS.Version, r.TLS.NotAfter.Format(time.DateOnly)))
	}
	auth := "no SASL mechanisms"
	if len(r.Auth) > 0 {
		names := make([]string, len(r.Auth))
		for i, m := range r.Auth {
			// The names come from the server: one that is not plain
			// text is quoted with its control characters escaped, so
			// that the note stays text a terminal and a page can show.
			names[i] = m
			if verify.PlainText(m, false) != nil {
				names[i] = strconv.QuoteToASCII(m)
			}
		}
		auth = "AUTH " + strings.Join(names, " ")
	}
	switch {
	case r.PasswordCommand && r.Target.Protocol == model.IMAP:
		auth += " and the LOGIN command"
	case r.PasswordCommand && r.Target.Protocol == model.POP3:
		auth += " and USER/PASS"
	}
	parts = append(parts, auth)
	return fmt.Sprintf("mailkb probe of %s saw %s.", r.Target.Address(), strings.Join(parts, ", "))
}
