package yamledit

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const doc = `# top comment
id: acme
name: 'Acme Mail'   # keep me
endpoints:
  - id: a
    host: "old.example"  # quoted
    port: 993

  - id: b
    host: b.example
`

func TestSetKey(t *testing.T) {
	tests := []struct {
		name, id, key, value, want string
	}{
		{"replace quoted keeps comment", "a", "host", `"new.example"`, "    host: \"new.example\"  # quoted\n"},
		{"replace plain", "b", "host", "c.example", "    host: c.example\n"},
		{"add missing key after the item", "a", "until", "2024-09-16", "    port: 993\n    until: 2024-09-16\n\n  - id: b\n"},
		{"add to the last item", "b", "status", "retired", "    host: b.example\n    status: retired\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			item := FindItem(d.Root(), "endpoints", "id", tt.id)
			if err := d.SetKey(item, tt.key, tt.value); err != nil {
				t.Fatal(err)
			}
			got := string(d.Bytes())
			if !contains(got, tt.want) || !contains(got, "# top comment\n") || !contains(got, "name: 'Acme Mail'   # keep me\n") {
				t.Errorf("got:\n%s\nwant it to contain:\n%s", got, tt.want)
			}
		})
	}
	d, _ := Parse([]byte(doc))
	if err := d.SetKey(d.Root(), "name", Scalar("Acme: Mail")); err != nil {
		t.Fatal(err)
	}
	if got := string(d.Bytes()); !contains(got, "name: 'Acme: Mail'   # keep me\n") {
		t.Errorf("top-level replace:\n%s", got)
	}
}

func TestAppendItemFlowEmpty(t *testing.T) {
	d, _ := Parse([]byte("id: x\nverified: []\nafter: 1\n"))
	if err := d.AppendItem(d.Root(), "verified", []Field{{"date", "2026-01-01"}, {"by", "Ann"}}, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := string(d.Bytes()), "id: x\nverified:\n  - date: 2026-01-01\n    by: Ann\nafter: 1\n"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// An edit keeps the file's line ends: a file whose every line ends in
// CRLF gets CRLF lines inserted and every other byte kept; a file with
// mixed ends is left as it is around LF lines.
func TestLineEnds(t *testing.T) {
	const lf = "# comment\nid: x\nverified:\n  - date: 2026-01-05\n    by: Ann   # kept\nempty: []\nlast: 1"
	appendAt := func(key string, before func(*yaml.Node) bool) func(*Doc) error {
		return func(d *Doc) error {
			return d.AppendItem(d.Root(), key, []Field{{"date", "2026-01-01"}, {"by", "Bo"}}, before)
		}
	}
	tests := []struct {
		name string
		edit func(*Doc) error
		want string // the LF file after the edit
	}{
		{"append to a list", appendAt("verified", nil),
			"# comment\nid: x\nverified:\n  - date: 2026-01-05\n    by: Ann   # kept\n  - date: 2026-01-01\n    by: Bo\nempty: []\nlast: 1"},
		{"insert before an item", appendAt("verified", func(*yaml.Node) bool { return true }),
			"# comment\nid: x\nverified:\n  - date: 2026-01-01\n    by: Bo\n  - date: 2026-01-05\n    by: Ann   # kept\nempty: []\nlast: 1"},
		{"flow list becomes a block", appendAt("empty", nil),
			"# comment\nid: x\nverified:\n  - date: 2026-01-05\n    by: Ann   # kept\nempty:\n  - date: 2026-01-01\n    by: Bo\nlast: 1"},
		{"new key after a last line without an end", appendAt("more", nil),
			"# comment\nid: x\nverified:\n  - date: 2026-01-05\n    by: Ann   # kept\nempty: []\nlast: 1\nmore:\n  - date: 2026-01-01\n    by: Bo\n"},
		{"replace a value", func(d *Doc) error { return d.SetKey(FindItem(d.Root(), "verified", "by", "Ann"), "by", "Cy") },
			"# comment\nid: x\nverified:\n  - date: 2026-01-05\n    by: Cy   # kept\nempty: []\nlast: 1"},
		{"add a key", func(d *Doc) error { return d.SetKey(FindItem(d.Root(), "verified", "by", "Ann"), "note", "hi") },
			"# comment\nid: x\nverified:\n  - date: 2026-01-05\n    by: Ann   # kept\n    note: hi\nempty: []\nlast: 1"},
	}
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	for _, tt := range tests {
		for _, ends := range []struct {
			name     string
			src, out string
		}{
			{"LF", lf, tt.want},
			{"CRLF", crlf(lf), crlf(tt.want)},
			// Mixed ends: the file's own bytes stay, new lines end in LF.
			{"mixed", strings.Replace(lf, "\n", "\r\n", 1), strings.Replace(tt.want, "\n", "\r\n", 1)},
		} {
			t.Run(tt.name+"/"+ends.name, func(t *testing.T) {
				d, err := Parse([]byte(ends.src))
				if err != nil {
					t.Fatal(err)
				}
				if err := tt.edit(d); err != nil {
					t.Fatal(err)
				}
				if got := string(d.Bytes()); got != ends.out {
					t.Errorf("got  %q\nwant %q", got, ends.out)
				}
			})
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
