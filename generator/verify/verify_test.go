package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailkb/generator/kbtest"
	"mailkb/generator/model"
)

const provider = `# Acme's settings; keep this comment.
id: acme
name: 'Acme Mail'   # single quotes stay
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
    from: 2015
    sources: [s1]
    verified:
      - date: 2020-01-02
        method: published
        by: Acme

      # a comment between events
      - date: 2024-05-01
        method: manual
        by: "Quoted Name"
        note: |
          A note over
          two lines.

  # the SMTP server
  - id: smtp
    protocol: smtp
    host: smtp.acme.example
    port: 587
    security: starttls
    auth: [password]
    username: email-address
    from: 2015
    sources: [s1]
`

func day(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAppend(t *testing.T) {
	tests := []struct {
		name, id string
		ev       Event
		want     string // the text that must follow the line before the insertion
		added    int    // lines added
	}{
		{"after a multi-line note", "imap", Event{Date: day("2026-11-20"), Method: model.Manual, By: "Ann: Admin", Note: "sent and received"},
			"          two lines.\n      - date: 2026-11-20\n        method: manual\n        by: 'Ann: Admin'\n        note: sent and received\n\n  # the SMTP server\n", 4},
		{"kept in date order", "imap", Event{Date: day("2022-03-04"), Method: model.Probe, By: "probe"},
			"        by: Acme\n\n      # a comment between events\n      - date: 2022-03-04\n        method: probe\n        by: probe\n      - date: 2024-05-01\n", 3},
		{"new verified list", "smtp", Event{Date: day("2026-11-20"), Method: model.Published, By: "Acme"},
			"    sources: [s1]\n    verified:\n      - date: 2026-11-20\n        method: published\n        by: Acme\n", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := Append([]byte(provider), tt.id, tt.ev)
			if err != nil {
				t.Fatal(err)
			}
			got := string(out)
			if !strings.Contains(got, tt.want) {
				t.Errorf("result lacks\n%s\n--- got ---\n%s", tt.want, got)
			}
			// Nothing the maintainer wrote is lost.
			for _, line := range strings.Split(provider, "\n") {
				if !strings.Contains(got, line) {
					t.Errorf("line %q was lost", line)
				}
			}
			if added := strings.Count(got, "\n") - strings.Count(provider, "\n"); added != tt.added {
				t.Errorf("added %d lines, want %d", added, tt.added)
			}
		})
	}
}

func writeKB(t *testing.T) string {
	t.Helper()
	return kbtest.Write(t, map[string]string{
		"data/sources.yaml":        "sources:\n  - id: s1\n    title: Acme help\n    publisher: Acme\n",
		"data/providers/acme.yaml": provider,
	})
}

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func TestRecord(t *testing.T) {
	root := writeKB(t)
	rec, err := Record(context.Background(), root, "acme", "smtp", Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}, Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Count(provider, "\n") + 1; rec.Endpoint.ID != "smtp" || rec.Line != want {
		t.Errorf("recorded %s at line %d, want smtp at %d", rec.Endpoint.ID, rec.Line, want)
	}
	data, _ := os.ReadFile(filepath.Join(root, "data/providers/acme.yaml"))
	if !strings.Contains(string(data), "        by: Ann\n") {
		t.Errorf("event not written:\n%s", data)
	}
}

func TestRecordRefuses(t *testing.T) {
	tests := []struct {
		provider, target string
		ev               Event
		want             string
	}{
		{"acme", "smtp", Event{Date: day("2026-11-26"), Method: model.Manual, By: "Ann"}, "2026-11-26 is in the future"},
		{"acme", "pop3", Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}, "\"pop3\" is not an endpoint, host:port or protocol of a current endpoint of acme; name one by its id:\n  imap"},
		{"acme", "imap.acme.example:993", Event{Date: day("2026-11-25"), Method: model.Manual, By: ""}, "say who checked it"},
		{"acme", "smtp", Event{Date: day("2026-11"), Method: model.Manual, By: "Ann"}, "full day"},
		{"acmee", "smtp", Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}, `no provider "acmee"; choose one of: acme`},
	}
	for _, tt := range tests {
		root := writeKB(t)
		before, _ := os.ReadFile(filepath.Join(root, "data/providers/acme.yaml"))
		_, err := Record(context.Background(), root, tt.provider, tt.target, tt.ev, Options{Today: today})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: error = %v, want %q", tt.provider, tt.target, err, tt.want)
		}
		after, _ := os.ReadFile(filepath.Join(root, "data/providers/acme.yaml"))
		if string(before) != string(after) {
			t.Errorf("%s %s: the file changed although the edit was refused", tt.provider, tt.target)
		}
	}
}

func TestRecordAmbiguous(t *testing.T) {
	root := writeKB(t)
	p := filepath.Join(root, "data/providers/acme.yaml")
	data, _ := os.ReadFile(p)
	alt := strings.Replace(string(data), "id: smtp\n", "id: smtp-587\n", 1)
	alt = strings.Replace(alt, "  # the SMTP server\n", "  - id: smtp-25\n    protocol: smtp\n    host: smtp.acme.example\n    port: 25\n    security: starttls\n    auth: [password]\n    username: email-address\n    from: 2015\n    sources: [s1]\n  # the SMTP server\n", 1)
	if err := os.WriteFile(p, []byte(alt), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Record(context.Background(), root, "acme", "smtp", Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}, Options{Today: today})
	if err == nil || !strings.Contains(err.Error(), `"smtp" names 2 current endpoints of acme; name one by its id:`) || !strings.Contains(err.Error(), "smtp-25") {
		t.Errorf("error = %v, want the list of choices", err)
	}
}
