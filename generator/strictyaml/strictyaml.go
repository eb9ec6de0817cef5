// Package strictyaml reads YAML node trees against a fixed vocabulary:
// unknown and repeated keys, values of the wrong kind and impossible dates
// become positioned diag errors, and reading goes on so that one run
// reports every problem.
package strictyaml

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"mailkb/generator/diag"
	"mailkb/generator/model"
)

// Decoder walks one file's YAML nodes and records errors with positions.
type Decoder struct {
	File string
	Errs *diag.ErrorList
	// LineOffset is added to every line, for YAML embedded in a larger
	// file (front matter starts on the file's second line).
	LineOffset int
	// What names the YAML in messages; empty means "a data file".
	What string
}

// Pos is where n stands in the file, lines counted from the file's top.
func (d *Decoder) Pos(n *yaml.Node) model.Pos {
	return model.Pos{File: d.File, Line: n.Line + d.LineOffset, Column: n.Column}
}

// Errorf records an error at n and lets reading go on.
func (d *Decoder) Errorf(n *yaml.Node, format string, args ...any) {
	*d.Errs = append(*d.Errs, &diag.Error{Pos: d.Pos(n), Msg: fmt.Sprintf(format, args...)})
}

// Parse reads the one YAML document src must hold and returns its root
// node, or nil after recording the error. Bytes that are not UTF-8 or are
// control characters are refused first, with their position: the YAML
// parser names no line for them.
func (d *Decoder) Parse(src []byte) *yaml.Node {
	if e := diag.CheckText(src); e != nil {
		e.Pos.File, e.Pos.Line = d.File, e.Pos.Line+d.LineOffset
		*d.Errs = append(*d.Errs, e)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			d.nothing()
		} else {
			d.syntaxError(err)
		}
		return nil
	}
	if len(doc.Content) == 0 {
		d.nothing()
		return nil
	}
	// The YAML library reads the first document and would leave the rest
	// unread: everything after a second --- would be ignored in silence.
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		line := next.Line
		if err != nil {
			line, _ = syntaxLine(err)
		}
		what := d.What
		if what == "" {
			what = "a data file"
		}
		d.Errorf(&yaml.Node{Line: line, Column: 1}, "%s holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first", what)
		return nil
	}
	return Resolve(doc.Content[0])
}

func (d *Decoder) nothing() {
	d.Errorf(&yaml.Node{Line: 1, Column: 1}, "nothing here; see docs/data-schema.md (data) or docs/content.md (front matter) for what it must hold")
}

func (d *Decoder) syntaxError(err error) {
	line, msg := syntaxLine(err)
	*d.Errs = append(*d.Errs, &diag.Error{Pos: model.Pos{File: d.File, Line: line + d.LineOffset, Column: 1},
		Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ") + " (check indentation and quote values that contain ': ' or start with a special character)"})
}

// syntaxLine lifts the line out of the YAML library's "yaml: line N:
// message"; when it names none, the error is placed on the first line.
func syntaxLine(err error) (int, string) {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		if num, after, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				return n, after
			}
		}
	}
	return 1, msg
}

// Resolve follows aliases (*name) to the node they stand for.
func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// KindName says in words what kind of value n is, for messages.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return "a single value"
	}
	return "something else"
}

// Object is a YAML mapping whose keys have been checked against a schema.
type Object struct {
	d      *Decoder
	node   *yaml.Node
	what   string
	fields map[string]*yaml.Node
	keys   map[string]*yaml.Node
}

// Object checks that n is a mapping with no repeated and no unknown keys.
// what names the thing for messages ("endpoint"). It never returns nil, so
// callers can read fields from a broken object and collect more errors.
func (d *Decoder) Object(n *yaml.Node, what string, allowed ...string) *Object {
	o := &Object{d: d, node: n, what: what, fields: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, "%s must be a mapping of key: value lines, found %s", what, KindName(n))
		return o
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], Resolve(n.Content[i+1])
		if prev, dup := o.keys[k.Value]; dup {
			d.Errorf(k, "key %q is repeated in this %s (first at line %d); keep one", k.Value, what, prev.Line)
			continue
		}
		o.keys[k.Value] = k
		if !slices.Contains(allowed, k.Value) {
			d.Errorf(k, "unknown key %q in %s; %s", k.Value, what, diag.Suggest(k.Value, allowed))
			continue
		}
		o.fields[k.Value] = v
	}
	return o
}

// Get returns the value node of key, or nil when it is absent or null.
func (o *Object) Get(key string) *yaml.Node {
	v := o.fields[key]
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		return nil
	}
	return v
}

// Has reports whether key has a value other than null.
func (o *Object) Has(key string) bool { return o.Get(key) != nil }

// Missing records that the required key is absent.
func (o *Object) Missing(key string) {
	o.d.Errorf(o.node, "%s has no %q; add `%s: …` (see docs/data-schema.md)", o.what, key, key)
}

// Scalar returns the value of a scalar node, recording an error for any
// other kind, and for a value holding a control character other than tab
// and line feed (written as an escape such as "\e": raw ones are refused
// before parsing): it would reach pages and terminals as it is.
func (d *Decoder) Scalar(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.Errorf(n, "%q must be a single value, found %s", key, KindName(n))
		return "", false
	}
	if i := strings.IndexFunc(n.Value, func(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(n.Value[i:])
		d.Errorf(n, "%q holds the control character %s; remove it (only tabs and line breaks may be written in a value)", key, diag.RuneName(r))
		return "", false
	}
	return n.Value, true
}

// Str reads a single value; a required one must be present and not blank.
func (o *Object) Str(key string, required bool) string {
	n := o.Get(key)
	if n == nil {
		if required {
			o.Missing(key)
		}
		return ""
	}
	s, ok := o.d.Scalar(n, key)
	if ok && required && strings.TrimSpace(s) == "" {
		o.d.Errorf(n, "%q is empty; give it a value", key)
	}
	return s
}

// Int reads a whole number. The node is nil when the value is absent or
// not a whole number (that error is recorded), so that callers check the
// range only of a number that was written.
func (o *Object) Int(key string, required bool) (int, *yaml.Node) {
	n := o.Get(key)
	if n == nil {
		if required {
			o.Missing(key)
		}
		return 0, nil
	}
	s, ok := o.d.Scalar(n, key)
	if !ok {
		return 0, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || n.Tag != "!!int" {
		o.d.Errorf(n, "%q must be a whole number, found %q", key, s)
		return 0, nil
	}
	return v, n
}

// Bool reads an optional true or false; absent is false.
func (o *Object) Bool(key string) bool {
	n := o.Get(key)
	if n == nil {
		return false
	}
	s, ok := o.d.Scalar(n, key)
	if !ok {
		return false
	}
	if n.Tag != "!!bool" {
		o.d.Errorf(n, "%q must be true or false, found %q", key, s)
		return false
	}
	return s == "true"
}

// Date reads a date (YYYY, YYYY-MM or YYYY-MM-DD). The node is returned
// whenever a value was written, even a wrong one, for callers that place
// further errors on it.
func (o *Object) Date(key string, required bool) (model.Date, *yaml.Node) {
	n := o.Get(key)
	if n == nil {
		if required {
			o.Missing(key)
		}
		return model.Date{}, nil
	}
	s, ok := o.d.Scalar(n, key)
	if !ok {
		return model.Date{}, n
	}
	dt, err := model.ParseDate(s)
	if err != nil {
		o.d.Errorf(n, "%s: %v", key, err)
		return model.Date{}, n
	}
	return dt, n
}

// Enum reads a value that must be one of choices.
func (o *Object) Enum(key string, required bool, choices ...string) string {
	s := o.Str(key, required)
	if s != "" && !slices.Contains(choices, s) {
		o.d.Errorf(o.Get(key), "%q is not a valid %s; %s", s, key, diag.Suggest(s, choices))
		return ""
	}
	return s
}

// List returns the items of a sequence value.
func (o *Object) List(key string, required bool) []*yaml.Node {
	n := o.Get(key)
	if n == nil {
		if required {
			o.Missing(key)
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		o.d.Errorf(n, "%q must be a list (`- item` lines or [a, b]), found %s", key, KindName(n))
		return nil
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		items[i] = Resolve(c)
	}
	if required && len(items) == 0 {
		o.d.Errorf(n, "%q is an empty list; give at least one", key)
	}
	return items
}

// Ref is an id written somewhere, to be resolved once everything is loaded.
type Ref struct {
	ID   string
	Node *yaml.Node
}

// Strs reads a list of scalars, keeping each one's node.
func (o *Object) Strs(key string, required bool) []Ref {
	var out []Ref
	for _, n := range o.List(key, required) {
		if s, ok := o.d.Scalar(n, key); ok {
			out = append(out, Ref{s, n})
		}
	}
	return out
}

// Enums reads a list of values each of which must be one of choices,
// none twice.
func (o *Object) Enums(key string, required bool, choices ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range o.Strs(key, required) {
		switch {
		case !slices.Contains(choices, r.ID):
			o.d.Errorf(r.Node, "%q is not a valid entry for %s; %s", r.ID, key, diag.Suggest(r.ID, choices))
		case seen[r.ID]:
			o.d.Errorf(r.Node, "%q is listed twice in %s; keep one", r.ID, key)
		default:
			seen[r.ID] = true
			out = append(out, r.ID)
		}
	}
	return out
}

// IDPattern is the form of every id: lower-case letters a–z and digits,
// in groups joined by single hyphens. Ids become URL segments, file names
// and HTML anchors, so nothing else is allowed.
var IDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Bounds on id length. Provider and client ids and article slugs name
// files and folders of the site (mobileconfig/<id>-imap.mobileconfig), so
// they stay well inside the 255 bytes a file name may have; other ids
// (endpoints, facts, sources …) appear in URLs and anchors only.
const (
	MaxNameID = 64
	MaxID     = 128
)

// IDProblem says what is wrong with s as an id of at most max characters
// — a whole sentence that starts with s quoted — or "" when nothing is.
// It never proposes an example that is not itself a valid id.
func IDProblem(s string, max int) string {
	switch {
	case len(s) > max:
		return fmt.Sprintf("%q is %d characters long; an id has at most %d — shorten it", Abbrev(s), len(s), max)
	case !IDPattern.MatchString(s):
		form := "an id is lower-case letters a–z, digits and single hyphens between them"
		if slug := Slug(s); slug != "" && len(slug) <= max {
			return fmt.Sprintf("%q is not a valid id; %s, like %q", s, form, slug)
		}
		return fmt.Sprintf("%q is not a valid id; %s, like \"acme-mail\"", s, form)
	}
	return ""
}

// Abbrev shortens a long value for a message.
func Abbrev(s string) string {
	const keep = 40
	if len(s) <= keep+10 {
		return s
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// ID reads a required identifier of at most max characters.
func (o *Object) ID(key string, max int) string {
	s := o.Str(key, true)
	if s == "" {
		return ""
	}
	if problem := IDProblem(s, max); problem != "" {
		o.d.Errorf(o.Get(key), "%s", problem)
	}
	return s
}

// Slug makes an id from s: lower case, accents dropped from common Latin
// letters, every other run of characters a single hyphen. It may be
// empty (for "..", or text in another script).
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if f, ok := latinFold[r]; ok {
			b.WriteString(f)
			dash = false
		} else if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// latinFold spells the accented letters of Western European languages
// without their accents.
var latinFold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ł': "l", 'þ': "th"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāă", "c": "çćč", "e": "èéêëēėęě", "i": "ìíîïīį", "n": "ñńň",
		"o": "òóôõöōő", "u": "ùúûüūůű", "y": "ýÿ", "s": "śš", "z": "źżž", "r": "ř", "d": "ď", "t": "ť",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
