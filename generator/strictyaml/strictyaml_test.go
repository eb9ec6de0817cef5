package strictyaml

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"mailkb/generator/diag"
)

func decode(t testing.TB, src string, lineOffset int) (*Decoder, *yaml.Node) {
	t.Helper()
	d := &Decoder{File: "f.yaml", Errs: &diag.ErrorList{}, LineOffset: lineOffset}
	return d, d.Parse([]byte(src))
}

func errorsOf(d *Decoder) string {
	if err := d.Errs.Err(); err != nil {
		return err.Error()
	}
	return ""
}

// TestParse checks what Parse refuses before any schema is applied, with
// the whole error.
func TestParse(t *testing.T) {
	tests := []struct {
		name, src string
		offset    int
		want      string
	}{
		{"one document", "a: 1\n", 0, ""},
		{"explicit start", "---\na: 1\n", 0, ""},
		{"explicit end", "a: 1\n...\n", 0, ""},
		{"byte-order mark", "\ufeffa: 1\n", 0, ""},
		{"tabs and CRLF", "a: \"x\ty\"\r\nb: 2\r\n", 0, ""},
		{"second document", "a: 1\n---\nb: 2\n", 0, "f.yaml:2:1: a data file holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first"},
		{"empty second document", "a: 1\n---\n", 0, "f.yaml:2:1: a data file holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first"},
		{"text after the end", "a: 1\n...\nb: 2\n", 0, "f.yaml:2:1: a data file holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first"},
		{"broken second document", "a: 1\n---\n[b\n", 3, "f.yaml:5:1: a data file holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first"},
		{"syntax error without a line", "...\n", 0, "f.yaml:1:1: not valid YAML: did not find expected node content (check indentation and quote values that contain ': ' or start with a special character)"},
		{"empty", "", 0, "f.yaml:1:1: nothing here; see docs/data-schema.md (data) or docs/content.md (front matter) for what it must hold"},
		{"only a comment", "# nothing\n", 0, "f.yaml:1:1: nothing here; see docs/data-schema.md (data) or docs/content.md (front matter) for what it must hold"},
		{"syntax error", "a: [1\nb: 2\n", 1, "f.yaml:2:1: not valid YAML: did not find expected ',' or ']' (check indentation and quote values that contain ': ' or start with a special character)"},
		{"not UTF-8", "a: 1\nb: x\xffy\n", 1, "f.yaml:3:5: byte 0xff is not UTF-8 text; save the file as UTF-8 (an editor's \"encoding\" setting)"},
		{"raw ESC after a multi-byte letter", "a: é\x1b\n", 0, "f.yaml:1:5: the control character U+001B (ESC) has no place in a text file; remove it"},
		{"raw DEL", "a: \x7f\n", 0, "f.yaml:1:4: the control character U+007F (DEL) has no place in a text file; remove it"},
		{"C1 control", "a: \u0085\n", 0, "f.yaml:1:4: the control character U+0085 (next line) has no place in a text file; remove it"},
		{"mark in the middle", "a: x\ufeff\n", 0, "f.yaml:1:5: a byte-order mark (U+FEFF) in the middle of the file; remove it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, root := decode(t, tt.src, tt.offset)
			if got := errorsOf(d); got != tt.want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tt.want)
			}
			if (root != nil) != (tt.want == "") {
				t.Errorf("root = %v with errors %q", root, tt.want)
			}
		})
	}
}

// TestObject checks the readers of a mapping's values, each with the
// whole error it records.
func TestObject(t *testing.T) {
	tests := []struct {
		name, src string
		read      func(o *Object) any
		want      any
		errs      string
	}{
		{"unknown key", "nmae: x\n", func(o *Object) any { return o.Str("name", false) }, "",
			`f.yaml:1:1: unknown key "nmae" in thing; did you mean "name"?`},
		{"repeated key", "name: x\nname: y\n", func(o *Object) any { return o.Str("name", false) }, "x",
			`f.yaml:2:1: key "name" is repeated in this thing (first at line 1); keep one`},
		{"missing", "port: 1\n", func(o *Object) any { return o.Str("name", true) }, "",
			`f.yaml:1:1: thing has no "name"; add ` + "`name: …`" + ` (see docs/data-schema.md)`},
		{"empty", "name: \" \"\n", func(o *Object) any { return o.Str("name", true) }, " ",
			`f.yaml:1:7: "name" is empty; give it a value`},
		{"escaped control character", `name: "a\x07b"` + "\n", func(o *Object) any { return o.Str("name", true) }, "",
			`f.yaml:1:7: "name" holds the control character U+0007 (BEL); remove it (only tabs and line breaks may be written in a value)`},
		{"tab and line break pass", "name: \"a\\tb\\nc\"\n", func(o *Object) any { return o.Str("name", true) }, "a\tb\nc", ""},
		{"not a number", "port: abc\n", func(o *Object) any { n, node := o.Int("port", true); return [2]any{n, node == nil} }, [2]any{0, true},
			`f.yaml:1:7: "port" must be a whole number, found "abc"`},
		{"quoted number", "port: \"993\"\n", func(o *Object) any { n, node := o.Int("port", true); return [2]any{n, node == nil} }, [2]any{0, true},
			`f.yaml:1:7: "port" must be a whole number, found "993"`},
		{"number", "port: 993\n", func(o *Object) any { n, node := o.Int("port", true); return [2]any{n, node == nil} }, [2]any{993, false}, ""},
		{"bad enum", "name: tsl\n", func(o *Object) any { return o.Enum("name", true, "tls", "none") }, "",
			`f.yaml:1:7: "tsl" is not a valid name; did you mean "tls"?`},
		{"id", "name: imap-2\n", func(o *Object) any { return o.ID("name", 10) }, "imap-2", ""},
		{"id too long", "name: abcdefghijk\n", func(o *Object) any { return o.ID("name", 10) }, "abcdefghijk",
			`f.yaml:1:7: "abcdefghijk" is 11 characters long; an id has at most 10 — shorten it`},
		{"id with a double hyphen", "name: a--b\n", func(o *Object) any { return o.ID("name", 10) }, "a--b",
			`f.yaml:1:7: "a--b" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "a-b"`},
		{"list expected", "name: x\n", func(o *Object) any { return len(o.Strs("name", true)) }, 0,
			"f.yaml:1:7: \"name\" must be a list (`- item` lines or [a, b]), found a single value"},
		{"bool", "name: true\n", func(o *Object) any { return o.Bool("name") }, true, ""},
		{"bool absent", "port: 1\n", func(o *Object) any { return o.Bool("name") }, false, ""},
		{"bool as a word", "name: yes please\n", func(o *Object) any { return o.Bool("name") }, false,
			`f.yaml:1:7: "name" must be true or false, found "yes please"`},
		{"month", "name: 2014-05\n", func(o *Object) any { d, _ := o.Date("name", true); return d.String() }, "2014-05", ""},
		{"impossible day", "name: 2014-02-30\n", func(o *Object) any { d, node := o.Date("name", true); return [2]any{d.IsZero(), node != nil} }, [2]any{true, true},
			`f.yaml:1:7: name: day 30 in "2014-02-30" does not exist; February 2014 has 28 days`},
		{"enums", "name: [tls, none]\n", func(o *Object) any { return strings.Join(o.Enums("name", true, "tls", "none"), ",") }, "tls,none", ""},
		{"enums twice and unknown", "name: [tls, tls, tsl]\n", func(o *Object) any { return strings.Join(o.Enums("name", true, "tls", "none"), ",") }, "tls",
			"f.yaml:1:13: \"tls\" is listed twice in name; keep one\nf.yaml:1:18: \"tsl\" is not a valid entry for name; did you mean \"tls\"?"},
		{"alias", "a: &x v\nname: *x\n", func(o *Object) any { return o.Str("name", true) }, "v",
			`f.yaml:1:1: unknown key "a" in thing; choose one of: name, port`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, root := decode(t, tt.src, 0)
			if root == nil {
				t.Fatal(errorsOf(d))
			}
			got := tt.read(d.Object(root, "thing", "name", "port"))
			if got != tt.want {
				t.Errorf("value %#v, want %#v", got, tt.want)
			}
			if errs := errorsOf(d); errs != tt.errs {
				t.Errorf("errors:\n%s\nwant:\n%s", errs, tt.errs)
			}
		})
	}
}

func TestIDProblem(t *testing.T) {
	for _, tt := range []struct{ id, want string }{
		{"acme", ""}, {"imap-2", ""}, {"0", ""},
		{"", `"" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme-mail"`},
		{"..", `".." is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme-mail"`},
		{"ac/me", `"ac/me" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "ac-me"`},
		{"-acme", `"-acme" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme"`},
		{"acme-", `"acme-" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme"`},
		{"Café Mail", `"Café Mail" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "cafe-mail"`},
		{"邮件", `"邮件" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme-mail"`},
		{strings.Repeat("ab", 40), `"abababababababababababababababababababab…" is 80 characters long; an id has at most 64 — shorten it`},
		{strings.Repeat("A", 70), `"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…" is 70 characters long; an id has at most 64 — shorten it`},
	} {
		if got := IDProblem(tt.id, MaxNameID); got != tt.want {
			t.Errorf("IDProblem(%q):\n%s\nwant:\n%s", tt.id, got, tt.want)
		}
	}
}

// TestSlugIsAnID checks that Slug gives a valid id or nothing.
func TestSlugIsAnID(t *testing.T) {
	for in, want := range map[string]string{
		"My Article": "my-article", "index.html": "index-html", "Ærø Straße": "aero-strasse", "..": "", "  a__b  ": "a-b", "x": "x",
	} {
		got := Slug(in)
		if got != want || (got != "" && !IDPattern.MatchString(got)) {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParse feeds arbitrary bytes to Parse and a schema: it must never
// panic, every error must have a line, and a file that parses and reads
// without error has only clean text in its values.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"a: 1\n", "a: 1\n---\nb: 2\n", "a: [1\n", "a: \"\\e\"\n", "a: &x [1]\nb: *x\n", "\ufeffa: 1", "a: |\n  x\n  y\n", "...\n", "? a\n: b\n", "a: x\xff\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, root := decode(t, string(src), 1)
		if root != nil {
			o := d.Object(root, "thing", "a", "b")
			for _, key := range []string{"a", "b"} {
				s := o.Str(key, false)
				o.Strs(key, false)
				o.Int(key, false)
				o.Date(key, false)
				o.ID(key, MaxID)
				if len(*d.Errs) == 0 && strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' }) {
					t.Fatalf("value %q with a control character read without error", s)
				}
			}
		}
		if root == nil && len(*d.Errs) == 0 {
			t.Fatal("no root and no error")
		}
		for _, e := range *d.Errs {
			if e.Pos.File != "f.yaml" || e.Pos.Line < 2 || e.Pos.Column < 1 {
				t.Fatalf("error without a place: %v (%#v)", e, e.Pos)
			}
		}
	})
}
