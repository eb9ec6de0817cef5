package probe

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/verify"
)

const acmeProvider = `id: acme
name: Acme Mail
summary: A test provider.
domains: [acme.example]
domain_sources: [s1]
endpoints:
  - id: imap
    protocol: imap
    host: imap.acme.example
    port: 993
    security: tls
    auth: [password]
    username: email-address
    sources: [s1]
`

// RecordMatches records what was probed, re-reading the endpoint under the
// lock: an endpoint edited since the probe is refused and left alone, and
// what the server said reaches the note only as plain text.
func TestRecordMatchesUnderTheLock(t *testing.T) {
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		edit     [2]string // changes the provider file after the probe
		mechs    []string  // the SASL mechanisms the server offered
		wantErr  string
		wantNote string
	}{
		{"as probed", [2]string{}, []string{"PLAIN", "LOGIN"}, "", "AUTH PLAIN LOGIN and the LOGIN command."},
		{"a mechanism with an escape sequence", [2]string{}, []string{"PLAIN", "X\x1b[2J\u009b"}, "", `AUTH PLAIN "X\x1b[2J\u009b" and`},
		{"port changed meanwhile", [2]string{"port: 993", "port: 994"}, []string{"PLAIN"}, "acme imap changed while it was probed (it now says imap imap.acme.example:994 (tls)); probe it again", ""},
		{"auth changed meanwhile", [2]string{"auth: [password]", "auth: [oauth2]"}, []string{"PLAIN"}, "acme imap changed while it was probed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := kbtest.Write(t, map[string]string{
				"data/sources.yaml":        "sources:\n  - id: s1\n    title: Acme help\n    publisher: Acme\n",
				"data/providers/acme.yaml": acmeProvider,
			})
			file := filepath.Join(root, "data/providers/acme.yaml")
			kb, err := loader.Load(root, loader.WithToday(today))
			if err != nil {
				t.Fatal(err)
			}
			e := kb.Provider("acme").Endpoint("imap")
			r := Report{Target: TargetOf(e), Security: model.TLS, Auth: tt.mechs, PasswordCommand: true,
				TLS: &TLSInfo{Version: "TLS 1.3", Verified: true, NotAfter: today.AddDate(0, 3, 0)}}
			checks := []Check{{Provider: "acme", Endpoint: "imap", Report: r, Mismatches: Compare(r, e)}}
			if !checks[0].OK() {
				t.Fatalf("the test's probe does not match: %v", checks[0].Mismatches)
			}
			if tt.edit[0] != "" {
				kbtest.Edit(t, file, tt.edit[0], tt.edit[1])
			}
			before, _ := os.ReadFile(file)

			err = RecordMatches(context.Background(), root, checks, "Probe Test", today, nil)
			after, _ := os.ReadFile(file)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || checks[0].Recorded != "" {
					t.Errorf("error %v, recorded %q; want %q and no record", err, checks[0].Recorded, tt.wantErr)
				}
				if string(after) != string(before) {
					t.Errorf("the refused record changed the file:\n%s", after)
				}
				return
			}
			if err != nil || checks[0].Recorded == "" {
				t.Fatalf("error %v, recorded %q", err, checks[0].Recorded)
			}
			kb, err = loader.Load(root, loader.WithToday(today))
			if err != nil {
				t.Fatalf("the recorded file does not load: %v\n%s", err, after)
			}
			v := kb.Provider("acme").Endpoint("imap").Verified
			if len(v) != 1 || !strings.Contains(v[0].Note, tt.wantNote) || verify.PlainText(v[0].Note, false) != nil {
				t.Errorf("recorded %+v, want plain text with %q", v, tt.wantNote)
			}
		})
	}
}
