package markdown

import (
	"strings"
	"testing"
)

func TestBlock(t *testing.T) {
	r := New()
	tests := []struct{ in, want, not string }{
		{"<script>alert(1)</script>\n\ntext", "<p>text</p>", "<script>"},
		{"a <b>bold</b> word", "a", "<b>"},
		{"| a | b |\n|---|---|\n| 1 | 2 |\n", "<td>1</td>", ""},
		{"| a | b |\n|---|---|\n| 1 | 2 |\n", "<div class=\"table-wrap\">\n<table>", ""},
		{"| a |\n|---|\n| 1 |\n", "</table>\n</div>", ""},
		{"```\n<table>\n```\n", "&lt;table&gt;", "table-wrap"},
		{"```yaml\nhost: x\n```\n", `<span class="nt">host</span>`, "style="},
		{"## Heading\n", `<h2 id="heading">Heading</h2>`, ""},
	}
	for _, tt := range tests {
		got, err := r.Block(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got, tt.want) || (tt.not != "" && strings.Contains(got, tt.not)) {
			t.Errorf("Block(%q) = %q; want %q and no %q", tt.in, got, tt.want, tt.not)
		}
	}
	if got, _ := r.Inline("one *two*"); got != "one <em>two</em>" {
		t.Errorf("Inline = %q", got)
	}
}

func TestStyleSheet(t *testing.T) {
	css, err := StyleSheet()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(css, ".chroma") || !strings.Contains(css, "prefers-color-scheme: dark") {
		t.Errorf("stylesheet lacks the light or dark rules")
	}
}
