// Package diag carries mailkb's positioned errors: each names the file,
// line and column it concerns and says what to do, and a list of them is
// reported whole, sorted by position.
package diag

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"mailkb/generator/model"
)

// Error is one problem in one place.
type Error struct {
	Pos model.Pos
	Msg string
}

func (e *Error) Error() string {
	if e.Pos.File == "" {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList is every problem a load found, sorted by position.
type ErrorList []*Error

// maxReported bounds how many errors Error prints; the list keeps them all.
const maxReported = 50

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i == maxReported {
			fmt.Fprintf(&b, "… and %d more errors", len(l)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Add appends an error at pos.
func (l *ErrorList) Add(pos model.Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// FileName is how errors name the file at slash path p of a knowledge base
// whose folder is prefix ("" for the current folder).
func FileName(prefix, p string) string {
	if prefix == "" {
		return p
	}
	return filepath.Join(prefix, filepath.FromSlash(p))
}

// Unwrap gives each error on its own, for errors.Is/As and callers that
// print or count them separately.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns l as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	// One source can fail the same way on every page made from it: say it once.
	seen := map[Error]bool{}
	unique := l[:0]
	for _, e := range l {
		if !seen[*e] {
			seen[*e] = true
			unique = append(unique, e)
		}
	}
	l = unique
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return l
}

// Closest returns the candidate nearest to s by edit distance, if it is
// near enough to be a likely typo.
func Closest(s string, candidates []string) string {
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := EditDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// maxChoices is how many choices Suggest lists in full.
const maxChoices = 8

// Suggest formats a "did you mean" hint, or the list of choices.
func Suggest(got string, choices []string) string {
	if len(choices) == 0 {
		return "none is defined yet"
	}
	if c := Closest(got, choices); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	// A long list buries the message; name a few and say how many.
	if len(choices) > maxChoices {
		return fmt.Sprintf("choose one of the %d defined (%s, …)", len(choices), strings.Join(choices[:maxChoices], ", "))
	}
	return "choose one of: " + strings.Join(choices, ", ")
}

// ReadError is the error for a file that could not be read, with the
// reason the file system gave and without the path it repeats.
func ReadError(file string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &Error{Pos: model.Pos{File: file}, Msg: "cannot read: " + err.Error()}
}

// CheckText finds the first byte of src that has no place in a text file
// — one that is not UTF-8, or a control character other than tab, line
// feed and carriage return — and returns an error at its line and column
// (in characters, from 1) with no file name; nil when src is clean. A
// byte-order mark is allowed at the start.
func CheckText(src []byte) *Error {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		pos := model.Pos{Line: line, Column: col}
		switch {
		case r == utf8.RuneError && size <= 1:
			return &Error{Pos: pos, Msg: fmt.Sprintf("byte 0x%02x is not UTF-8 text; save the file as UTF-8 (an editor's \"encoding\" setting)", src[i])}
		case r == '\n':
			line, col = line+1, 0
		case r == '\uFEFF' && i > 0:
			return &Error{Pos: pos, Msg: "a byte-order mark (U+FEFF) in the middle of the file; remove it"}
		case unicode.IsControl(r) && r != '\t' && r != '\r':
			return &Error{Pos: pos, Msg: fmt.Sprintf("the control character %s has no place in a text file; remove it", RuneName(r))}
		}
		i += size
		col++
	}
	return nil
}

// controlNames are the control characters met in practice.
var controlNames = map[rune]string{0: "NUL", 7: "BEL", 8: "backspace", 0x0b: "vertical tab", 0x0c: "form feed",
	0x0d: "carriage return", 0x1b: "ESC", 0x7f: "DEL", 0x85: "next line"}

// RuneName names a character for a message: U+001B (ESC).
func RuneName(r rune) string {
	if name, ok := controlNames[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, name)
	}
	return fmt.Sprintf("U+%04X", r)
}
