package provideryaml

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"mailkb/generator/yamledit"
)

// Edit parses src afresh, applies fn and returns the new bytes. Each edit
// gets its own parse because an insertion moves every line after it.
func Edit(src []byte, fn func(d *yamledit.Doc) error) ([]byte, error) {
	d, err := yamledit.Parse(src)
	if err != nil {
		return nil, err
	}
	if err := fn(d); err != nil {
		return nil, err
	}
	return d.Bytes(), nil
}

// AppendScalars adds plain scalars (domains, source ids) to the list under
// key in the top mapping. A flow list, on one line or wrapped over several
// like outlook-com's domains, gets them after its last item; a block list
// gets "- item" lines. Nothing else in the file moves.
func AppendScalars(src []byte, key string, items []string) ([]byte, error) {
	return Edit(src, func(d *yamledit.Doc) error {
		seq := yamledit.Get(d.Root(), key)
		if seq == nil || seq.Kind != yaml.SequenceNode || len(seq.Content) == 0 {
			return fmt.Errorf("%s is not a list with items; add %s by hand", key, strings.Join(items, ", "))
		}
		last := seq.Content[len(seq.Content)-1]
		line := d.Line(last.Line)
		start := byteOffset(line, last.Column)
		end := start + len(last.Value)
		if last.Kind != yaml.ScalarNode || last.Style != 0 || end > len(line) || line[start:end] != last.Value {
			return fmt.Errorf("line %d: the last item of %s is not a plain one-line value; add %s by hand", last.Line, key, strings.Join(items, ", "))
		}
		if seq.Style&yaml.FlowStyle == 0 {
			pad := strings.Repeat(" ", strings.LastIndex(line[:start], "-"))
			var b strings.Builder
			for _, it := range items {
				b.WriteString(pad + "- " + it + "\n")
			}
			if !strings.HasSuffix(line, "\n") {
				line += "\n"
			}
			d.SetLine(last.Line, line+b.String())
			return nil
		}
		added := line[:end] + ", " + strings.Join(items, ", ") + line[end:]
		if last.Line != seq.Line && len(strings.TrimRight(added, "\n")) > width {
			// The list already runs over several lines: continue it on new
			// lines with the last line's indentation.
			pad := line[:len(line)-len(strings.TrimLeft(line, " "))]
			added = line[:end] + ",\n" + pad + strings.Join(Wrap(items, width-len(pad), ","), "\n"+pad) + line[end:]
		}
		d.SetLine(last.Line, added)
		return nil
	})
}

// byteOffset converts a 1-based column, which the YAML parser counts in
// characters, to a byte offset in line.
func byteOffset(line string, col int) int {
	i := 0
	for n := 1; n < col && i < len(line); n++ {
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
	}
	return i
}

// endpointKeys is the order in which EndpointFields writes an endpoint's
// keys.
var endpointKeys = []string{"id", "protocol", "url", "host", "port", "path", "security", "ews_url", "owa_url", "auth", "username",
	"username_note", "from", "until", "status", "replaced_by", "preferred", "note", "unusual", "sources", "verified"}

// SetEndpointKey gives key the value in the endpoint mapping item, written
// as EndpointFields writes it (a scalar, or a nested block that starts
// with a line break, indented for the item's keys), or removes the key
// when value is "". A key the endpoint lacks goes where EndpointFields
// would put it — before the first key it writes later, and before the
// comment on that key — so that an endpoint an edit completes reads like
// one written whole. A one-line value is replaced where it stands, its
// comment kept; a text over several lines is left for a person.
func SetEndpointKey(d *yamledit.Doc, item *yaml.Node, key, value string) error {
	if item == nil || item.Kind != yaml.MappingNode || item.Style&yaml.FlowStyle != 0 || len(item.Content) == 0 {
		return fmt.Errorf("the endpoint is not written as key: value lines; set %s by hand", key)
	}
	col := item.Content[0].Column - 1
	line := ""
	if value != "" {
		sep := " "
		if strings.HasPrefix(value, "\n") {
			sep = ""
		}
		line = strings.Repeat(" ", col) + key + ":" + sep + value + "\n"
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		if k.Value != key {
			continue
		}
		switch {
		case v.Kind == yaml.ScalarNode && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
			return fmt.Errorf("line %d: %s is not a one-line value; edit it by hand", v.Line, key)
		case i == 0:
			return fmt.Errorf("line %d: %s starts the endpoint; edit it by hand", k.Line, key)
		case v.Kind == yaml.ScalarNode && value != "" && !strings.HasPrefix(value, "\n"):
			return d.SetKey(item, key, value)
		}
		// The key's lines give way to the new ones, from the last up, so
		// that the lines still to go keep their numbers.
		for n := lastLine(d, v, col); n > k.Line; n-- {
			d.SetLine(n, "")
		}
		d.SetLine(k.Line, line)
		return nil
	}
	if value == "" {
		return nil
	}
	at := slices.Index(endpointKeys, key)
	for i := 2; at >= 0 && i+1 < len(item.Content); i += 2 {
		k := item.Content[i]
		if slices.Index(endpointKeys, k.Value) <= at {
			continue
		}
		n := k.Line
		for n > item.Line+1 && strings.HasPrefix(d.Line(n-1), strings.Repeat(" ", col)+"#") {
			n--
		}
		d.SetLine(n, line+d.Line(n))
		return nil
	}
	last := lastLine(d, item, col)
	end := d.Line(last)
	if !strings.HasSuffix(end, "\n") {
		end += "\n"
	}
	d.SetLine(last, end+line)
	return nil
}

// lastLine is the last line of node n, whose key is at column col: its
// deepest last descendant, and the lines after it that are indented deeper
// than col (a text folded over several lines).
func lastLine(d *yamledit.Doc, n *yaml.Node, col int) int {
	last := n.Line
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		last = max(last, n.Line)
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	src := string(d.Bytes())
	lines := strings.Count(src, "\n")
	if !strings.HasSuffix(src, "\n") {
		lines++ // a last line without its end
	}
	for last < lines {
		next := strings.TrimRight(d.Line(last+1), "\r\n")
		if strings.TrimSpace(next) == "" || len(next)-len(strings.TrimLeft(next, " ")) <= col {
			break
		}
		last++
	}
	return last
}

// AppendEndpoint adds the endpoint fields (see EndpointFields) at the end
// of the endpoints list, with a blank line before it where the list's
// items are set apart by blank lines, as a new file writes them.
func AppendEndpoint(src []byte, fields []yamledit.Field) ([]byte, error) {
	spaced := false
	out, err := Edit(src, func(d *yamledit.Doc) error {
		if seq := yamledit.Get(d.Root(), "endpoints"); seq != nil && len(seq.Content) > 1 {
			spaced = strings.TrimSpace(d.Line(seq.Content[1].Line-1)) == ""
		}
		return d.AppendItem(d.Root(), "endpoints", fields, nil)
	})
	if err != nil || !spaced {
		return out, err
	}
	return Edit(out, func(d *yamledit.Doc) error {
		seq := yamledit.Get(d.Root(), "endpoints")
		n := seq.Content[len(seq.Content)-1].Line - 1
		if prev := d.Line(n); strings.TrimSpace(prev) != "" {
			d.SetLine(n, prev+"\n")
		}
		return nil
	})
}
