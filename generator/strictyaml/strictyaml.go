// Package strictyaml reads YAML node trees against a fixed vocabulary:
// unknown and repeated keys, values of the wrong kind and impossible dates
// become positioned diag errors, and reading goes on so that one run
// reports every problem.
package strictyaml

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

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
}

func (d *Decoder) Pos(n *yaml.Node) model.Pos {
	return model.Pos{File: d.File, Line: n.Line + d.LineOffset, Column: n.Column}
}

func (d *Decoder) Errorf(n *yaml.Node, format string, args ...any) {
	*d.Errs = append(*d.Errs, &diag.Error{Pos: d.Pos(n), Msg: fmt.Sprintf(format, args...)})
}

// parse reads one YAML document and returns its root node, or nil after
// recording the error.
func (d *Decoder) Parse(src []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line := 0
		msg := err.Error()
		// yaml.v3 reports "yaml: line N: message"; lift the line into the position.
		if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
			if num, after, ok := strings.Cut(rest, ": "); ok {
				if n, err := strconv.Atoi(num); err == nil {
					line, msg = n, after
				}
			}
		}
		*d.Errs = append(*d.Errs, &diag.Error{Pos: model.Pos{File: d.File, Line: line + d.LineOffset, Column: 1},
			Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ") + " (check indentation and quote values that contain ': ' or start with a special character)"})
		return nil
	}
	if len(doc.Content) == 0 {
		d.Errorf(&yaml.Node{Line: 1, Column: 1}, "nothing here; see docs/data-schema.md (data) or docs/content.md (front matter) for what it must hold")
		return nil
	}
	return Resolve(doc.Content[0])
}

func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

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

// object checks that n is a mapping with no repeated and no unknown keys.
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

// get returns the value node of key, or nil when it is absent or null.
func (o *Object) Get(key string) *yaml.Node {
	v := o.fields[key]
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		return nil
	}
	return v
}

func (o *Object) Has(key string) bool { return o.Get(key) != nil }

func (o *Object) Missing(key string) {
	o.d.Errorf(o.node, "%s has no %q; add `%s: …` (see docs/data-schema.md)", o.what, key, key)
}

// scalar returns the value of a scalar node, recording an error for any
// other kind.
func (d *Decoder) Scalar(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.Errorf(n, "%q must be a single value, found %s", key, KindName(n))
		return "", false
	}
	return n.Value, true
}

func (o *Object) Str(key string, required bool) string {
	n := o.Get(key)
	if n == nil {
		if required {
			o.Missing(key)
		}
		return ""
	}
	s, _ := o.d.Scalar(n, key)
	if required && strings.TrimSpace(s) == "" {
		o.d.Errorf(n, "%q is empty; give it a value", key)
	}
	return s
}

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
		return 0, n
	}
	v, err := strconv.Atoi(s)
	if err != nil || n.Tag != "!!int" {
		o.d.Errorf(n, "%q must be a whole number, found %q", key, s)
		return 0, n
	}
	return v, n
}

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

// date reads an optional date.
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

// enum reads a value that must be one of choices.
func (o *Object) Enum(key string, required bool, choices ...string) string {
	s := o.Str(key, required)
	if s != "" && !slices.Contains(choices, s) {
		o.d.Errorf(o.Get(key), "%q is not a valid %s; %s", s, key, diag.Suggest(s, choices))
		return ""
	}
	return s
}

// list returns the items of a sequence value.
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

// strs reads a list of scalars, keeping each one's node.
func (o *Object) Strs(key string, required bool) []Ref {
	var out []Ref
	for _, n := range o.List(key, required) {
		if s, ok := o.d.Scalar(n, key); ok {
			out = append(out, Ref{s, n})
		}
	}
	return out
}

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

var IDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// id reads a required identifier.
func (o *Object) ID(key string) string {
	s := o.Str(key, true)
	if s != "" && !IDPattern.MatchString(s) {
		o.d.Errorf(o.Get(key), "%q is not a valid id; use lower-case letters, digits and '-' (for example %q)", s, Slug(s))
	}
	return s
}

func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
