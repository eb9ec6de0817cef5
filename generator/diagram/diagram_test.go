package diagram

import (
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"mailkb/generator/model"
)

func endpoint(proto model.Protocol, host string, port int, sec model.Security, auth ...model.Auth) *model.Endpoint {
	return &model.Endpoint{Protocol: proto, Host: host, Port: port, Security: sec, Auth: auth}
}

var (
	imap    = endpoint(model.IMAP, "imap.example.net", 993, model.TLS, model.OAuth2)
	pop     = endpoint(model.POP3, "pop.example.net", 995, model.TLS, model.Password)
	smtp    = endpoint(model.SMTP, "smtp.example.net", 587, model.STARTTLS, model.OAuth2, model.Password)
	smtpTLS = endpoint(model.SMTP, "smtp.example.net", 465, model.TLS, model.Password)
	plain   = endpoint(model.HTTPMail, "services.example.net", 80, model.NoTLS, model.Password)
)

// wellFormed parses svg as XML and returns the text of its <title> and
// <desc>, checking that aria-labelledby names them.
func wellFormed(t *testing.T, svg string) (title, desc string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var labelledBy []string
	ids := map[string]string{}
	var open string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			open = tok.Name.Local
			for _, a := range tok.Attr {
				switch a.Name.Local {
				case "aria-labelledby":
					labelledBy = strings.Fields(a.Value)
				case "id":
					ids[a.Value] = tok.Name.Local
				case "role":
					if a.Value != "img" {
						t.Errorf("role=%q", a.Value)
					}
				}
			}
		case xml.CharData:
			switch open {
			case "title":
				title += string(tok)
			case "desc":
				desc += string(tok)
			}
		case xml.EndElement:
			open = ""
		}
	}
	if len(labelledBy) != 2 || ids[labelledBy[0]] != "title" || ids[labelledBy[1]] != "desc" {
		t.Errorf("aria-labelledby %v does not name the title and desc (ids %v)", labelledBy, ids)
	}
	return title, desc
}

func TestConnections(t *testing.T) {
	tests := []struct {
		name               string
		incoming, outgoing []*model.Endpoint
		opts               []Option
		want               []string // in the SVG
		inDesc             []string
	}{
		{"incoming and outgoing", []*model.Endpoint{imap, pop}, []*model.Endpoint{smtp}, nil,
			[]string{"imap.example.net", "IMAP · port 993 · SSL/TLS", "SMTP · port 587 · STARTTLS", "link-starttls", "link-tls", "Incoming mail", "Outgoing mail"},
			[]string{"Your mail program connects to: imap.example.net on port 993 with SSL/TLS, to read mail over IMAP; pop.example.net", "smtp.example.net on port 587 with STARTTLS, to send mail over SMTP."}},
		{"unencrypted", []*model.Endpoint{plain}, nil, []Option{WithID("x")},
			[]string{"link-none", `id="x-title"`, "DAV (HTTPMail) · port 80 · None"}, []string{"port 80 with None, to read mail over DAV (HTTPMail)"}},
		{"escapes text", []*model.Endpoint{imap}, nil, []Option{WithClientName(`Mail <&> "app"`)},
			[]string{"Mail &lt;&amp;&gt; &#34;app&#34;"}, []string{`Mail <&> "app" connects`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := Connections("Example", tt.incoming, tt.outgoing, tt.opts...)
			title, desc := wellFormed(t, svg)
			if title != "How a mail program connects to Example" {
				t.Errorf("title %q", title)
			}
			for _, w := range tt.want {
				if !strings.Contains(svg, w) {
					t.Errorf("SVG lacks %q", w)
				}
			}
			for _, w := range tt.inDesc {
				if !strings.Contains(desc, w) {
					t.Errorf("desc %q lacks %q", desc, w)
				}
			}
			if strings.Contains(svg, "#000") || strings.Contains(svg, "#fff") {
				t.Error("fixed colours would break dark mode; use currentColor and classes")
			}
		})
	}
	if got := Connections("Example", nil, nil); got != "" {
		t.Errorf("no endpoints: %q, want nothing", got)
	}
}

func TestSubmission(t *testing.T) {
	for _, e := range []*model.Endpoint{nil, smtpTLS, imap} {
		if got := Submission(e); got != "" {
			t.Errorf("Submission(%v) = %q, want nothing: only STARTTLS submission gets the dialogue", e, got)
		}
	}
	svg := Submission(smtp, WithID("s"))
	_, desc := wellFormed(t, svg)
	order := []string{"connect to smtp.example.net:587", "EHLO", "STARTTLS", "TLS handshake", "EHLO (again", "AUTH XOAUTH2", "MAIL FROM", "RCPT TO", "DATA", "QUIT", "221"}
	at := 0
	for _, step := range order {
		i := strings.Index(svg[at:], step)
		if i < 0 {
			t.Fatalf("%q missing or out of order after byte %d", step, at)
		}
		at += i
	}
	if !strings.Contains(desc, "upgraded by STARTTLS before signing in") {
		t.Errorf("desc %q", desc)
	}
	if ids := regexp.MustCompile(`id="([^"]+)"`).FindAllStringSubmatch(svg, -1); len(ids) != 3 {
		t.Errorf("ids %v, want title, desc and the arrow marker", ids)
	}
}
