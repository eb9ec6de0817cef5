package shortcode

import (
	"strings"
	"testing"
)

func paired(name string) bool { return name == "if" }

// flat renders nodes back to a compact form for comparison.
func flat(nodes []Node) string {
	var b strings.Builder
	for _, n := range nodes {
		switch n := n.(type) {
		case *Text:
			b.WriteString("T(" + n.Value + ")")
		case *Shortcode:
			b.WriteString("S(" + n.Name)
			for _, a := range n.Args {
				if a.Key != "" {
					b.WriteString(" " + a.Key + "=" + a.Value)
				} else {
					b.WriteString(" " + a.Value)
				}
			}
			if n.Body != nil {
				b.WriteString(" [" + flat(n.Body) + "]")
			}
			b.WriteString(")")
		}
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "T(plain)"},
		{"Host: {{< host >}}.", "T(Host: )S(host)T(.)"},
		{"{{<host smtp>}}", "S(host smtp)"},
		{`{{< if protocol="pop3" >}}A{{< /if >}}B`, "S(if protocol=pop3 [T(A)])T(B)"},
		{`{{< if protocol="imap" >}}{{< /if >}}`, "S(if protocol=imap [])"},
		{`{{< ui "add account" >}}`, "S(ui add account)"},
		{"code: {{</* host */>}}", "T(code: {{< host >}})"},
		{"[x]({{< url provider >}})", "T([x]()S(url provider)T())"},
		{"{{< if protocol=\"pop3\" >}}\n{{< if client=\"a\" >}}x{{< /if >}}\n{{< /if >}}", "S(if protocol=pop3 [T(\n)S(if client=a [T(x)])T(\n)])"},
	}
	for _, tt := range tests {
		nodes, err := Parse("f.md", 1, tt.in, paired)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := flat(nodes); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\n{{< host", "f.md:11:1: shortcode is not closed by >}} on the same line"},
		{"{{< >}}", "f.md:10:1: empty shortcode"},
		{`x {{< ui "a >}}`, `f.md:10:3: unbalanced quote`},
		{"{{< /if >}}", "f.md:10:1: {{< /if >}} closes nothing"},
		{`{{< if protocol="pop3" >}}never closed`, "f.md:10:1: {{< if >}} is never closed"},
		{"{{< h@st >}}", `"h@st" is not a shortcode name`},
		{"{{</* host", "{{</* is not closed by */>}}"},
	}
	for _, tt := range tests {
		_, err := Parse("f.md", 10, tt.in, paired)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// FuzzParse checks that the parser never panics, and that text outside
// shortcodes survives: parsing a string without "{{<" gives it back whole.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "a {{< host >}} b", `{{< if protocol="pop3" >}}x{{< /if >}}`, "{{</* a */>}}", "{{< a \"b c\" d=e >}}", "{{<", ">}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		nodes, err := Parse("f.md", 1, s, paired)
		if !strings.Contains(s, "{{<") {
			if err != nil {
				t.Fatalf("error on text without shortcodes: %v", err)
			}
			if got := flat(nodes); s != "" && got != "T("+s+")" {
				t.Fatalf("text changed: %q -> %s", s, got)
			}
		}
	})
}
