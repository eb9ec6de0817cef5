package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tree records every entry under root without following links or opening
// anything that is not a regular file: what a build must leave as it was.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		// A folder is compared by what it holds, entry by entry, not by its
		// time: a build's working folder beside public/ comes and goes in
		// the project folder, and a refused first build removes it again.
		entry := fmt.Sprintf("%v", info.Mode())
		if !info.IsDir() {
			entry += fmt.Sprintf(" %v", info.ModTime().UnixNano())
		}
		switch {
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			entry += " " + string(data)
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			entry += " → " + target
		}
		out[p] = entry
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// buildRefused builds root into root/public and checks that the build
// fails with exactly want (ROOT standing for root), within a time no
// hang could meet, without creating public/ or changing anything else.
func buildRefused(t *testing.T, root, want string) {
	t.Helper()
	before := tree(t, root)
	out := filepath.Join(root, "public")
	done := make(chan error, 1)
	go func() {
		_, err := Build(Options{Root: root, Out: out, Now: buildDay})
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the build hangs")
	}
	want = strings.ReplaceAll(want, "ROOT", root)
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		t.Errorf("public/ was created: %v", err)
	}
	after := tree(t, root)
	var changed []string
	for p, entry := range before {
		if after[p] != entry {
			changed = append(changed, p+" changed")
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			changed = append(changed, p+" appeared")
		}
	}
	if len(changed) > 0 {
		sort.Strings(changed)
		t.Errorf("%d entries changed, first: %s", len(changed), changed[0])
	}
}

func symlinkOrSkip(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

// TestBuildRefusesUnsafeInputs: files the build must not read — that
// would hang it, exhaust its memory or publish what lies outside the
// project — fail it with an error that names them.
func TestBuildRefusesUnsafeInputs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("FIFOs, devices and symbolic links are Unix cases")
	}
	outsideFile := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(outsideFile, []byte("root:x:0:0"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, root string)
		want  string
	}{
		{"FIFO among the providers", func(t *testing.T, root string) {
			if err := syscall.Mkfifo(filepath.Join(root, "data/providers/x.yaml"), 0o644); err != nil {
				t.Skipf("no FIFOs here: %v", err)
			}
		}, "ROOT/data/providers/x.yaml: cannot read: it is a named pipe (FIFO), not a regular file; mailkb reads only regular files — remove it or put a file in its place"},
		{"link to /dev/zero", func(t *testing.T, root string) {
			symlinkOrSkip(t, "/dev/zero", filepath.Join(root, "data/providers/z.yaml"))
		}, "ROOT/data/providers/z.yaml: cannot read: it is a link to /dev/zero, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"},
		{"link out of the project in templates/static", func(t *testing.T, root string) {
			symlinkOrSkip(t, outsideFile, filepath.Join(root, "templates/static/passwd.txt"))
		}, "ROOT/templates/static/passwd.txt: cannot read: it is a link to " + outsideFile + ", outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"},
		{"link out of the project in content", func(t *testing.T, root string) {
			symlinkOrSkip(t, outsideFile, filepath.Join(root, "content/articles/passwd.md"))
		}, "ROOT/content/articles/passwd.md: cannot read: it is a link to " + outsideFile + ", outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"},
		{"link out of the project in templates", func(t *testing.T, root string) {
			symlinkOrSkip(t, outsideFile, filepath.Join(root, "templates/partials/x.html"))
		}, "ROOT/templates/partials/x.html: cannot read: it is a link to " + outsideFile + ", outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"},
		{"over-size provider", func(t *testing.T, root string) {
			p := filepath.Join(root, "data/providers/big.yaml")
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, 40<<20); err != nil {
				t.Fatal(err)
			}
		}, "ROOT/data/providers/big.yaml: cannot read: it is 40.0 MiB, more than the 32 MiB an input file may hold; split it into smaller files or remove it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeKB(t, smallKB())
			tt.setup(t, root)
			buildRefused(t, root, tt.want)
		})
	}
}

// TestBuildIgnoresEditorFiles: an editor's lock file (Emacs's .#x.yaml is
// a link to nothing), backups and swap files do not break or change a
// build, and a link that stays inside the project is read.
func TestBuildIgnoresEditorFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links are a Unix case here")
	}
	kb := smallKB()
	clean, err := Render(Options{Root: writeKB(t, kb), Now: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	kb["data/providers/acme.yaml~"] = "broken: [\n"
	kb["content/guides/#mailer.md#"] = "broken"
	kb["templates/static/.site.css.swp"] = "swap"
	kb["templates/partials/.#x.html"] = "{{ broken"
	root := writeKB(t, kb)
	symlinkOrSkip(t, "user@host.4242:1700000000", filepath.Join(root, "data/providers/.#acme.yaml"))
	symlinkOrSkip(t, "user@host.4242:1700000000", filepath.Join(root, "content/guides/.#mailer.md"))
	if err := os.Rename(filepath.Join(root, "content/guides/mailer.md"), filepath.Join(root, "mailer-guide.md")); err != nil {
		t.Fatal(err)
	}
	symlinkOrSkip(t, "../../mailer-guide.md", filepath.Join(root, "content/guides/mailer.md"))
	files, err := Render(Options{Root: root, Now: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(clean) {
		t.Errorf("%d files, %d without the editor's files", len(files), len(clean))
	}
	for name, data := range clean {
		if string(files[name]) != string(data) {
			t.Errorf("%s differs", name)
		}
	}
}

// TestBuildRefusesHostileContent: each mistake fails the build with its
// exact place and message, and leaves the tree as it was.
func TestBuildRefusesHostileContent(t *testing.T) {
	guide := "---\ntitle: T\nclient: mailer\n---\n"
	tests := []struct {
		name       string
		file, body string // written over smallKB's file, or added
		old        string // when set, body replaces old in the file
		want       string
	}{
		{"second YAML document", "data/clients/mailer.yaml", "", "", ""},
		{"url with one argument too many", "content/guides/mailer.md", guide + "See {{< url provider nosuch >}}.\n", "",
			`ROOT/content/guides/mailer.md:5:5: {{< url >}}: {{< url provider >}} takes nothing after provider, found "nosuch"; write {{< url provider >}}, {{< url host >}}, {{< url host smtp >}}, {{< url client >}}, {{< url history >}} or {{< url sources >}}`},
		{"host with an unknown named argument", "content/guides/mailer.md", guide + "Use {{< host imap bogus=\"x\" >}}.\n", "",
			`ROOT/content/guides/mailer.md:5:5: {{< host >}}: takes no argument bogus=; write {{< host >}} or {{< host smtp >}}`},
		{"provider with an argument", "content/guides/mailer.md", guide + "{{< provider acme >}}\n", "",
			`ROOT/content/guides/mailer.md:5:1: {{< provider >}}: takes no positional argument, found "acme"; write {{< provider >}}`},
		{"fact without an id", "content/guides/mailer.md", guide + "{{< fact >}}\n", "",
			`ROOT/content/guides/mailer.md:5:1: {{< fact >}}: needs an argument; write {{< fact id >}}`},
		{"ui with two keys", "content/guides/mailer.md", guide + "{{< ui add_account other >}}\n", "",
			`ROOT/content/guides/mailer.md:5:1: {{< ui >}}: takes at most 1 argument(s), found 2 ("other" is one too many); write {{< ui key >}}`},
		{"if with a condition twice", "content/guides/mailer.md", guide + "{{< if protocol=\"imap\" protocol=\"pop3\" >}}x{{< /if >}}\n", "",
			`ROOT/content/guides/mailer.md:5:1: {{< if >}}: protocol= is given twice; give it once: {{< if protocol="pop3" >}}…{{< /if >}}, or with client="…", provider="…" (several: "a, b") or accepts="password" (or another sign-in method)`},
		{"guide for client ..", "content/guides/mailer.md", "---\ntitle: T\nclient: ..\n---\n", "",
			`ROOT/content/guides/mailer.md:3:9: client: ".." is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme-mail"`},
		{"article with an upper-case name", "content/articles/Why.md", "---\ntitle: Why\n---\nText.\n", "",
			`ROOT/content/articles/Why.md:1:1: the file name "Why.md" cannot be part of a URL; a content file's name becomes its URL: lower-case letters a–z, digits and single hyphens, at most 64 characters before .md — rename it to why.md`},
		{"article with a space", "content/articles/my article.md", "---\ntitle: Mine\n---\nText.\n", "",
			`ROOT/content/articles/my article.md:1:1: the file name "my article.md" cannot be part of a URL; a content file's name becomes its URL: lower-case letters a–z, digits and single hyphens, at most 64 characters before .md — rename it to my-article.md`},
		{"ESC in a guide", "content/guides/mailer.md", guide + "Red \x1b[31mtext\n", "",
			`ROOT/content/guides/mailer.md:5:5: the control character U+001B (ESC) has no place in a text file; remove it`},
		{"escaped ESC in a provider's name", "data/providers/acme.yaml", `name: "Acme \e[31mMail"`, "name: Acme Mail",
			`ROOT/data/providers/acme.yaml:2:7: "name" holds the control character U+001B (ESC); remove it (only tabs and line breaks may be written in a value)`},
		{"port not a number", "data/providers/acme.yaml", "port: abc", "port: 993",
			`ROOT/data/providers/acme.yaml:10:11: "port" must be a whole number, found "abc"`},
		{"base_url with a password", "data/site.yaml", "title: Test KB\nbase_url: https://me:pw@kb.example/sub/\n", "",
			`ROOT/data/site.yaml:2:11: base_url "https://me:pw@kb.example/sub/" holds a user name or password (user:password@); remove it — every page would publish it`},
		{"article named like a page mailkb makes", "content/providers.md", "---\ntitle: P\n---\nText.\n", "",
			`ROOT/content/providers.md:1:1: its page /sub/providers/ is one mailkb makes itself; rename the file (a content file's name is its URL)`},
		{"static file where a page goes", "templates/static/history/index.html", "<p>mine</p>\n", "",
			`ROOT/templates/static/history/index.html: the site makes history/index.html itself; rename or move this file`},
		{"provider id too long", "data/providers/acme.yaml", "id: " + strings.Repeat("a", 245), "id: acme",
			`ROOT/data/providers/acme.yaml:1:5: "` + strings.Repeat("a", 40) + `…" is 245 characters long; an id has at most 64 — shorten it`},
	}
	tests[0].body = smallKB()["data/clients/mailer.yaml"] + "---\nid: other\n"
	tests[0].want = "ROOT/data/clients/mailer.yaml:12:1: a data file holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb := smallKB()
			if tt.old != "" {
				if !strings.Contains(kb[tt.file], tt.old) {
					t.Fatalf("test is stale: %q not in %s", tt.old, tt.file)
				}
				kb[tt.file] = strings.Replace(kb[tt.file], tt.old, tt.body, 1)
			} else {
				kb[tt.file] = tt.body
			}
			buildRefused(t, writeKB(t, kb), tt.want)
		})
	}
}

// TestBuildRefusesASecondClaimToADomain: the loader, not the exporter,
// reports a domain two providers list, at the second claim.
func TestBuildRefusesASecondClaimToADomain(t *testing.T) {
	kb := smallKB()
	kb["data/providers/zed.yaml"] = strings.NewReplacer("id: acme", "id: zed", "name: Acme Mail", "name: Zed",
		"domains: [acme.example]", "domains: [acme.example]").Replace(kb["data/providers/acme.yaml"])
	buildRefused(t, writeKB(t, kb), `ROOT/data/providers/zed.yaml:4:11: domain "acme.example" is already claimed by provider "acme" at ROOT/data/providers/acme.yaml:4:11 for the same time; a mail domain belongs to one provider — remove it from one of them, or give each claim its period (from/until)`)
}
