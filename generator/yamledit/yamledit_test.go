package yamledit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(p, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	entries, _ := os.ReadDir(dir)
	if string(data) != "new" || st.Mode().Perm() != 0o640 || len(entries) != 1 {
		t.Errorf("data %q, mode %v, %d files", data, st.Mode().Perm(), len(entries))
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
