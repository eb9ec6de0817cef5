package main

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// terminalSafe wraps the output of a command that prints what the data or
// a server says, so that none of it can drive the terminal: control
// characters other than newline and tab, DEL and C1 (ESC and CSI start
// escape sequences) are written as \u escapes, which also keep a JSON
// string valid, and bytes that are not UTF-8 as \x escapes. Each Write is
// taken as whole text, as fmt writes it.
func terminalSafe(w io.Writer) io.Writer { return safeWriter{w} }

type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	if utf8.Valid(p) && bytes.IndexFunc(p, isControl) < 0 {
		return s.w.Write(p)
	}
	var b bytes.Buffer
	for rest := p; len(rest) > 0; {
		r, size := utf8.DecodeRune(rest)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, rest[0])
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.Write(rest[:size])
		}
		rest = rest[size:]
	}
	if _, err := s.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

func isControl(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f }
