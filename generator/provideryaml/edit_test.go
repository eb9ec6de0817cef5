package provideryaml

import (
	"slices"
	"strings"
	"testing"

	"mailkb/generator/model"
	"mailkb/generator/yamledit"
)

func TestAppendScalars(t *testing.T) {
	long := "domains: [\n  " + strings.Repeat("aaaaaaaaaa.example, ", 8) + "last.example # the end\n]\n"
	tests := []struct {
		name, src string
		items     []string
		want      string // "" when an error is expected
		err       string
	}{
		{"flow list on one line", "id: x\ndomains: [a.example, b.example] # kept\nname: X\n", []string{"c.example", "d.example"},
			"id: x\ndomains: [a.example, b.example, c.example, d.example] # kept\nname: X\n", ""},
		{"flow list over several lines", "domains: [\n  a.example, b.example\n]\n", []string{"c.example"},
			"domains: [\n  a.example, b.example, c.example\n]\n", ""},
		{"a full last line continues on a new one", long, []string{"new.example"},
			strings.Replace(long, "last.example", "last.example,\n  new.example", 1), ""},
		{"block list", "domains:\n  # ours\n  - a.example\n  - b.example\nname: X\n", []string{"c.example"},
			"domains:\n  # ours\n  - a.example\n  - b.example\n  - c.example\nname: X\n", ""},
		{"block list at the end without a newline", "domains:\n- a.example", []string{"b.example"},
			"domains:\n- a.example\n- b.example\n", ""},
		{"quoted item", "domains: [a.example, \"b.example\"]\n", []string{"c.example"}, "", "not a plain one-line value"},
		{"no list", "domains: a.example\n", []string{"c.example"}, "", "not a list with items"},
		{"missing key", "name: X\n", []string{"c.example"}, "", "not a list with items"},
	}
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	for _, tt := range tests {
		// A file with Windows line ends keeps them, on the new lines too.
		for _, ends := range []struct {
			name      string
			src, want string
		}{{"LF", tt.src, tt.want}, {"CRLF", crlf(tt.src), crlf(tt.want)}} {
			t.Run(tt.name+"/"+ends.name, func(t *testing.T) {
				got, err := AppendScalars([]byte(ends.src), "domains", tt.items)
				if tt.err != "" {
					if err == nil || !strings.Contains(err.Error(), tt.err) {
						t.Fatalf("error %v, want one with %q", err, tt.err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != ends.want {
					t.Errorf("got\n%q\nwant\n%q", got, ends.want)
				}
			})
		}
	}
}

func TestProse(t *testing.T) {
	short := "A short note."
	if got := prose(short, 4); got != short {
		t.Errorf("short text: %q", got)
	}
	if got := prose("Note: quoted", 4); got != ">-\n      Note: quoted" {
		t.Errorf("text YAML would quote: %q", got)
	}
	long := strings.Repeat("word ", 40) + "end"
	got := prose(long, 4)
	if !strings.HasPrefix(got, ">-\n      word") || strings.Contains(got, "\n      \n") {
		t.Fatalf("long text: %q", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if len(line) > width {
			t.Errorf("line of %d bytes: %q", len(line), line)
		}
	}
	if got := prose("tab\there "+strings.Repeat("x ", 60), 4); strings.HasPrefix(got, ">-") {
		t.Errorf("a control character in a block scalar: %q", got)
	}
	if got := prose(long, -1); strings.Contains(got, "\n") {
		t.Errorf("indent -1 must give one line: %q", got)
	}
}

func TestSetEndpointKey(t *testing.T) {
	const ep = "endpoints:\n  - id: a\n    protocol: imap\n    host: imap.example\n    status: current # as listed\n" +
		"    # the maintainer's source\n    sources: [s]\n    verified:\n      - date: 2020-01-01\n        method: published\n"
	periods := "\n      - from: by 2014-01-23\n        until: by 2019-06-12"
	tests := []struct {
		name, src, key, value string
		want                  string // "" when an error is expected
		err                   string
	}{
		{"a missing key goes before the keys written after it", ep, "from", "by 2009-04-28",
			strings.Replace(ep, "    status:", "    from: by 2009-04-28\n    status:", 1), ""},
		{"and before the comment on the next key", ep, "preferred", "true",
			strings.Replace(ep, "    # the maintainer's", "    preferred: true\n    # the maintainer's", 1), ""},
		{"a one-line value is replaced where it stands, its comment kept", ep, "status", "withdrawn",
			strings.Replace(ep, "status: current # as listed", "status: withdrawn # as listed", 1), ""},
		{"a nested list", ep, "preferred", periods,
			strings.Replace(ep, "    # the maintainer's", "    preferred:"+periods+"\n    # the maintainer's", 1), ""},
		{"a scalar becomes a nested list", strings.Replace(ep, "    sources:", "    preferred: true\n    sources:", 1), "preferred", periods,
			strings.Replace(ep, "    sources:", "    preferred:"+periods+"\n    sources:", 1), ""},
		{"a nested list becomes a scalar", strings.Replace(ep, "    sources:", "    preferred:"+periods+"\n    sources:", 1), "preferred", "true",
			strings.Replace(ep, "    sources:", "    preferred: true\n    sources:", 1), ""},
		{"removed", strings.Replace(ep, "    sources:", "    preferred:"+periods+"\n    sources:", 1), "preferred", "", ep, ""},
		{"a key written after every other goes last", "endpoints:\n  - id: a\n    host: x\n", "verified", "\n      - date: 2020-01-01",
			"endpoints:\n  - id: a\n    host: x\n    verified:\n      - date: 2020-01-01\n", ""},
		{"a folded text is left for a person", "endpoints:\n  - id: a\n    note: >-\n      long\n      text\n", "note", "short", "", "not a one-line value"},
		{"the key that starts the endpoint", ep, "id", "b", "", "starts the endpoint"},
	}
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	for _, tt := range tests {
		for _, ends := range []struct {
			name      string
			src, want string
		}{{"LF", tt.src, tt.want}, {"CRLF", crlf(tt.src), crlf(tt.want)}} {
			t.Run(tt.name+"/"+ends.name, func(t *testing.T) {
				got, err := Edit([]byte(ends.src), func(d *yamledit.Doc) error {
					return SetEndpointKey(d, yamledit.FindItem(d.Root(), "endpoints", "id", "a"), tt.key, tt.value)
				})
				if tt.err != "" {
					if err == nil || !strings.Contains(err.Error(), tt.err) {
						t.Fatalf("error %v, want one with %q", err, tt.err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != ends.want {
					t.Errorf("got\n%s\nwant\n%s", got, ends.want)
				}
			})
		}
	}
}

// TestEndpointKeysInOrder: SetEndpointKey places a key by the order
// EndpointFields writes them, which it keeps apart.
func TestEndpointKeysInOrder(t *testing.T) {
	from, _ := model.ParseDate("2020-01-01")
	e := &model.Endpoint{ID: "a", Protocol: model.Exchange, URL: "https://x.example/", EWSURL: "https://x.example/ews", OWAURL: "https://x.example/owa",
		Auth: []model.Auth{model.OAuth2}, Username: model.EmailAddress, UsernameNote: "n", Period: model.Period{From: from, Until: from},
		Status: model.Legacy, ReplacedBy: &model.Endpoint{ID: "b"}, Preferred: true, Note: "n", Unusual: "u",
		Verified: []model.Verification{{Date: from, Method: model.Published}}}
	byName := *e
	byName.Protocol, byName.URL, byName.Host, byName.Port, byName.Security = model.IMAP, "", "imap.x.example", 993, model.TLS
	for _, e := range []*model.Endpoint{e, &byName} {
		last := -1
		for _, f := range EndpointFields(e, "s", model.Date{}, 4) {
			i := slices.Index(endpointKeys, f.Key)
			if i <= last {
				t.Errorf("EndpointFields writes %s out of the order of endpointKeys %v", f.Key, endpointKeys)
			}
			last = i
		}
	}
}

func TestAppendEndpoint(t *testing.T) {
	fields := []yamledit.Field{{Key: "id", Value: "c"}, {Key: "host", Value: "c.example"}}
	for _, tt := range []struct{ name, src, want string }{
		{"set apart by blank lines", "endpoints:\n  - id: a\n    host: a.example\n\n  - id: b\n    host: b.example\nfacts: []\n",
			"endpoints:\n  - id: a\n    host: a.example\n\n  - id: b\n    host: b.example\n\n  - id: c\n    host: c.example\nfacts: []\n"},
		{"written close", "endpoints:\n  - id: a\n    host: a.example\n  - id: b\n    host: b.example\n",
			"endpoints:\n  - id: a\n    host: a.example\n  - id: b\n    host: b.example\n  - id: c\n    host: c.example\n"},
		{"one endpoint", "endpoints:\n  - id: a\n    host: a.example\n",
			"endpoints:\n  - id: a\n    host: a.example\n  - id: c\n    host: c.example\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendEndpoint([]byte(tt.src), fields)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
