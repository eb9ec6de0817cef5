package provideryaml

import (
	"strings"
	"testing"
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
