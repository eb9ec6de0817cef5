// Package diagram draws mailkb's diagrams from the data at build time, as
// inline SVG: how a mail program connects to a provider's servers (port and
// encryption on each line), and the SMTP submission dialogue over STARTTLS.
// Colours come from currentColor and CSS classes (.diagram … in site.css),
// so the page's light and dark schemes apply; every diagram is an
// <svg role="img"> labelled by its own <title> and <desc>, which say in
// words what it draws.
package diagram

import (
	"fmt"
	"html"
	"strings"

	"mailkb/generator/model"
)

// Option adjusts a diagram.
type Option func(*config)

type config struct {
	id     string // prefix of the ids inside the SVG
	client string // what the client box says
}

// WithID sets the prefix of the ids the diagram's aria-labelledby points
// at; it must be unique on the page (default "diagram").
func WithID(prefix string) Option { return func(c *config) { c.id = prefix } }

// WithClientName sets what the client end is called (default "Your mail
// program").
func WithClientName(name string) Option { return func(c *config) { c.client = name } }

func configure(opts []Option) config {
	c := config{id: "diagram", client: "Your mail program"}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// Approximate glyph widths, to size boxes for their text without a font.
const (
	monoChar = 7.9 // 13px monospace
	textChar = 7.0 // 13px sans-serif, generous
)

const (
	rowHeight   = 46.0
	groupGap    = 28.0 // room for a group heading
	clientW     = 150.0
	trunkGap    = 24.0 // from the client box to the shared vertical line
	minLinkSpan = 200.0
	boxH        = 32.0
	pad         = 12.0
)

type row struct {
	e     *model.Endpoint
	label string
	y     float64 // centre
}

// Connections draws a client on the left and each server on the right,
// incoming servers first, then outgoing: one line per endpoint labelled
// with protocol, port and encryption. A solid line is implicit TLS, a
// dashed one STARTTLS, a dotted red one no encryption. It returns "" when
// there are no endpoints.
func Connections(providerName string, incoming, outgoing []*model.Endpoint, opts ...Option) string {
	c := configure(opts)
	if len(incoming)+len(outgoing) == 0 {
		return ""
	}
	maxHost, maxLabel := 0, 0
	for _, e := range append(append([]*model.Endpoint{}, incoming...), outgoing...) {
		maxHost = max(maxHost, len(e.Host))
		maxLabel = max(maxLabel, len(linkLabel(e)))
	}
	serverW := max(170, float64(maxHost)*monoChar+2*pad)
	span := max(minLinkSpan, float64(maxLabel)*textChar+2*pad+trunkGap)
	serverX := clientW + 8 + span
	width := serverX + serverW + 8

	var rows []row
	y := 8.0
	var headings []struct {
		text string
		y    float64
	}
	for _, group := range []struct {
		name string
		es   []*model.Endpoint
	}{{"Incoming mail", incoming}, {"Outgoing mail", outgoing}} {
		if len(group.es) == 0 {
			continue
		}
		headings = append(headings, struct {
			text string
			y    float64
		}{group.name, y + 14})
		y += groupGap
		for _, e := range group.es {
			rows = append(rows, row{e: e, label: linkLabel(e), y: y + rowHeight/2})
			y += rowHeight
		}
	}
	height := y + 8
	clientY := height / 2

	var s strings.Builder
	openSVG(&s, c, width, height, fmt.Sprintf("How a mail program connects to %s", providerName), connectionsDesc(c, incoming, outgoing))
	s.WriteString(`<defs><marker id="` + c.id + `-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0 0L10 5L0 10z"/></marker></defs>`)
	fmt.Fprintf(&s, `<rect class="box client" fill="none" stroke="currentColor" x="8" y="%.0f" width="%.0f" height="%.0f" rx="6"/>`, clientY-boxH/2-6, clientW, boxH+12)
	fmt.Fprintf(&s, `<text x="%.0f" y="%.0f" text-anchor="middle">%s</text>`, 8+clientW/2, clientY+5, esc(c.client))
	for _, h := range headings {
		fmt.Fprintf(&s, `<text class="note" x="%.0f" y="%.0f">%s</text>`, serverX, h.y, esc(h.text))
	}
	trunkX := 8 + clientW + trunkGap
	for _, r := range rows {
		class := "link link-" + string(r.e.Security)
		fmt.Fprintf(&s, `<path class="%s" fill="none" stroke="currentColor" stroke-width="1.5" marker-end="url(#%s-arrow)" d="M%.0f %.0fH%.0fV%.0fH%.0f"/>`,
			class, c.id, 8+clientW, clientY, trunkX, r.y, serverX-2)
		fmt.Fprintf(&s, `<text x="%.0f" y="%.0f">%s</text>`, trunkX+pad, r.y-7, esc(r.label))
		fmt.Fprintf(&s, `<rect class="box" fill="none" stroke="currentColor" x="%.0f" y="%.0f" width="%.0f" height="%.0f" rx="4"/>`, serverX, r.y-boxH/2, serverW, boxH)
		fmt.Fprintf(&s, `<text class="mono" x="%.0f" y="%.0f">%s</text>`, serverX+pad, r.y+5, esc(r.e.Host))
	}
	s.WriteString("</svg>")
	return s.String()
}

// linkLabel is the text on a connection: "IMAP · port 993 · SSL/TLS".
func linkLabel(e *model.Endpoint) string {
	return fmt.Sprintf("%s · port %d · %s", e.Protocol.Label(), e.Port, e.Security.Label())
}

func connectionsDesc(c config, incoming, outgoing []*model.Endpoint) string {
	var parts []string
	for _, e := range incoming {
		parts = append(parts, fmt.Sprintf("%s on port %d with %s, to read mail over %s", e.Host, e.Port, e.Security.Label(), e.Protocol.Label()))
	}
	for _, e := range outgoing {
		parts = append(parts, fmt.Sprintf("%s on port %d with %s, to send mail over %s", e.Host, e.Port, e.Security.Label(), e.Protocol.Label()))
	}
	return c.client + " connects to: " + strings.Join(parts, "; ") + "."
}

// step is one line of the submission dialogue.
type step struct {
	fromClient bool
	text       string
}

// Submission draws the SMTP submission dialogue with e: connect, EHLO,
// STARTTLS and the TLS handshake, EHLO again, AUTH, MAIL FROM, RCPT TO,
// DATA and QUIT, with the encrypted part shaded. It returns "" unless e is
// an SMTP endpoint that uses STARTTLS, the one case where the order of
// these commands is something a reader can get wrong.
func Submission(e *model.Endpoint, opts ...Option) string {
	if e == nil || e.Protocol != model.SMTP || e.Security != model.STARTTLS {
		return ""
	}
	c := configure(opts)
	steps := []step{
		{true, fmt.Sprintf("connect to %s:%d", e.Host, e.Port)},
		{false, "220 service ready"},
		{true, "EHLO"},
		{false, "250 … STARTTLS"},
		{true, "STARTTLS"},
		{false, "220 ready to start TLS"},
		{true, "TLS handshake"},
		{true, "EHLO (again, now encrypted)"},
		{false, "250 … AUTH " + authMechanisms(e.Auth)},
		{true, "AUTH " + firstMechanism(e.Auth)},
		{false, "235 authenticated"},
		{true, "MAIL FROM:<you@…>"},
		{true, "RCPT TO:<them@…>"},
		{false, "250 OK (after each)"},
		{true, "DATA, the message, then ."},
		{false, "250 queued"},
		{true, "QUIT"},
		{false, "221 bye"},
	}
	const stepH = 26.0
	const top = 52.0
	leftX, rightX := 110.0, 470.0
	width := 600.0
	height := top + float64(len(steps))*stepH + 16

	var s strings.Builder
	openSVG(&s, c, width, height, fmt.Sprintf("Sending mail through %s: the SMTP dialogue with STARTTLS", e.Host), submissionDesc(c, e, steps))
	s.WriteString(`<defs><marker id="` + c.id + `-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0 0L10 5L0 10z"/></marker></defs>`)
	tlsStart := top + 6*stepH
	fmt.Fprintf(&s, `<rect class="secure" fill="none" x="%.0f" y="%.0f" width="%.0f" height="%.0f"/>`, 4.0, tlsStart, width-8, height-tlsStart-8)
	fmt.Fprintf(&s, `<text class="note" x="%.0f" y="%.0f"><tspan x="%.0f">encrypted</tspan><tspan x="%.0f" dy="15">from here on</tspan></text>`, rightX+10, tlsStart+16, rightX+10, rightX+10)
	for _, head := range []struct {
		x    float64
		text string
		mono bool
	}{{leftX, c.client, false}, {rightX, e.Host, true}} {
		class := ""
		if head.mono {
			class = ` class="mono"`
		}
		fmt.Fprintf(&s, `<text%s x="%.0f" y="24" text-anchor="middle">%s</text>`, class, head.x, esc(head.text))
		fmt.Fprintf(&s, `<line class="lifeline" stroke="currentColor" x1="%.0f" y1="34" x2="%.0f" y2="%.0f"/>`, head.x, head.x, height-8)
	}
	for i, st := range steps {
		y := top + float64(i)*stepH + stepH/2 + 4
		x1, x2 := leftX, rightX-3
		if !st.fromClient {
			x1, x2 = rightX, leftX+3
		}
		marker := fmt.Sprintf(` marker-end="url(#%s-arrow)"`, c.id)
		if st.text == "TLS handshake" {
			marker += fmt.Sprintf(` marker-start="url(#%s-arrow)"`, c.id)
			x1 = leftX + 3
		}
		fmt.Fprintf(&s, `<line class="link" stroke="currentColor" stroke-width="1.5" x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f"%s/>`, x1, y, x2, y, marker)
		fmt.Fprintf(&s, `<text class="mono" x="%.0f" y="%.0f" text-anchor="middle">%s</text>`, (leftX+rightX)/2, y-6, esc(st.text))
	}
	s.WriteString("</svg>")
	return s.String()
}

func submissionDesc(c config, e *model.Endpoint, steps []step) string {
	var parts []string
	for _, st := range steps {
		who := "the server"
		if st.fromClient {
			who = strings.ToLower(c.client[:1]) + c.client[1:]
		}
		if st.text == "TLS handshake" {
			who = "both"
		}
		parts = append(parts, who+": "+st.text)
	}
	return fmt.Sprintf("%s sends through %s on port %d. The connection starts unencrypted and is upgraded by STARTTLS before signing in. In order: %s.",
		c.client, e.Host, e.Port, strings.Join(parts, "; "))
}

// authMechanisms names the SASL mechanisms the server offers for the
// sign-in methods it accepts.
func authMechanisms(as []model.Auth) string {
	var out []string
	for _, a := range as {
		switch a {
		case model.OAuth2:
			out = append(out, "XOAUTH2")
		case model.Password, model.AppPassword:
			if !containsString(out, "LOGIN") {
				out = append(out, "LOGIN")
			}
		}
	}
	if len(out) == 0 {
		return "…"
	}
	return strings.Join(out, " ")
}

func firstMechanism(as []model.Auth) string {
	return strings.Fields(authMechanisms(as))[0]
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// openSVG writes the <svg> start tag and its text alternative.
func openSVG(s *strings.Builder, c config, w, h float64, title, desc string) {
	fmt.Fprintf(s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-labelledby="%s-title %s-desc">`,
		w, h, w, h, c.id, c.id)
	fmt.Fprintf(s, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, c.id, esc(title), c.id, esc(desc))
}

func esc(s string) string { return html.EscapeString(s) }
