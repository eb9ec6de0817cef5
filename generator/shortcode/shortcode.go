// Package shortcode parses the Hugo-style shortcodes that let markdown
// refer to data: {{< name arg key="value" >}}, and paired ones that close
// with {{< /name >}}. {{</* name */>}} writes a shortcode literally. The
// parser only builds the tree; what a shortcode means is the caller's.
package shortcode

import (
	"fmt"
	"strings"
	"unicode"

	"mailkb/generator/diag"
	"mailkb/generator/model"
)

// Node is a piece of parsed source: *Text or *Shortcode.
type Node interface{ node() }

// Text is source outside any shortcode; Pos is where it starts.
type Text struct {
	Value string
	Pos   model.Pos
}

// Arg is one argument; Key is empty for a positional one.
type Arg struct{ Key, Value string }

// Shortcode is one call, with its body when it is paired.
type Shortcode struct {
	Name string
	Args []Arg
	Pos  model.Pos
	Body []Node // nil unless paired
}

func (*Text) node()      {}
func (*Shortcode) node() {}

// Positional returns the i-th positional argument, or "".
func (s *Shortcode) Positional(i int) string {
	for _, a := range s.Args {
		if a.Key == "" {
			if i == 0 {
				return a.Value
			}
			i--
		}
	}
	return ""
}

// Named returns the value of key and whether it was given.
func (s *Shortcode) Named(key string) (string, bool) {
	for _, a := range s.Args {
		if a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

const (
	open       = "{{<"
	close      = ">}}"
	openQuote  = "{{</*"
	closeQuote = "*/>}}"
)

// Parse reads src, whose first byte stands at line:1 of file. paired says
// which shortcode names take a body and a closing tag.
func Parse(file string, line int, src string, paired func(name string) bool) ([]Node, error) {
	p := &parser{file: file, src: src, line: line, col: 1, paired: paired}
	nodes, _ := p.parseUntil("")
	return nodes, p.errs.Err()
}

type parser struct {
	file      string
	src       string
	off       int
	line, col int
	paired    func(string) bool
	errs      diag.ErrorList
}

func (p *parser) pos() model.Pos { return model.Pos{File: p.file, Line: p.line, Column: p.col} }

// advance moves over n bytes, keeping line and column.
func (p *parser) advance(n int) string {
	s := p.src[p.off : p.off+n]
	for _, r := range s {
		if r == '\n' {
			p.line++
			p.col = 1
		} else {
			p.col++
		}
	}
	p.off += n
	return s
}

// parseUntil reads nodes until the closing tag of name ("" = end of
// input) and reports whether that tag was found.
func (p *parser) parseUntil(name string) ([]Node, bool) {
	var nodes []Node
	var text strings.Builder
	textPos := p.pos()
	flush := func() {
		if text.Len() > 0 {
			nodes = append(nodes, &Text{Value: text.String(), Pos: textPos})
			text.Reset()
		}
	}
	for p.off < len(p.src) {
		i := strings.Index(p.src[p.off:], open)
		if i < 0 {
			if text.Len() == 0 {
				textPos = p.pos()
			}
			text.WriteString(p.advance(len(p.src) - p.off))
			break
		}
		if text.Len() == 0 {
			textPos = p.pos()
		}
		text.WriteString(p.advance(i))
		start := p.pos()
		if strings.HasPrefix(p.src[p.off:], openQuote) {
			end := strings.Index(p.src[p.off+len(openQuote):], closeQuote)
			if end < 0 {
				p.errs.Add(start, "{{</* is not closed by */>}}; close it or remove it")
				text.WriteString(p.advance(len(p.src) - p.off))
				break
			}
			inner := p.advance(len(openQuote) + end + len(closeQuote))
			text.WriteString(open + inner[len(openQuote):len(inner)-len(closeQuote)] + close)
			continue
		}
		end := strings.Index(p.src[p.off:], close)
		if nl := strings.Index(p.src[p.off:], "\n"); end < 0 || (nl >= 0 && nl < end) {
			p.errs.Add(start, "shortcode is not closed by >}} on the same line; write {{< name args >}}")
			text.WriteString(p.advance(len(open)))
			continue
		}
		inner := p.advance(end + len(close))
		inner = strings.TrimSpace(inner[len(open) : len(inner)-len(close)])
		if closing, ok := strings.CutPrefix(inner, "/"); ok {
			closing = strings.TrimSpace(closing)
			if closing == name && name != "" {
				flush()
				return nodes, true
			}
			if name == "" {
				p.errs.Add(start, "{{< /%s >}} closes nothing; remove it or add the opening {{< %s >}}", closing, closing)
			} else {
				p.errs.Add(start, "{{< /%s >}} found where {{< /%s >}} was expected; shortcodes close in reverse order", closing, name)
			}
			continue
		}
		sc, err := parseCall(inner)
		if err != nil {
			p.errs.Add(start, "%v", err)
			continue
		}
		sc.Pos = start
		flush()
		if p.paired != nil && p.paired(sc.Name) {
			body, closed := p.parseUntil(sc.Name)
			if !closed {
				p.errs.Add(start, "{{< %s >}} is never closed; add {{< /%s >}} after its block", sc.Name, sc.Name)
			}
			sc.Body = append([]Node{}, body...)
		}
		nodes = append(nodes, sc)
	}
	flush()
	return nodes, false
}

// parseCall splits `name a key="v w"` into a shortcode.
func parseCall(s string) (*Shortcode, error) {
	fields, err := splitArgs(s)
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("empty shortcode {{< >}}; write {{< name args >}}")
	}
	name := fields[0]
	if !validName(name) {
		return nil, fmt.Errorf("%q is not a shortcode name; names are letters, digits, - and _", name)
	}
	sc := &Shortcode{Name: name}
	for _, f := range fields[1:] {
		if k, v, ok := strings.Cut(f, "="); ok && validName(k) {
			sc.Args = append(sc.Args, Arg{Key: k, Value: unquote(v)})
		} else {
			sc.Args = append(sc.Args, Arg{Value: unquote(f)})
		}
	}
	return sc, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// splitArgs splits on spaces outside double quotes.
func splitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inQuote, has := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
			cur.WriteRune(r)
			has = true
		case unicode.IsSpace(r) && !inQuote:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("unbalanced quote in {{< %s >}}; close the \"", s)
	}
	if has {
		out = append(out, cur.String())
	}
	return out, nil
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
