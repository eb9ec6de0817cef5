// Package kbtest gives tests knowledge bases to work on: copies of the
// bundled one that a test may edit or break, small ones written from
// strings, each in its own temp folder, and what tests of real data need
// to follow it rather than assume it: the day to run on (Day) and a
// provider a maintainer might add (AddProvider). Only tests import it.
package kbtest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"mailkb/generator/loader"
	"mailkb/generator/model"
)

// RepoRoot is the folder holding the bundled data/, content/ and templates/.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// CopyBundled copies the bundled knowledge base's folders (default: data,
// content and templates; or any folder under them, like data/clients) into
// a new temp folder and returns it.
func CopyBundled(t testing.TB, dirs ...string) string {
	t.Helper()
	if len(dirs) == 0 {
		dirs = []string{"data", "content", "templates"}
	}
	root := t.TempDir()
	for _, dir := range dirs {
		if err := CopyTree(filepath.Join(RepoRoot(), dir), filepath.Join(root, dir)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Write writes name → content (slash paths) into a new temp folder and
// returns it.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	return WriteInto(t, t.TempDir(), files)
}

// WriteInto writes name → content (slash paths) under root and returns
// root.
func WriteInto(t testing.TB, root string, files map[string]string) string {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Edit replaces the first old with new in a file, failing the test when
// old is not there (the test has gone stale).
func Edit(t testing.TB, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%q not in %s", old, file)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// CopyTree copies the files under src to dst.
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
}

// Day is the "today" a test of the knowledge base at root runs on: the
// real day, unless the data holds a later date than the clock (a check or
// a source dated ahead of a machine's clock), then the day after the
// newest such date. Tests of real data use it instead of a fixed day, so
// that a check a maintainer records today is never "in the future" of the
// test, and the site is built as it would be built now.
func Day(t testing.TB, root string) time.Time {
	t.Helper()
	// Read with a today no date can pass, to find the newest date.
	kb, err := loader.Load(root, loader.WithToday(time.Date(model.MaxYear, 12, 31, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatalf("the knowledge base at %s does not load:\n%v", root, err)
	}
	day := model.DateOf(time.Now()).Start()
	later := func(d model.Date) {
		if !d.IsZero() && d.Start().After(day) {
			day = d.End()
		}
	}
	for _, s := range kb.Sources {
		later(s.Date)
	}
	for _, p := range kb.Providers {
		for _, e := range p.Endpoints {
			for _, v := range e.Verified {
				later(v.Date)
			}
		}
		for _, f := range p.Facts {
			for _, v := range f.Verified {
				later(v.Date)
			}
		}
	}
	return day
}

// Added describes the provider AddProvider wrote.
type Added struct {
	ID, Name string
	File     string // its provider file
	Domain   string
	// Hosts of its endpoints: the IMAP server it used first, the one
	// that replaced it, and its SMTP server.
	OldIMAP, IMAP, SMTP string
}

// AddProvider adds a provider to the knowledge base at root as a
// maintainer would: a file of its own under data/providers/, with its
// sources, a domain, an IMAP server replaced by another (a history to
// show), a current SMTP server and a FAQ. Its id is one no provider file
// has yet; its domain and hosts are made from the id, under the reserved
// .example top-level domain.
func AddProvider(t testing.TB, root string) Added {
	t.Helper()
	a := Added{}
	for n := 1; ; n++ {
		a.ID = fmt.Sprintf("added-mail-%d", n)
		a.File = filepath.Join(root, "data", "providers", a.ID+".yaml")
		if _, err := os.Lstat(a.File); errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	a.Name = "Added Mail " + a.ID[len("added-mail-"):]
	a.Domain = a.ID + ".example"
	a.OldIMAP, a.IMAP, a.SMTP = "mail."+a.Domain, "imap."+a.Domain, "smtp."+a.Domain
	WriteInto(t, root, map[string]string{"data/providers/" + a.ID + ".yaml": fmt.Sprintf(`# Written by kbtest.AddProvider, as a maintainer adds a provider.
id: %[1]s
name: %[2]s
summary: A mail service a maintainer has just added.
domains: [%[3]s]
domain_sources: [%[1]s-help]
sources:
  - id: %[1]s-help
    title: %[2]s help
    publisher: %[2]s
    date: 2015-03-02
endpoints:
  - id: imap-old
    protocol: imap
    host: %[4]s
    port: 993
    security: tls
    auth: [password]
    username: email-address
    from: 2015
    until: 2020-06
    status: retired
    replaced_by: imap
    sources: [%[1]s-help]
  - id: imap
    protocol: imap
    host: %[5]s
    port: 993
    security: tls
    auth: [password]
    username: email-address
    from: 2020-06
    sources: [%[1]s-help]
  - id: smtp
    protocol: smtp
    host: %[6]s
    port: 587
    security: starttls
    auth: [password]
    username: email-address
    from: 2015
    sources: [%[1]s-help]
faq:
  - id: which-server
    question: Which server do I read mail from?
    answer: The IMAP server in the quick reference; the older one was retired in June 2020.
    sources: [%[1]s-help]
`, a.ID, a.Name, a.Domain, a.OldIMAP, a.IMAP, a.SMTP)})
	return a
}

// Successor is the current endpoint that e's replaced_by chain leads to,
// worked out here for tests, apart from the code they check.
func Successor(e *model.Endpoint) *model.Endpoint {
	seen := map[*model.Endpoint]bool{}
	for ; e != nil && !seen[e]; e = e.ReplacedBy {
		if e.Status == model.Current {
			return e
		}
		seen[e] = true
	}
	return nil
}

// HasCurrent reports whether a current endpoint of kb names host h.
func HasCurrent(kb *model.KB, h string) bool {
	for _, p := range kb.Providers {
		for _, e := range p.Endpoints {
			if e.Host == h && e.Status == model.Current {
				return true
			}
		}
	}
	return false
}
