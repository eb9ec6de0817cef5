package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mailkb/generator/loader"
	"mailkb/generator/model"
)

func TestEndpoints(t *testing.T) {
	mail := &model.Provider{ID: "mail"}
	mail.Endpoints = []*model.Endpoint{
		{ID: "imap", Provider: mail, Protocol: model.IMAP, Status: model.Current},
		{ID: "imap-old", Provider: mail, Protocol: model.IMAP, Status: model.Legacy},
		{ID: "smtp", Provider: mail, Protocol: model.SMTP, Status: model.Current},
		{ID: "dav", Provider: mail, Protocol: model.HTTPMail, Status: model.Current},
	}
	dav := &model.Provider{ID: "dav-only"}
	dav.Endpoints = []*model.Endpoint{{ID: "dav", Provider: dav, Protocol: model.HTTPMail, Status: model.Current}}
	kb := &model.KB{Providers: []*model.Provider{mail, dav}}

	tests := []struct {
		provider, protocol string
		ids                []string
		err                string
		choice             bool
	}{
		{"mail", "", []string{"imap", "smtp"}, "", false},
		{"mail", "smtp", []string{"smtp"}, "", false},
		{"nope", "", nil, `no provider "nope"; choose one of: dav-only, mail`, true},
		{"mail", "pop3", nil, `mail has no current "pop3" endpoint; choose one of: imap, smtp`, true},
		{"mail", "httpmail", nil, `mail has no current "httpmail" endpoint; choose one of: imap, smtp`, true},
		{"dav-only", "", nil, "dav-only has no current imap, pop3 or smtp endpoint to probe", false},
	}
	for _, tc := range tests {
		t.Run(tc.provider+" "+tc.protocol, func(t *testing.T) {
			es, err := Endpoints(kb, tc.provider, tc.protocol)
			var ids []string
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			if !slices.Equal(ids, tc.ids) {
				t.Errorf("endpoints %v, want %v", ids, tc.ids)
			}
			var choice *ChoiceError
			if (err == nil) != (tc.err == "") || err != nil && (err.Error() != tc.err || errors.As(err, &choice) != tc.choice) {
				t.Errorf("error %v (a choice: %v), want %q (a choice: %v)", err, errors.As(err, &choice), tc.err, tc.choice)
			}
		})
	}
}

func TestWriteTextAndJSON(t *testing.T) {
	target := Target{Protocol: model.SMTP, Host: "smtp.example.com", Port: 587, Security: model.STARTTLS}
	checks := []Check{
		{Provider: "mail", Endpoint: "smtp", Report: Report{Target: target, Remote: "192.0.2.1:587", Security: model.STARTTLS,
			TLS:      &TLSInfo{Version: "TLS 1.3", CipherSuite: "TLS_AES_128_GCM_SHA256", Verified: true, NotAfter: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)},
			Greeting: "220 smtp.example.com ESMTP", Capabilities: []string{"SIZE 1000", "STARTTLS"},
			AfterSTARTTLS: []string{"SIZE 1000", "AUTH PLAIN XOAUTH2"}, Auth: []string{"PLAIN", "XOAUTH2"}}},
		{Report: Report{Target: target, Failure: fail(StepConnect, errors.New("connection refused"))},
			Mismatches: []Mismatch{{KindUnreachable, "SMTP on smtp.example.com:587", "connection refused"}}},
	}
	var text bytes.Buffer
	WriteText(&text, checks)
	for _, want := range []string{
		"mail smtp — smtp smtp.example.com:587 (starttls)\n",
		"  certificate    valid for smtp.example.com; expires 2027-01-02\n",
		"  EHLO           SIZE 1000, STARTTLS\n",
		"  after STARTTLS SIZE 1000, AUTH PLAIN XOAUTH2\n",
		"  sign-in        SASL PLAIN XOAUTH2\n",
		"  result         matches the data\n",
		"  MISMATCH       unreachable: expected SMTP on smtp.example.com:587, but connection refused\n",
		"1 of 2 probed servers match\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "failed") {
		t.Errorf("a failure the mismatch states is printed twice:\n%s", text.String())
	}

	var out bytes.Buffer
	if err := WriteJSON(&out, checks); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OK     bool
		Checks []struct {
			Mismatches []Mismatch
			Report     struct {
				Auth    []string `json:"auth_mechanisms"`
				Failure *Failure
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OK || len(doc.Checks) != 2 || doc.Checks[0].Mismatches == nil || !slices.Equal(doc.Checks[0].Report.Auth, []string{"PLAIN", "XOAUTH2"}) ||
		doc.Checks[1].Report.Failure.Step != StepConnect {
		t.Errorf("JSON:\n%s", out.String())
	}
}

// loopbackKB is a knowledge base whose provider's servers are the test's
// Dovecot, under .test names (which never resolve; the prober dials them
// on loopback). Its SMTP endpoint has the wrong security on purpose.
const loopbackProvider = `# The test's own Dovecot. This comment must survive --record.
id: loopback
name: Loopback
summary: Dovecot on the loopback interface.
domains: [loopback.test]
domain_sources: [harness]

endpoints:
  - id: imap-tls
    protocol: imap
    host: mail.loopback.test
    port: %d
    security: tls
    auth: [password, oauth2]
    username: email-address
    sources: [harness]

  - id: smtp-wrong
    protocol: smtp
    host: mail.loopback.test
    port: %d
    security: tls   # wrong: the port speaks STARTTLS
    auth: [oauth2]
    username: email-address
    sources: [harness]
`

func TestRecordMatches(t *testing.T) {
	d := startDovecot(t)
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "data", "providers"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "data", "sources.yaml"), []byte("sources:\n  - id: harness\n    title: The probe tests\n    publisher: mailkb\n"))
	file := filepath.Join(root, "data", "providers", "loopback.yaml")
	writeFile(t, file, fmt.Appendf(nil, loopbackProvider, d.ports["imaps"], d.ports["submission"]))
	today := time.Now()
	kb, err := loader.Load(root, loader.WithToday(today))
	if err != nil {
		t.Fatal(err)
	}
	es, err := Endpoints(kb, "loopback", "")
	if err != nil {
		t.Fatal(err)
	}
	toLoopback := func(ctx context.Context, network, address string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(address)
		return new(net.Dialer).DialContext(ctx, network, net.JoinHostPort(dovecotAddress, port))
	}
	checks := New(WithTimeout(5*time.Second), WithRootCAs(d.roots), WithDialContext(toLoopback)).CheckEndpoints(context.Background(), es)
	if !checks[0].OK() || checks[1].OK() {
		t.Fatalf("want imap-tls to match and smtp-wrong not: %+v", checks)
	}
	if err := RecordMatches(context.Background(), root, checks, "Probe Test", today, nil); err != nil {
		t.Fatal(err)
	}
	if checks[0].Recorded == "" || checks[1].Recorded != "" {
		t.Errorf("recorded %q and %q, want only the first", checks[0].Recorded, checks[1].Recorded)
	}

	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "note: '") || strings.Contains(string(data), `note: "`) {
		t.Errorf("the note needed quotes; Summary should avoid them:\n%s", data)
	}
	for _, want := range []string{"# The test's own Dovecot. This comment must survive --record.", "security: tls   # wrong: the port speaks STARTTLS"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the edit lost %q:\n%s", want, data)
		}
	}
	kb, err = loader.Load(root, loader.WithToday(today))
	if err != nil {
		t.Fatalf("the recorded file does not load: %v\n%s", err, data)
	}
	p := kb.Provider("loopback")
	v := p.Endpoint("imap-tls").Verified
	if len(v) != 1 || v[0].Method != model.Probe || v[0].By != "Probe Test" || v[0].Date != model.DateOf(today) ||
		!strings.Contains(v[0].Note, "saw implicit TLS, TLS 1.3 with a certificate valid until") ||
		!strings.Contains(v[0].Note, "AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER and the LOGIN command.") {
		t.Errorf("verification %+v", v)
	}
	if v := p.Endpoint("smtp-wrong").Verified; len(v) != 0 {
		t.Errorf("the mismatching endpoint was recorded: %+v", v)
	}
}
