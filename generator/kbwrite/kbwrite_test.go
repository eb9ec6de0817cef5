package kbwrite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailkb/generator/kbtest"
	"mailkb/generator/model"
)

var today = model.Date{Y: 2025, M: 6, D: 1}

// provider is a provider file of domain whose IMAP server listens on
// port with security.
func provider(id, domain, port, security string) string {
	return "id: " + id + "\nname: " + id + "\nsummary: A test provider.\ndomains: [" + domain + "]\ndomain_sources: [s1]\n" +
		"endpoints:\n  - id: imap\n    protocol: imap\n    host: imap." + domain + "\n    port: " + port + "\n    security: " + security +
		"\n    auth: [password]\n    username: email-address\n    sources: [s1]\n"
}

func newKB(t *testing.T) string {
	t.Helper()
	return kbtest.Write(t, map[string]string{
		"data/site.yaml":    "title: Test\nbase_url: https://mailkb.example/\n",
		"data/sources.yaml": "sources:\n  - id: s1\n    title: Help\n    publisher: Example\n",
	})
}

func open(t *testing.T, root string, opts Options) *Session {
	t.Helper()
	opts.Today = today
	s, err := Open(context.Background(), root, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestWrite: a file is validated against the knowledge base before it is
// written, then written (to disk unless this is a dry run) and seen by the
// rest of the session.
func TestWrite(t *testing.T) {
	const rel = "data/providers/acme.yaml"
	data := []byte(provider("acme", "acme.example", "993", "tls"))
	for _, dryRun := range []bool{false, true} {
		root := newKB(t)
		s := open(t, root, Options{DryRun: dryRun})
		kb, err := s.Validate(rel, data)
		if err != nil {
			t.Fatal(err)
		}
		if kb.Provider("acme") == nil || s.KB().Provider("acme") != nil {
			t.Fatalf("dry run %v: validated, the provider is in the result (%v) and not yet in the session (%v)",
				dryRun, kb.Provider("acme") != nil, s.KB().Provider("acme") != nil)
		}
		if err := s.Write(rel, data, kb); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ReadFile(rel); err != nil || string(got) != string(data) || s.KB().Provider("acme") == nil {
			t.Errorf("dry run %v: the session does not see the file written: %q, %v", dryRun, got, err)
		}
		onDisk, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if dryRun != os.IsNotExist(err) || (!dryRun && string(onDisk) != string(data)) {
			t.Errorf("dry run %v: on disk %q, %v", dryRun, onDisk, err)
		}
		if err := s.CheckAll(); err != nil {
			t.Error(err)
		}
	}
}

// TestChecks: what the loader refuses, what ./build.sh check refuses in
// one file, and what only the files together break.
func TestChecks(t *testing.T) {
	s := open(t, newKB(t), Options{DryRun: true})
	if _, err := s.Validate("data/providers/bad.yaml", []byte("id: bad\nname: Bad\nsurprise: 1\n")); err == nil || !strings.Contains(err.Error(), "bad.yaml:") {
		t.Errorf("a file the loader refuses: error %v, want one naming the file", err)
	}

	const rel = "data/providers/odd.yaml"
	kb, err := s.Validate(rel, []byte(provider("odd", "odd.example", "993", "starttls")))
	if err != nil {
		t.Fatal(err)
	}
	findings := s.Errors(kb, rel)
	if len(findings) != 1 || findings[0].Rule != "port-security" || !strings.HasSuffix(findings[0].Pos.File, "odd.yaml") {
		t.Errorf("STARTTLS on port 993: findings %v, want one port-security error in odd.yaml", findings)
	}
	if got := s.Errors(kb, "data/providers/other.yaml"); len(got) != 0 {
		t.Errorf("findings of another file: %v", got)
	}

	// One domain in two files: each loads on its own, not both together.
	for _, id := range []string{"one", "two"} {
		rel := "data/providers/" + id + ".yaml"
		data := []byte(provider(id, "shared.example", "993", "tls"))
		kb, err := s.Validate(rel, data)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(rel, data, kb); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CheckAll(); err == nil || !strings.Contains(err.Error(), "load one by one but not together") {
		t.Errorf("CheckAll: %v, want the files refused together", err)
	}
}

// TestOpenRefusesBrokenKB: a knowledge base that does not load is refused,
// and the lock is let go.
func TestOpenRefusesBrokenKB(t *testing.T) {
	root := kbtest.WriteInto(t, newKB(t), map[string]string{"data/providers/bad.yaml": "id: bad\n"})
	_, err := Open(context.Background(), root, Options{Today: today})
	if err == nil || !strings.Contains(err.Error(), "the knowledge base has errors; fix them first") {
		t.Fatalf("error %v, want the knowledge base refused", err)
	}
	if err := os.Remove(filepath.Join(root, "data/providers/bad.yaml")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Open(ctx, root, Options{Today: today, Waiting: func() {
		t.Error("the refused Open kept the lock")
		cancel()
	}})
	if err == nil {
		s.Close()
	}
}
