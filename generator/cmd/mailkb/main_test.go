package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailkb/generator/kbtest"
)

func mailkb(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBuildAndCheckBundled(t *testing.T) {
	root := kbtest.CopyBundled(t)
	code, out, errs := mailkb(t, "build", "--root", root, "--today", "2026-11-25")
	if code != 0 || !strings.Contains(out, "built ") {
		t.Fatalf("build: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = mailkb(t, "check", "--root", root, "--today", "2026-11-25")
	if code != 0 || !strings.Contains(out, "0 errors") {
		t.Fatalf("check on the bundled KB: exit %d\n%s", code, out)
	}
}

func TestCheckBrokenCopies(t *testing.T) {
	tests := []struct {
		name, file, old, new, want string
	}{
		{"typo host", "data/providers/outlook-com.yaml", "host: outlook.office365.com", "host: outlook.office365.con",
			"host outlook.office365.con ends in .con, which is not a top-level domain; did you mean outlook.office365.com?"},
		{"port/security", "data/providers/microsoft-365.yaml", "port: 587", "port: 465", "SMTP on port 465 with STARTTLS"},
		{"hard-coded host", "content/guides/thunderbird.md", "\n\n", "\n\nUse smtp-mail.outlook.com here.\n\n", "smtp-mail.outlook.com is written into the text"},
		{"schema error", "data/providers/outlook-com.yaml", "status: retired", "status: retried", `"retried" is not a valid status; did you mean "retired"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := kbtest.CopyBundled(t)
			kbtest.Edit(t, filepath.Join(root, tt.file), tt.old, tt.new)
			code, out, _ := mailkb(t, "check", "--root", root, "--today", "2026-11-25")
			if code != 1 || !strings.Contains(out, tt.want) {
				t.Errorf("check: exit %d, want 1 and %q in:\n%s", code, tt.want, out)
			}
			code, _, errs := mailkb(t, "build", "--root", root, "--today", "2026-11-25")
			if code != 1 || !strings.Contains(errs, tt.want) {
				t.Errorf("build: exit %d, want 1 and %q in:\n%s", code, tt.want, errs)
			}
			if _, err := os.Stat(filepath.Join(root, "public")); !os.IsNotExist(err) {
				t.Errorf("a failed build created public/")
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	root := kbtest.CopyBundled(t)
	kbtest.Edit(t, filepath.Join(root, "data/providers/outlook-com.yaml"), "host: outlook.office365.com", "host: outlook.office365.con")
	code, out, _ := mailkb(t, "check", "--root", root, "--json", "--today", "2026-11-25")
	if code != 1 || !strings.Contains(out, `"rule": "host-typo"`) || !strings.Contains(out, `"severity": "error"`) {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestVerifyAndStale(t *testing.T) {
	root := kbtest.CopyBundled(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1795564800") // 2026-11-25
	file := filepath.Join(root, "data/providers/outlook-com.yaml")
	before, _ := os.ReadFile(file)

	code, out, _ := mailkb(t, "stale", "--root", root)
	if code != 0 || !strings.Contains(out, "./build.sh verify outlook-com smtp-mail-outlook-com-oauth2") {
		t.Fatalf("stale: exit %d\n%s", code, out)
	}
	code, out, errs := mailkb(t, "verify", "outlook-com", "smtp", "--root", root, "--method", "manual", "--by", "Ann", "--note", "Thunderbird, OAuth2")
	if code != 0 || !strings.Contains(out, "recorded: outlook-com smtp-mail-outlook-com-oauth2") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	after, _ := os.ReadFile(file)
	if !strings.Contains(string(after), "      - date: 2026-11-25\n        method: manual\n        by: Ann\n        note: Thunderbird, OAuth2\n") {
		t.Errorf("verification not written")
	}
	// Everything that was there is still there, comments included.
	for _, line := range strings.Split(string(before), "\n") {
		if !strings.Contains(string(after), line) {
			t.Errorf("line lost: %q", line)
		}
	}
	code, out, _ = mailkb(t, "stale", "--root", root)
	if code != 0 || strings.Contains(out, "smtp-mail-outlook-com-oauth2") {
		t.Errorf("stale still lists the value just verified:\n%s", out)
	}
	for _, bad := range [][]string{
		{"verify", "outlook-com", "smtp", "--root", root, "--method", "manual", "--by", "Ann", "--date", "2026-12-01"},
		{"verify", "outlook-com", "imap-nope", "--root", root, "--method", "manual", "--by", "Ann"},
		{"verify", "outlook-com", "smtp", "--root", root, "--method", "guess", "--by", "Ann"},
	} {
		before, _ := os.ReadFile(file)
		if code, _, _ := mailkb(t, bad...); code == 0 {
			t.Errorf("%v succeeded", bad)
		}
		if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
			t.Errorf("%v changed the file", bad)
		}
	}
}
