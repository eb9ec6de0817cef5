package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"mailkb/generator/kbtest"
)

func mailkb(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// pinToday sets the commands' "today" (SOURCE_DATE_EPOCH) to the day
// kbtest.Day gives for root, the real day, for the whole test: the test
// and the commands it runs then agree on the day, even across midnight.
func pinToday(t *testing.T, root string) time.Time {
	t.Helper()
	day := kbtest.Day(t, root)
	t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(day.Unix(), 10))
	return day
}

// bundledWithProvider is a copy of the bundled knowledge base to which a
// provider has been added, as a maintainer adds one: tests break and check
// that provider, whose every value they know, inside real data.
func bundledWithProvider(t *testing.T) (string, kbtest.Added) {
	t.Helper()
	root := kbtest.CopyBundled(t)
	return root, kbtest.AddProvider(t, root)
}

func TestBuildAndCheckBundled(t *testing.T) {
	root := kbtest.CopyBundled(t)
	pinToday(t, root)
	code, out, errs := mailkb(t, "build", "--root", root)
	if code != 0 || !strings.Contains(out, "built ") {
		t.Fatalf("build: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = mailkb(t, "check", "--root", root)
	if code != 0 || !strings.Contains(out, "0 errors") {
		t.Fatalf("check on the bundled KB: exit %d\n%s", code, out)
	}
}

// TestMaintainersDay is what a maintainer does on any day: add a provider,
// record checks dated today without saying the date, and build. Nothing
// of it may make build or check fail.
func TestMaintainersDay(t *testing.T) {
	root, added := bundledWithProvider(t)
	pinToday(t, root)
	for _, target := range []string{"imap", added.SMTP + ":587"} {
		code, out, errs := mailkb(t, "verify", added.ID, target, "--root", root, "--method", "manual", "--by", "A maintainer")
		if code != 0 || !strings.HasPrefix(out, "recorded: "+added.ID) {
			t.Fatalf("verify %s: exit %d\n%s%s", target, code, out, errs)
		}
	}
	code, out, errs := mailkb(t, "build", "--root", root)
	if code != 0 || !strings.Contains(out, "built ") {
		t.Fatalf("build: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(root, "public", "providers", added.ID, "index.html")); err != nil {
		t.Errorf("the added provider has no page: %v", err)
	}
	code, out, _ = mailkb(t, "check", "--root", root)
	if code != 0 || !strings.Contains(out, "0 errors") {
		t.Fatalf("check: exit %d\n%s", code, out)
	}
}

// firstGuide is the first guide source of the knowledge base at root.
func firstGuide(t *testing.T, root string) string {
	t.Helper()
	guides, _ := filepath.Glob(filepath.Join(root, "content", "guides", "*.md"))
	if len(guides) == 0 {
		t.Fatal("the bundled knowledge base has no guide")
	}
	sort.Strings(guides)
	return guides[0]
}

func TestCheckBrokenCopies(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, root string, a kbtest.Added)
		want  func(a kbtest.Added) string
	}{
		{"typo host", func(t *testing.T, root string, a kbtest.Added) {
			kbtest.Edit(t, a.File, "host: "+a.IMAP, "host: "+strings.TrimSuffix(a.IMAP, "e"))
		}, func(a kbtest.Added) string {
			return "host " + strings.TrimSuffix(a.IMAP, "e") + " ends in .exampl, which is not a top-level domain; did you mean " + a.IMAP + "?"
		}},
		{"port/security", func(t *testing.T, root string, a kbtest.Added) {
			kbtest.Edit(t, a.File, "port: 587", "port: 465")
		}, func(kbtest.Added) string { return "SMTP on port 465 with STARTTLS" }},
		{"hard-coded host", func(t *testing.T, root string, a kbtest.Added) {
			guide := firstGuide(t, root)
			data, err := os.ReadFile(guide)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(guide, append(data, "\nUse "+a.SMTP+" here.\n"...), 0o644); err != nil {
				t.Fatal(err)
			}
		}, func(a kbtest.Added) string { return a.SMTP + " is written into the text" }},
		{"schema error", func(t *testing.T, root string, a kbtest.Added) {
			kbtest.Edit(t, a.File, "status: retired", "status: retried")
		}, func(kbtest.Added) string { return `"retried" is not a valid status; did you mean "retired"?` }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, added := bundledWithProvider(t)
			pinToday(t, root)
			tt.spoil(t, root, added)
			want := tt.want(added)
			code, out, _ := mailkb(t, "check", "--root", root)
			if code != 1 || !strings.Contains(out, want) {
				t.Errorf("check: exit %d, want 1 and %q in:\n%s", code, want, out)
			}
			code, _, errs := mailkb(t, "build", "--root", root)
			if code != 1 || !strings.Contains(errs, want) {
				t.Errorf("build: exit %d, want 1 and %q in:\n%s", code, want, errs)
			}
			if _, err := os.Stat(filepath.Join(root, "public")); !os.IsNotExist(err) {
				t.Errorf("a failed build created public/")
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	root, added := bundledWithProvider(t)
	pinToday(t, root)
	kbtest.Edit(t, added.File, "host: "+added.IMAP, "host: "+added.IMAP+"x")
	code, out, _ := mailkb(t, "check", "--root", root, "--json")
	if code != 1 || !strings.Contains(out, `"rule": "host-typo"`) || !strings.Contains(out, `"severity": "error"`) {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestVerifyAndStale(t *testing.T) {
	root, added := bundledWithProvider(t)
	day := pinToday(t, root)
	before, _ := os.ReadFile(added.File)
	stale := "./build.sh verify " + added.ID + " smtp "

	code, out, _ := mailkb(t, "stale", "--root", root)
	if code != 0 || !strings.Contains(out, stale) {
		t.Fatalf("stale: exit %d, want %q in:\n%s", code, stale, out)
	}
	code, out, errs := mailkb(t, "verify", added.ID, "smtp", "--root", root, "--method", "manual", "--by", "Ann", "--note", "Thunderbird, OAuth2")
	if code != 0 || !strings.Contains(out, "recorded: "+added.ID+" smtp ") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	after, _ := os.ReadFile(added.File)
	if want := "    verified:\n      - date: " + day.Format(time.DateOnly) + "\n        method: manual\n        by: Ann\n        note: Thunderbird, OAuth2\n"; !strings.Contains(string(after), want) {
		t.Errorf("verification not written as\n%s\nin:\n%s", want, after)
	}
	// Everything that was there is still there, comments included.
	for _, line := range strings.Split(string(before), "\n") {
		if !strings.Contains(string(after), line) {
			t.Errorf("line lost: %q", line)
		}
	}
	code, out, _ = mailkb(t, "stale", "--root", root)
	if code != 0 || strings.Contains(out, stale) {
		t.Errorf("stale still lists the value just verified:\n%s", out)
	}
	for _, bad := range [][]string{
		{"verify", added.ID, "smtp", "--root", root, "--method", "manual", "--by", "Ann", "--date", day.AddDate(0, 0, 1).Format(time.DateOnly)},
		{"verify", added.ID, "imap-nope", "--root", root, "--method", "manual", "--by", "Ann"},
		{"verify", added.ID, "smtp", "--root", root, "--method", "guess", "--by", "Ann"},
	} {
		before, _ := os.ReadFile(added.File)
		if code, _, _ := mailkb(t, bad...); code == 0 {
			t.Errorf("%v succeeded", bad)
		}
		if after, _ := os.ReadFile(added.File); !bytes.Equal(before, after) {
			t.Errorf("%v changed the file", bad)
		}
	}
}
