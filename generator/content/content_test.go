package content

import (
	"strings"
	"testing"
	"testing/fstest"

	"mailkb/generator/diag"
	"mailkb/generator/shortcode"
)

func TestParseGuide(t *testing.T) {
	src := "---\ntitle: \"{{< provider >}} in Mailer\"\nclient: mailer\nprotocols: [imap]\nas_of: 2012-03\n---\nUse {{< host >}}.\n"
	s, err := Parse("content/guides/mailer.md", Guide, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s.Client != "mailer" || len(s.Protocols) != 1 || s.AsOf.String() != "2012-03" || s.Slug != "mailer" {
		t.Errorf("front matter not read: %+v", s)
	}
	if len(s.Title) != 2 {
		t.Errorf("title shortcodes not parsed: %d nodes", len(s.Title))
	}
	sc, ok := s.Body[1].(*shortcode.Shortcode)
	if !ok || sc.Name != "host" || sc.Pos.Line != 7 || sc.Pos.Column != 5 {
		t.Errorf("body shortcode at wrong position: %+v", s.Body[1])
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, kind, src, want string
	}{
		{"no front matter", "guide", "# hi\n", "f.md:1:1: no front matter"},
		{"unclosed front matter", "guide", "---\ntitle: x\n", "f.md:1:1: no front matter"},
		{"unknown key", "article", "---\ntitle: x\ntitel: y\n---\n", `f.md:3:1: unknown key "titel" in front matter; did you mean "title"?`},
		{"missing title", "article", "---\ndescription: x\n---\n", `f.md:2:1: front matter has no "title"`},
		{"guide needs client", "guide", "---\ntitle: x\n---\n", `front matter has no "client"`},
		{"guide key in article", "article", "---\ntitle: x\nclient: y\n---\n", `f.md:3:9: "client" is for guides`},
		{"bad protocol", "guide", "---\ntitle: x\nclient: c\nprotocols: [smtp]\n---\n", `"smtp" is not a valid entry for protocols`},
		{"bad date", "guide", "---\ntitle: x\nclient: c\nas_of: 2012-02-30\n---\n", `f.md:4:8: as_of: day 30`},
		{"shortcode error in body", "article", "---\ntitle: x\n---\n\ntext {{< host\n", "f.md:5:6: shortcode is not closed"},
		{"duplicate key", "article", "---\ntitle: x\ntitle: y\n---\n", `f.md:3:1: key "title" is repeated`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.md", Kind(tt.kind), []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoadKinds(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":        {Data: []byte("---\ntitle: Home\n---\n")},
		"content/about.md":         {Data: []byte("---\ntitle: About\n---\n")},
		"content/articles/a.md":    {Data: []byte("---\ntitle: A\n---\n")},
		"content/guides/mailer.md": {Data: []byte("---\ntitle: G\nclient: mailer\n---\n")},
		"content/guides/notes.txt": {Data: []byte("ignored")},
		"content/elsewhere/x.md":   {Data: []byte("---\ntitle: X\n---\n")},
	}
	_, err := Load(fsys, "")
	if err == nil || !strings.Contains(err.Error(), "content/elsewhere/x.md: content/elsewhere/x.md is in a folder mailkb does not publish") {
		t.Fatalf("want an error for the unknown folder, got %v", err)
	}
	delete(fsys, "content/elsewhere/x.md")
	srcs, err := Load(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Kind{}
	for _, s := range srcs {
		kinds[s.File] = s.Kind
	}
	want := map[string]Kind{"content/_index.md": Home, "content/about.md": Page, "content/articles/a.md": Article, "content/guides/mailer.md": Guide}
	for f, k := range want {
		if kinds[f] != k {
			t.Errorf("%s: kind %q, want %q", f, kinds[f], k)
		}
	}
}

// FuzzParse feeds arbitrary files through front matter and shortcode
// parsing: no panics, a successful parse always has a title and no
// control character in its text, and every error has a line and column.
func FuzzParse(f *testing.F) {
	f.Add("---\ntitle: x\n---\nbody {{< host >}}\n")
	f.Add("---\ntitle: x\nclient: c\nprotocols: [imap]\n---\n")
	f.Add("---\n---\n")
	f.Add("---\ntitle: [\n---\n")
	f.Add("---\r\ntitle: x\r\n---\r\n")
	f.Add("---\ntitle: \"a\\eb\"\n...\nx: 1\n---\n\x1b")
	f.Fuzz(func(t *testing.T, src string) {
		for _, kind := range []Kind{Guide, Article} {
			s, err := Parse("f.md", kind, []byte(src))
			if err == nil && s.TitleRaw == "" {
				t.Fatalf("parsed without a title: %q", src)
			}
			if err == nil && strings.ContainsFunc(s.TitleRaw+s.Description+s.Client, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' }) {
				t.Fatalf("control character read without error: %q", src)
			}
			if err != nil {
				for _, e := range err.(diag.ErrorList) {
					if e.Pos.File != "f.md" || e.Pos.Line < 1 || e.Pos.Column < 1 {
						t.Fatalf("error without a place: %v (%#v)", e, e.Pos)
					}
				}
			}
		}
	})
}
