package diag

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"mailkb/generator/model"
)

func TestErrorListSortsAndPrints(t *testing.T) {
	var l ErrorList
	l.Add(model.Pos{File: "b.yaml", Line: 2, Column: 1}, "second file")
	l.Add(model.Pos{File: "a.yaml", Line: 9, Column: 3}, "later line")
	l.Add(model.Pos{File: "a.yaml", Line: 1, Column: 5}, "first %s", "line")
	l.Add(model.Pos{File: "a.yaml", Line: 1, Column: 5}, "first line") // the same again: said once
	err := l.Err()
	want := "a.yaml:1:5: first line\na.yaml:9:3: later line\nb.yaml:2:1: second file"
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Msg != "first line" {
		t.Errorf("errors.As found %v", e)
	}
	if (ErrorList{}).Err() != nil {
		t.Error("an empty list is not nil as an error")
	}
}

func TestSuggest(t *testing.T) {
	for _, tt := range []struct {
		got     string
		choices []string
		want    string
	}{
		{"securty", []string{"security", "host"}, `did you mean "security"?`},
		{"zzz", []string{"tls", "starttls"}, "choose one of: tls, starttls"},
		{"smpt", []string{"imap", "pop3", "smtp"}, `did you mean "smtp"?`},
		{"zzz", []string{"a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8", "i9"}, "choose one of the 9 defined (a1, b2, c3, d4, e5, f6, g7, h8, …)"},
		{"x", nil, "none is defined yet"},
	} {
		if got := Suggest(tt.got, tt.choices); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.got, got, tt.want)
		}
	}
	if d := EditDistance("kitten", "sitting"); d != 3 {
		t.Errorf("EditDistance = %d, want 3", d)
	}
}

// TestCheckText checks where the first bad byte of a text is found, in
// lines and characters, and what is said of it.
func TestCheckText(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"plain\ttext\r\nnext line\n", ""},
		{"\ufeffmarked", ""},
		{"ab\ncdé\xffx", `2:4: byte 0xff is not UTF-8 text; save the file as UTF-8 (an editor's "encoding" setting)`},
		{"ab\xc3", `1:3: byte 0xc3 is not UTF-8 text; save the file as UTF-8 (an editor's "encoding" setting)`},
		{"a\n\n  \x1b[0m", "3:3: the control character U+001B (ESC) has no place in a text file; remove it"},
		{"\x00", "1:1: the control character U+0000 (NUL) has no place in a text file; remove it"},
		{"x\x0c", "1:2: the control character U+000C (form feed) has no place in a text file; remove it"},
		{"x\u009b", "1:2: the control character U+009B has no place in a text file; remove it"},
		{"x\ufeff", "1:2: a byte-order mark (U+FEFF) in the middle of the file; remove it"},
		{"\xed\xa0\x80", `1:1: byte 0xed is not UTF-8 text; save the file as UTF-8 (an editor's "encoding" setting)`}, // a surrogate
	} {
		got := ""
		if e := CheckText([]byte(tt.src)); e != nil {
			e.Pos.File = "f" // a position prints only with its file
			got = strings.TrimPrefix(e.Error(), "f:")
		}
		if got != tt.want {
			t.Errorf("CheckText(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestReadError(t *testing.T) {
	err := &fs.PathError{Op: "open", Path: "data/x.yaml", Err: errors.New("it is a named pipe")}
	if got := ReadError("kb/data/x.yaml", err).Error(); got != "kb/data/x.yaml: cannot read: it is a named pipe" {
		t.Errorf("ReadError = %q", got)
	}
}
