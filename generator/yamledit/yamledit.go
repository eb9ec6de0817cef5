// Package yamledit changes a YAML file by editing its bytes at the
// positions of its nodes, so that every comment, blank line, quote style,
// indentation and line ending the maintainer wrote survives. (Decoding and
// re-encoding would lose blank lines and reflow comments.) It is also the
// one writer of a knowledge base's files: under the lock on data/ that
// every writing command holds, through links that stay inside the
// knowledge base, all or nothing (see Writer).
package yamledit

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Doc is a YAML document being edited.
type Doc struct {
	src []byte // with LF line ends, whatever the file has
	// crlf is set when every line of the file ended in CRLF (Windows):
	// Bytes gives every line back its CR, so the lines the edits insert
	// end as the file's own do. A file with mixed line ends keeps them
	// as they are, and inserted lines end in LF.
	crlf bool
	root *yaml.Node // the document's top mapping
}

// Parse reads src for editing.
func Parse(src []byte) (*Doc, error) {
	crlf := allCRLF(src)
	if crlf {
		// Edits work on LF lines; Bytes restores the CRs. Every LF had a
		// CR before it, so the round trip gives back the same bytes.
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		return nil, err
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the file is not a YAML mapping")
	}
	return &Doc{src: src, crlf: crlf, root: n.Content[0]}, nil
}

// allCRLF reports whether src has lines and every one that ends, ends in
// CRLF.
func allCRLF(src []byte) bool {
	lf := bytes.Count(src, []byte("\n"))
	return lf > 0 && bytes.Count(src, []byte("\r\n")) == lf
}

// Bytes returns the edited document, with the file's line ends.
func (d *Doc) Bytes() []byte {
	if d.crlf {
		return bytes.ReplaceAll(d.src, []byte("\n"), []byte("\r\n"))
	}
	return bytes.Clone(d.src)
}

// Line returns 1-based line n as the edits see it: ending in LF (unless
// it is a last line without an end), whatever the file's line ends.
func (d *Doc) Line(n int) string { return d.lines()[n-1] }

// SetLine replaces 1-based line n with text, which may be several lines,
// each ending in LF; Bytes gives them the file's line ends.
func (d *Doc) SetLine(n int, text string) {
	lines := d.lines()
	lines[n-1] = text
	d.src = []byte(strings.Join(lines, ""))
}

// Get returns the value node of key in mapping m, or nil.
func Get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Root is the document's top-level mapping.
func (d *Doc) Root() *yaml.Node { return d.root }

// FindItem returns the mapping in the sequence under key whose field has
// the given value (the endpoint whose id is x).
func FindItem(m *yaml.Node, key, field, value string) *yaml.Node {
	seq := Get(m, key)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	for _, item := range seq.Content {
		if v := Get(item, field); v != nil && v.Value == value {
			return item
		}
	}
	return nil
}

// lines splits the source keeping line ends, so offsets can be rebuilt.
func (d *Doc) lines() []string { return strings.SplitAfter(string(d.src), "\n") }

// lastLine is the last source line (1-based) that belongs to node n: the
// deepest last descendant, extended over continuation lines that are
// indented deeper than indent (multi-line scalars).
func (d *Doc) lastLine(n *yaml.Node, indent int) int {
	last := n.Line
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Line > last {
			last = n.Line
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	lines := d.lines()
	for last < len(lines) {
		next := lines[last] // the line after `last` (0-based index = last)
		trimmed := strings.TrimSpace(next)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			// A blank or comment line continues the node only if deeper
			// content follows it.
			j := last + 1
			for j < len(lines) && (strings.TrimSpace(lines[j]) == "" || strings.HasPrefix(strings.TrimSpace(lines[j]), "#")) {
				j++
			}
			if j < len(lines) && indentOf(lines[j]) > indent && strings.TrimSpace(lines[j]) != "" {
				last = j + 1
				continue
			}
			break
		}
		if indentOf(next) <= indent {
			break
		}
		last++
	}
	return last
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// insertAfterLine inserts text (whole lines) after 1-based line n.
func (d *Doc) insertAfterLine(n int, text string) {
	lines := d.lines()
	var b bytes.Buffer
	for i, l := range lines {
		if i == n && i > 0 && !strings.HasSuffix(lines[i-1], "\n") {
			b.WriteByte('\n')
		}
		if i == n {
			b.WriteString(text)
		}
		b.WriteString(l)
	}
	if n >= len(lines) {
		if len(d.src) > 0 && !bytes.HasSuffix(d.src, []byte("\n")) {
			b.WriteByte('\n')
		}
		b.WriteString(text)
	}
	d.src = b.Bytes()
}

// Field is one key: value line of a new mapping, in the order written.
type Field struct{ Key, Value string }

// Scalar formats s as a YAML scalar, quoting only where YAML needs it.
func Scalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	v := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(v, "\n") { // a block scalar: use a quoted one line
		return fmt.Sprintf("%q", s)
	}
	return v
}

// AppendItem adds a mapping of fields to the block sequence under key in
// mapping m, after the item before which before returns true for the
// first time (so lists can stay in order), or at the end. If the key is
// missing it is added after the mapping's last line.
func (d *Doc) AppendItem(m *yaml.Node, key string, fields []Field, before func(item *yaml.Node) bool) error {
	seq := Get(m, key)
	keyCol := m.Column - 1
	if len(m.Content) > 0 {
		keyCol = m.Content[0].Column - 1
	}
	if seq == nil {
		last := d.lastLine(m, keyCol-1)
		if m.Line == last && m.Style&yaml.FlowStyle != 0 {
			return fmt.Errorf("line %d: the mapping is written in flow style {…}; write it as key: value lines", m.Line)
		}
		pad := strings.Repeat(" ", keyCol)
		d.insertAfterLine(last, pad+key+":\n"+Item(fields, keyCol+2))
		return nil
	}
	if seq.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: %s is not a list", seq.Line, key)
	}
	if seq.Style&yaml.FlowStyle != 0 {
		if len(seq.Content) > 0 {
			return fmt.Errorf("line %d: %s is written in flow style [...]; write it as a block list (- item lines) first", seq.Line, key)
		}
		// `key: []` becomes a block list.
		line := d.Line(seq.Line)
		col := seq.Column - 1
		end := strings.Index(line[col:], "]")
		d.SetLine(seq.Line, strings.TrimRight(line[:col], " ")+line[col+end+1:])
		d.insertAfterLine(seq.Line, Item(fields, keyCol+2))
		return nil
	}
	dashCol := keyCol + 2
	if len(seq.Content) > 0 {
		first := seq.Content[0]
		line := d.lines()[first.Line-1]
		if i := strings.LastIndex(line[:first.Column-1], "-"); i >= 0 {
			dashCol = i
		}
	}
	for _, it := range seq.Content {
		if before != nil && before(it) {
			// Insert before this item: after the line preceding its dash.
			d.insertAfterLine(it.Line-1, Item(fields, dashCol))
			return nil
		}
	}
	last := d.lastLine(seq.Content[len(seq.Content)-1], dashCol)
	d.insertAfterLine(last, Item(fields, dashCol))
	return nil
}

// Item writes fields as "- k: v" lines of a list item with the dash at
// column dash: the layout AppendItem inserts. A value that starts with a
// line break is a nested block, written below its key.
func Item(fields []Field, dash int) string {
	var b strings.Builder
	for i, f := range fields {
		if i == 0 {
			b.WriteString(strings.Repeat(" ", dash) + "- ")
		} else {
			b.WriteString(strings.Repeat(" ", dash+2))
		}
		if strings.HasPrefix(f.Value, "\n") {
			// A nested block (a list of mappings) starts on the next line.
			b.WriteString(f.Key + ":" + f.Value + "\n")
			continue
		}
		b.WriteString(f.Key + ": " + f.Value + "\n")
	}
	return b.String()
}

// SetKey gives key the scalar value (already formatted, see Scalar) in
// mapping m: an existing single-line scalar is replaced where it stands,
// a missing key is added as the mapping's last line.
func (d *Doc) SetKey(m *yaml.Node, key, value string) error {
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return fmt.Errorf("line %d: not a block mapping", m.Line)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value != key {
			continue
		}
		if v.Kind != yaml.ScalarNode || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return fmt.Errorf("line %d: %s is not a one-line value; edit it by hand", v.Line, key)
		}
		line := d.Line(v.Line)
		start := v.Column - 1
		end := valueEnd(line, start, v.Style)
		d.SetLine(v.Line, line[:start]+value+line[end:])
		return nil
	}
	keyCol := m.Column - 1
	if len(m.Content) > 0 {
		keyCol = m.Content[0].Column - 1
	}
	d.insertAfterLine(d.lastLine(m, keyCol-1), strings.Repeat(" ", keyCol)+key+": "+value+"\n")
	return nil
}

// valueEnd finds where a one-line scalar starting at start ends: after its
// closing quote, or before a trailing comment or the line end.
func valueEnd(line string, start int, style yaml.Style) int {
	rest := line[start:]
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		for i := 1; i < len(rest); i++ {
			if rest[i] == '\\' {
				i++
			} else if rest[i] == '"' {
				return start + i + 1
			}
		}
	case style&yaml.SingleQuotedStyle != 0:
		for i := 1; i < len(rest); i++ {
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					i++
					continue
				}
				return start + i + 1
			}
		}
	}
	end := strings.TrimRight(rest, "\r\n")
	if i := strings.Index(end, " #"); i >= 0 {
		end = end[:i]
	}
	return start + len(strings.TrimRight(end, " \t"))
}
