package ispdb

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailkb/generator/kbtest"
	"mailkb/generator/yamledit"
)

// acme is a provider file the import edits: the ISPDB file acme.example.xml
// adds a domain and an SMTP server to it.
const acme = `# Acme, written by hand.
id: acme
name: Acme Mail
summary: A test provider.
domains: [acme.example]   # ours
domain_sources: [s1]

endpoints:
  - id: imap
    protocol: imap
    host: imap.acme.example
    port: 993
    security: tls
    auth: [password]
    username: email-address
    sources: [s1]
`

func acmeKB(t *testing.T, provider string) string {
	t.Helper()
	return kbtest.Write(t, map[string]string{
		"data/sources.yaml":        "sources:\n  - id: s1\n    title: Acme help\n    publisher: Acme\n",
		"data/providers/acme.yaml": provider,
	})
}

// An edit of a provider file with Windows line ends keeps them: the result
// is the result of the same import into the LF file, with every line
// ending in CRLF.
func TestImportKeepsCRLF(t *testing.T) {
	xml := writeFiles(t, map[string]string{"acme.example.xml": ispdbFile("acme.example", "acme.example", "acme.test")})
	results := map[string]string{}
	for _, ends := range []string{"\n", "\r\n"} {
		root := acmeKB(t, strings.ReplaceAll(acme, "\n", ends))
		rep := runImport(t, root, xml)
		if r := result(t, rep, "acme.example.xml"); r.Outcome != Changed {
			t.Fatalf("want acme changed:\n%s", summary(rep))
		}
		loadChecked(t, root)
		data, err := os.ReadFile(filepath.Join(root, "data/providers/acme.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		results[ends] = string(data)
	}
	lf, crlf := results["\n"], results["\r\n"]
	if !strings.Contains(lf, "acme.test") || !strings.Contains(lf, "smtp.acme.example") {
		t.Fatalf("the import did not add the domain and the server:\n%s", lf)
	}
	if want := strings.ReplaceAll(lf, "\n", "\r\n"); crlf != want {
		t.Errorf("the CRLF file became\n%q\nwant\n%q", crlf, want)
	}
}

// An import waits for another command that holds the knowledge base's
// lock, says so once, and then reads what that command left.
func TestImportWaitsForTheLock(t *testing.T) {
	root := acmeKB(t, acme)
	xml := writeFiles(t, map[string]string{"other.example.xml": ispdbFile("other.example", "other.example")})
	held, err := yamledit.Lock(context.Background(), root, nil)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{}, 2)
	done := make(chan error)
	go func() {
		_, err := Import(context.Background(), []string{filepath.Join(xml, "other.example.xml")},
			Options{Root: root, Today: today, Waiting: func() { waiting <- struct{}{} }})
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("the import ran while the lock was held: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the import neither waited nor ran")
	}
	created := filepath.Join(root, "data/providers/other-example.yaml")
	if _, err := os.Stat(created); err == nil {
		t.Fatal("the import wrote while another held the lock")
	}
	held.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(waiting) != 0 {
		t.Error("Waiting was called more than once")
	}
	if _, err := os.Stat(created); err != nil {
		t.Errorf("nothing written once the lock was free: %v", err)
	}
}

// A write that fails stops the run; the report does not call the file
// created, and the failed file leaves everything as it was.
func TestImportWriteFailure(t *testing.T) {
	root := acmeKB(t, acme)
	// A folder where the new provider file would go: the loader passes it
	// over, the write refuses to replace it.
	if err := os.Mkdir(filepath.Join(root, "data/providers/zz-example.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	xml := writeFiles(t, map[string]string{
		"aa.example.xml": ispdbFile("aa.example", "aa.example"),
		"zz.example.xml": ispdbFile("zz.example", "zz.example"),
	})
	files, err := Files([]string{xml})
	if err != nil {
		t.Fatal(err)
	}
	// The first file is imported on its own first, so that the snapshot
	// holds what the failing run may keep.
	runImport(t, root, filepath.Join(xml, "aa.example.xml"))
	before := allFiles(t, root)
	rep, err := Import(context.Background(), files, Options{Root: root, Today: today})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), "stopped at file 2 of 2") {
		t.Fatalf("error %v, want the refused write and where the run stopped", err)
	}
	r := result(t, rep, "zz.example.xml")
	if r.Outcome == Created || len(r.Changes) > 0 || !strings.Contains(r.Reason, "nothing of this file was written") {
		t.Errorf("the failed file is reported as %s %v: %s", r.Outcome, r.Changes, r.Reason)
	}
	if s := summary(rep); strings.Contains(s, "created 1 provider") || !strings.Contains(s, "zz.example.xml: ") {
		t.Errorf("the report claims a creation or hides the failure:\n%s", s)
	}
	if !maps.Equal(before, allFiles(t, root)) {
		t.Error("the failed run changed files")
	}
}

// allFiles maps each file under root to its content.
func allFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		out[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
