package diag

import (
	"errors"
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
	} {
		if got := Suggest(tt.got, tt.choices); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.got, got, tt.want)
		}
	}
	if d := EditDistance("kitten", "sitting"); d != 3 {
		t.Errorf("EditDistance = %d, want 3", d)
	}
}
