package ispdb

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailkb/generator/gitlog"
	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
)

// gitRepo is a scratch git repository that a test commits to.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed; the history import reads a git repository")
	}
	r := &gitRepo{t, t.TempDir()}
	r.git("init", "-q", "-b", "master")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=Test", "-c", "user.email=test@example.org"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// commit writes files (slash path → content; "" removes the file), and
// commits them dated day with the subject.
func (r *gitRepo) commit(day, subject string, files map[string]string) {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if content == "" {
			r.git("rm", "-q", name)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
		r.git("add", name)
	}
	r.git("commit", "-q", "--allow-empty", "-m", subject, "--date", day+"T12:00:00Z")
}

// mv moves a file, in one commit.
func (r *gitRepo) mv(day, subject, from, to string) {
	r.t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(r.dir, to)), 0o755); err != nil {
		r.t.Fatal(err)
	}
	r.git("mv", from, to)
	r.git("commit", "-q", "-m", subject, "--date", day+"T12:00:00Z")
}

// TestHistoryFollowsNamesOnly: an entry is followed through the moves
// X → ispdb/X → ispdb/X.xml, and never stitched to another file git would
// call a rename of it (same content under another name).
func TestHistoryFollowsNamesOnly(t *testing.T) {
	r := newRepo(t)
	acme := provider("acme.example", []string{"acme.example"}, serverXML("imap", "imap.acme.example", "993", "SSL", "password-cleartext"))
	r.commit("2009-04-28", "Add acme", map[string]string{"acme.example": acme, "README": "not an entry"})
	// Removed, and a look-alike added the same day: git's --follow would
	// stitch the two together.
	r.commit("2010-01-05", "Replace acme by zed", map[string]string{"acme.example": "", "zed.example": strings.ReplaceAll(acme, "acme", "zed")})
	r.commit("2012-03-01", "Add acme again", map[string]string{"acme.example": acme})
	r.mv("2019-03-10", "Change repo layout", "acme.example", "ispdb/acme.example")
	r.mv("2022-11-19", "Add .xml extension", "ispdb/acme.example", "ispdb/acme.example.xml")

	hs, err := gitlog.Read(context.Background(), r.dir, database)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var acmeH *gitlog.File
	for _, h := range hs {
		names = append(names, h.Name)
		if h.Name == "acme.example" {
			acmeH = h
		}
	}
	if strings.Join(names, " ") != "acme.example zed.example" {
		t.Fatalf("entries %v, want acme.example and zed.example (README is no entry)", names)
	}
	var got []string
	for _, v := range acmeH.Versions {
		state := v.Path
		if v.Deleted() {
			state = "removed"
		}
		got = append(got, v.Date.String()+" "+state)
	}
	want := []string{"2009-04-28 acme.example", "2010-01-05 removed", "2012-03-01 acme.example",
		"2019-03-10 ispdb/acme.example", "2022-11-19 ispdb/acme.example.xml"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("acme.example's versions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestImportHistory imports a small history and checks the periods, their
// uncertainty, the evidence, the successors and that a second run
// changes nothing — also after a hand-written comment was added.
func TestImportHistory(t *testing.T) {
	r := newRepo(t)
	v1 := provider("acme.example", []string{"acme.example"},
		serverXML("pop3", "pop.acme.example", "995", "SSL", "password-cleartext"),
		serverXML("smtp", "smtp.acme.example", "587", "STARTTLS", "password-cleartext"))
	v2 := provider("acme.example", []string{"acme.example"},
		serverXML("imap", "imap.acme.example", "993", "SSL", "password-cleartext"),
		serverXML("pop3", "pop.acme.example", "995", "SSL", "password-cleartext"),
		serverXML("smtp", "smtp.acme.example", "587", "STARTTLS", "password-cleartext"))
	v3 := provider("acme.example", []string{"acme.example"},
		serverXML("imap", "imap.acme.example", "993", "SSL", "OAuth2"),
		serverXML("smtp", "smtp.acme.example", "587", "STARTTLS", "OAuth2"))
	r.commit("2009-04-28", "Add acme", map[string]string{"acme.example": v1})
	r.commit("2014-01-23", "acme has IMAP now", map[string]string{"acme.example": v2})
	r.mv("2019-03-10", "Change repo layout", "acme.example", "ispdb/acme.example.xml")
	r.commit("2024-02-06", "OAuth2 only", map[string]string{"ispdb/acme.example.xml": v3})

	root := newKB(t)
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	rep, err := ImportHistory(context.Background(), r.dir, nil, Options{Root: root, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(Created) != 1 {
		t.Fatalf("%s", summary(rep))
	}
	kb, err := loader.Load(root, loader.WithToday(today))
	if err != nil {
		t.Fatal(err)
	}
	p := kb.Provider("acme-example")
	type want struct {
		host, from, until string
		status            model.Status
		events            int
		auth              string
	}
	wants := []want{
		{"pop.acme.example", "2009-04-28", "2024-02-06", model.Withdrawn, 3, "password"},
		{"smtp.acme.example", "2009-04-28", "2024-02-06", model.Withdrawn, 3, "password"},
		{"imap.acme.example", "2014-01-23", "2024-02-06", model.Withdrawn, 2, "password"},
		{"imap.acme.example", "2024-02-06", "", model.Current, 1, "oauth2"},
		{"smtp.acme.example", "2024-02-06", "", model.Current, 1, "oauth2"},
	}
	if len(p.Endpoints) != len(wants) {
		t.Fatalf("%d endpoints, want %d", len(p.Endpoints), len(wants))
	}
	for i, w := range wants {
		e := p.Endpoints[i]
		if e.Host != w.host || e.From.String() != w.from || !e.FromBy || e.Until.String() != w.until || (w.until != "" && !e.UntilBy) ||
			e.Status != w.status || len(e.Verified) != w.events || string(e.Auth[0]) != w.auth {
			t.Errorf("endpoint %d: %s %s from %s (by %v) until %s (by %v) %s, %d events, %v; want %+v",
				i, e.ID, e.Host, e.From, e.FromBy, e.Until, e.UntilBy, e.Status, len(e.Verified), e.Auth, w)
		}
	}
	if v := p.Endpoints[2].Verified[0]; v.Method != model.Published || v.Source == nil || !strings.HasPrefix(v.Note, "Commit ") || !strings.Contains(v.Note, "acme has IMAP now") {
		t.Errorf("the first event of IMAP: %+v", v)
	}
	if r := p.Endpoints[2].ReplacedBy; r == nil || r != p.Endpoints[3] {
		t.Errorf("IMAP with passwords is replaced by %v, want the OAuth2 one", r)
	}
	if p.Endpoints[0].ReplacedBy != nil {
		t.Errorf("POP3 ended without a successor, yet replaced_by %s", p.Endpoints[0].ReplacedBy.ID)
	}

	// A maintainer's comment survives, and a second run changes nothing.
	file := filepath.Join(root, "data", "providers", "acme-example.yaml")
	kbtest.Edit(t, file, "endpoints:\n", "endpoints:\n  # checked by hand: still answers (Ann)\n")
	before, _ := os.ReadFile(file)
	rep, err = ImportHistory(context.Background(), r.dir, nil, Options{Root: root, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(Unchanged) != 1 {
		t.Errorf("a second run: %s", summary(rep))
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Errorf("a second run changed the file")
	}

	// A new upstream commit adds only what it brings.
	r.commit("2025-07-28", "SMTP on 465 too", map[string]string{"ispdb/acme.example.xml": provider("acme.example", []string{"acme.example"},
		serverXML("imap", "imap.acme.example", "993", "SSL", "OAuth2"),
		serverXML("smtp", "smtp.acme.example", "587", "STARTTLS", "OAuth2"), serverXML("smtp", "smtp.acme.example", "465", "SSL", "OAuth2"))})
	rep, err = ImportHistory(context.Background(), r.dir, nil, Options{Root: root, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(file)
	if rep.Count(Changed) != 1 || !strings.HasPrefix(string(after), string(before[:strings.Index(string(before), "endpoints:")])) ||
		!strings.Contains(string(after), "# checked by hand: still answers (Ann)") {
		t.Fatalf("after a new commit: %s", summary(rep))
	}
	kb, err = loader.Load(root, loader.WithToday(today))
	if err != nil {
		t.Fatal(err)
	}
	p = kb.Provider("acme-example")
	if n := len(p.Endpoints); n != 6 {
		t.Errorf("%d endpoints after the new commit, want 6 (SMTP on 465 added)", n)
	}
	if n := len(p.Endpoint("imap-imap-acme-example-993-2").Verified); n != 2 {
		t.Errorf("the current IMAP has %d events after the new commit, want 2", n)
	}
}
