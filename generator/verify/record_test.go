package verify

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
)

// snapshot is every entry under dir, links as links, so that a refused
// edit can be shown to change nothing at all.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			dest, err := os.Readlink(p)
			out[rel] = "link → " + dest
			return err
		case d.IsDir():
			out[rel] = "dir"
		default:
			data, err := os.ReadFile(p)
			out[rel] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func unchanged(t *testing.T, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%d entries before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed", k)
		}
	}
}

func events(t *testing.T, root, endpoint string) []model.Verification {
	t.Helper()
	kb, err := loader.Load(root, loader.WithToday(today))
	if err != nil {
		t.Fatalf("the knowledge base no longer loads: %v", err)
	}
	return kb.Provider("acme").Endpoint(endpoint).Verified
}

// Records made at once all land: each holds the lock from its read to its
// write, so none edits a file another has changed since.
func TestRecordConcurrent(t *testing.T) {
	root := writeKB(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			ev := Event{Date: day("2026-11-25"), Method: model.Manual, By: fmt.Sprintf("Checker %d", i)}
			_, errs[i] = Record(context.Background(), root, "acme", "smtp", ev, Options{Today: today})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, v := range events(t, root, "smtp") {
		got[v.By]++
	}
	for i := range n {
		if by := fmt.Sprintf("Checker %d", i); got[by] != 1 {
			t.Errorf("%s recorded %d times, want once", by, got[by])
		}
	}
}

// Control characters in who or what are refused before anything is read
// or written; a note may have line breaks, which YAML keeps.
func TestRecordRefusesControlCharacters(t *testing.T) {
	tests := []struct {
		name, by, note, want string
	}{
		{"escape sequence in by", "Ann\x1b[31m", "", "--by: character 4 is the control character U+001B"},
		{"C1 CSI in by", "Ann\u009b31m", "", "--by: character 4 is the control character U+009B"},
		{"DEL in by", "A\x7fnn", "", "--by: character 2 is the control character U+007F"},
		{"line break in by", "Ann\nBo", "", "--by: character 4 is a line break"},
		{"tab in by", "Ann\tBo", "", "--by: character 4 is the control character U+0009"},
		{"not UTF-8 in by", "Ann \xff", "", "--by: byte 5 is not UTF-8 text"},
		{"carriage return in note", "Ann", "ok\r\x1b[2K", "--note: character 3 is the control character U+000D"},
		{"NUL in note", "Ann", "a\x00b", "--note: character 2 is the control character U+0000"},
		{"OSC in note", "Ann", "see \x1b]8;;http://x.example\x07here", "--note: character 5 is the control character U+001B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeKB(t)
			before := snapshot(t, root)
			ev := Event{Date: day("2026-11-25"), Method: model.Manual, By: tt.by, Note: tt.note}
			_, err := Record(context.Background(), root, "acme", "smtp", ev, Options{Today: today})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
			unchanged(t, before, snapshot(t, root))
		})
	}
}

func TestRecordNoteOverLines(t *testing.T) {
	root := writeKB(t)
	note := "Thunderbird 140:\n  sent and received, \"quoted\" and é."
	ev := Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann", Note: note}
	if _, err := Record(context.Background(), root, "acme", "smtp", ev, Options{Today: today}); err != nil {
		t.Fatal(err)
	}
	if v := events(t, root, "smtp"); len(v) != 1 || v[0].Note != note {
		t.Errorf("recorded %+v, want the note %q as given", v, note)
	}
}

// A provider file with Windows line ends keeps them: the file after the
// edit is the file before with the new lines, which end in CRLF too.
func TestRecordKeepsCRLF(t *testing.T) {
	root := writeKB(t)
	file := filepath.Join(root, "data/providers/acme.yaml")
	before := strings.ReplaceAll(provider, "\n", "\r\n")
	if err := os.WriteFile(file, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	ev := Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}
	rec, err := Record(context.Background(), root, "acme", "smtp", ev, Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	lines := strings.SplitAfter(string(data), "\r\n")
	if strings.Count(string(data), "\n") != strings.Count(string(data), "\r\n") {
		t.Errorf("a line ends in LF alone:\n%q", data)
	}
	added := strings.Join(lines[rec.Line-1:rec.Line+3], "")
	if want := "    verified:\r\n      - date: 2026-11-25\r\n        method: manual\r\n        by: Ann\r\n"; added != want {
		t.Errorf("inserted %q, want %q", added, want)
	}
	rest := strings.Join(append(lines[:rec.Line-1:rec.Line-1], lines[rec.Line+3:]...), "")
	if rest != before {
		t.Errorf("the lines around the insertion changed:\n%q\nwant\n%q", rest, before)
	}
}

// A provider file that is a link to a file inside the knowledge base stays
// a link; the file it leads to gets the event.
func TestRecordThroughLink(t *testing.T) {
	root := writeKB(t)
	file := filepath.Join(root, "data/providers/acme.yaml")
	shared := filepath.Join(root, "data/shared/acme.yaml")
	if err := os.MkdirAll(filepath.Dir(shared), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(file, shared); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../shared/acme.yaml", file); err != nil {
		t.Fatal(err)
	}
	ev := Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}
	if _, err := Record(context.Background(), root, "acme", "smtp", ev, Options{Today: today}); err != nil {
		t.Fatal(err)
	}
	if dest, err := os.Readlink(file); err != nil || dest != "../shared/acme.yaml" {
		t.Errorf("the provider file is no longer the link: %q, %v", dest, err)
	}
	if data, _ := os.ReadFile(shared); !strings.Contains(string(data), "        by: Ann\n") {
		t.Errorf("the linked file lacks the event:\n%s", data)
	}
}

// A temp file that a killed write left beside the provider file goes with
// the next record.
func TestRecordClearsInterruptedWrite(t *testing.T) {
	root := writeKB(t)
	leftover := filepath.Join(root, "data/providers/.acme.yaml.tmp-2718281828")
	if err := os.WriteFile(leftover, []byte(provider[:100]), 0o600); err != nil {
		t.Fatal(err)
	}
	ev := Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}
	if _, err := Record(context.Background(), root, "acme", "smtp", ev, Options{Today: today}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(leftover); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the interrupted write's temp file is still there: %v", err)
	}
	if v := events(t, root, "smtp"); len(v) != 1 {
		t.Errorf("recorded %+v", v)
	}
}

// A link out of the knowledge base is refused (by the loader or by the
// write), and nothing changes, inside or outside.
func TestRecordRefusesLinkOut(t *testing.T) {
	base := t.TempDir()
	root := kbtest.WriteInto(t, filepath.Join(base, "kb"), map[string]string{
		"data/sources.yaml": "sources:\n  - id: s1\n    title: Acme help\n    publisher: Acme\n",
	})
	outside := kbtest.WriteInto(t, filepath.Join(base, "elsewhere"), map[string]string{"acme.yaml": provider})
	if err := os.MkdirAll(filepath.Join(root, "data/providers"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "acme.yaml"), filepath.Join(root, "data/providers/acme.yaml")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, base)
	ev := Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}
	rec, err := Record(context.Background(), root, "acme", "smtp", ev, Options{Today: today})
	if err == nil {
		t.Errorf("recorded through a link out of the knowledge base, at %s:%d", rec.File, rec.Line)
	}
	t.Logf("refused: %v", err)
	unchanged(t, before, snapshot(t, base))
}

// Every refusal, whether of the event, of the target or of the edit,
// leaves every file as it was.
func TestRecordFailureChangesNothing(t *testing.T) {
	good := Event{Date: day("2026-11-25"), Method: model.Manual, By: "Ann"}
	tests := []struct {
		name     string
		prepare  func(t *testing.T, root string)
		endpoint string
		ev       Event
		still    func(*model.Endpoint) error
		want     string
	}{
		{"future date", nil, "smtp", Event{Date: day("2026-11-26"), Method: model.Manual, By: "Ann"}, nil, "is in the future"},
		{"unknown method", nil, "smtp", Event{Date: day("2026-11-25"), Method: "guess", By: "Ann"}, nil, "the method must be"},
		{"no such endpoint", nil, "pop3", good, nil, "is not an endpoint"},
		{"the endpoint changed", nil, "smtp", good, func(*model.Endpoint) error { return errors.New("changed meanwhile") }, "changed meanwhile"},
		{"a list in flow style", func(t *testing.T, root string) {
			kbtest.Edit(t, filepath.Join(root, "data/providers/acme.yaml"), "security: starttls\n",
				"security: starttls\n    verified: [{date: 2020-01-01, method: manual, by: X}]\n")
		}, "smtp", good, nil, "flow style"},
		{"a knowledge base with errors", func(t *testing.T, root string) {
			kbtest.Edit(t, filepath.Join(root, "data/providers/acme.yaml"), "port: 587", "port: many")
		}, "smtp", good, nil, "fix them first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeKB(t)
			if tt.prepare != nil {
				tt.prepare(t, root)
			}
			before := snapshot(t, root)
			_, err := Record(context.Background(), root, "acme", tt.endpoint, tt.ev, Options{Today: today, Still: tt.still})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
			unchanged(t, before, snapshot(t, root))
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		s     string
		lines bool
		ok    bool
	}{
		{"Ann Example", false, true},
		{"Zoë 山田 😀", false, true},
		{"", false, true},
		{"two\nlines", true, true},
		{"two\nlines", false, false},
		{"\x1b[31m", true, false},
		{"\u0085", true, false}, // NEL, a C1 control
		{"\u00a0", false, true}, // no-break space follows C1 and is text
		{"\x7f", true, false},
		{"\t", true, false},
		{"\r\n", true, false},
		{"\xc3", false, false}, // a cut UTF-8 sequence
		{"\ufffd", false, true},
	}
	for _, tt := range tests {
		if err := PlainText(tt.s, tt.lines); (err == nil) != tt.ok {
			t.Errorf("PlainText(%q, %v) = %v, want ok %v", tt.s, tt.lines, err, tt.ok)
		}
	}
}
