package provideryaml

import (
	"fmt"
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
