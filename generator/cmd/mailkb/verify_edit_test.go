package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/yamledit"
)

// A test binary started with MAILKB_RUN_COMMAND set is the mailkb command:
// the tests below start it as separate processes, as a maintainer's shell
// would, to show what happens when several run at once.
func init() {
	if os.Getenv("MAILKB_RUN_COMMAND") != "" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
}

// mailkbProcess is the mailkb command as a process of its own, run on the
// day the tests' knowledge bases are written for.
func mailkbProcess(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MAILKB_RUN_COMMAND=1", "SOURCE_DATE_EPOCH=1795564800") // 2026-11-25
	return cmd
}

const acmeProvider = `# Acme, written by hand.
id: acme
name: Acme Mail
summary: A test provider.
domains: [acme.example]
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

func acmeKB(t *testing.T) (root, file string) {
	t.Helper()
	root = kbtest.Write(t, map[string]string{
		"data/sources.yaml":        "sources:\n  - id: s1\n    title: Acme help\n    publisher: Acme\n",
		"data/providers/acme.yaml": acmeProvider,
	})
	return root, filepath.Join(root, "data/providers/acme.yaml")
}

// checkedBy lists who the imap endpoint's verifications are by.
func checkedBy(t *testing.T, root string) map[string]int {
	t.Helper()
	kb, err := loader.Load(root, loader.WithToday(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatalf("the knowledge base no longer loads: %v", err)
	}
	out := map[string]int{}
	for _, v := range kb.Provider("acme").Endpoint("imap").Verified {
		out[v.By]++
	}
	return out
}

// Several verify commands run at once each record their event: none is
// lost to another that read the file before it was written.
func TestVerifyProcessesAtOnce(t *testing.T) {
	root, _ := acmeKB(t)
	const n = 8
	cmds := make([]*exec.Cmd, n)
	stdouts, stderrs := make([]bytes.Buffer, n), make([]bytes.Buffer, n)
	for i := range cmds {
		cmds[i] = mailkbProcess("verify", "acme", "imap", "--root", root, "--method", "manual", "--by", fmt.Sprintf("Checker %d", i))
		cmds[i].Stdout, cmds[i].Stderr = &stdouts[i], &stderrs[i]
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	waited := 0
	for i, c := range cmds {
		err := c.Wait()
		if err != nil || !strings.HasPrefix(stdouts[i].String(), "recorded: acme imap") {
			t.Errorf("process %d: %v\n%s%s", i, err, &stdouts[i], &stderrs[i])
		}
		if strings.Contains(stderrs[i].String(), "waiting for another mailkb command") {
			waited++
		}
	}
	t.Logf("%d of %d processes waited for another", waited, n)
	got := checkedBy(t, root)
	for i := range n {
		if by := fmt.Sprintf("Checker %d", i); got[by] != 1 {
			t.Errorf("%s is recorded %d times, want once; the file has %v", by, got[by], got)
		}
	}
}

// A verify that finds the knowledge base locked says so once and waits;
// it reads the file only once the lock is free.
func TestVerifyWaitsForTheLock(t *testing.T) {
	root, file := acmeKB(t)
	held, err := yamledit.Lock(context.Background(), root, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	cmd := mailkbProcess("verify", "acme", "imap", "--root", root, "--method", "manual", "--by", "Ann")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	if !lines.Scan() || lines.Text() != "mailkb verify: waiting for another mailkb command writing data/ to finish" {
		t.Fatalf("stderr: %q, want the waiting line (%v)", lines.Text(), lines.Err())
	}
	// What another command writes while verify waits is what it edits.
	kbtest.Edit(t, file, "# Acme, written by hand.", "# Acme, written by hand, and edited meanwhile.")
	held.Release()
	var rest bytes.Buffer
	for lines.Scan() {
		rest.WriteString(lines.Text() + "\n")
	}
	if err := cmd.Wait(); err != nil || !strings.HasPrefix(stdout.String(), "recorded: ") || rest.Len() > 0 {
		t.Fatalf("verify: %v\n%s%s", err, stdout.String(), rest.String())
	}
	data, _ := os.ReadFile(file)
	if !strings.Contains(string(data), "edited meanwhile") || checkedBy(t, root)["Ann"] != 1 {
		t.Errorf("verify lost the other edit or its own:\n%s", data)
	}
}

// tree is every file under root with its bytes.
func tree(t *testing.T, root string) map[string]string {
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

// hasControl reports whether text holds a control character a terminal
// acts on.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, isControl) || !utf8.ValidString(s)
}

// Control characters in --by or --note are a usage error: nothing is
// written and nothing raw reaches the terminal.
func TestVerifyRefusesControlCharacters(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"escape in by", []string{"verify", "acme", "imap", "--method", "manual", "--by", "Ann\x1b[2J"}, "mailkb verify: --by: character 4 is the control character U+001B"},
		{"C1 in by", []string{"verify", "acme", "imap", "--method", "manual", "--by", "Ann\u009b2J"}, "mailkb verify: --by: character 4 is the control character U+009B"},
		{"line break in by", []string{"verify", "acme", "imap", "--method", "manual", "--by", "Ann\nBo"}, "mailkb verify: --by: character 4 is a line break"},
		{"carriage return in note", []string{"verify", "acme", "imap", "--method", "manual", "--by", "Ann", "--note", "fine\rforged"}, "mailkb verify: --note: character 5 is the control character U+000D"},
		{"DEL in note", []string{"verify", "acme", "imap", "--method", "manual", "--by", "Ann", "--note", "x\x7f"}, "mailkb verify: --note: character 2 is the control character U+007F"},
		{"bytes that are not UTF-8", []string{"verify", "acme", "imap", "--method", "manual", "--by", "Ann\xff"}, "mailkb verify: --by: byte 4 is not UTF-8 text"},
		{"probe --record --by", []string{"probe", "acme", "--record", "--by", "Ann\x1b]0;title\x07"}, "mailkb probe: --by: character 4 is the control character U+001B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, _ := acmeKB(t)
			before := tree(t, root)
			code, out, errs := mailkb(t, append(tt.args, "--root", root)...)
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, want 2 and %q in:\n%s", code, tt.want, errs)
			}
			if hasControl(out + errs) {
				t.Errorf("a control character reached the terminal: %q %q", out, errs)
			}
			after := tree(t, root)
			for name, data := range before {
				if after[name] != data {
					t.Errorf("%s changed", name)
				}
			}
			if len(after) != len(before) {
				t.Errorf("%d files before, %d after", len(before), len(after))
			}
		})
	}
	// A note over several lines is allowed: YAML keeps it.
	root, _ := acmeKB(t)
	code, out, errs := mailkb(t, "verify", "acme", "imap", "--root", root, "--method", "manual", "--by", "Ann", "--note", "two\nlines")
	if code != 0 || !strings.HasPrefix(out, "recorded: ") {
		t.Errorf("a note of two lines: exit %d\n%s%s", code, out, errs)
	}
}

// Text in the data that a maintainer wrote by hand, escape sequences and
// all, never reaches the terminal raw: it is refused with a message, or
// shown escaped.
func TestStalePrintsNoEscapes(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795564800") // 2026-11-25
	root, file := acmeKB(t)
	kbtest.Edit(t, file, "    sources: [s1]\n", "    sources: [s1]\n    verified:\n      - date: 2020-01-01\n        method: manual\n        by: \"\\e[31mMallory\\u009b0m\"\n")
	code, out, errs := mailkb(t, "stale", "--all", "--root", root)
	if hasControl(out + errs) {
		t.Errorf("a control character reached the terminal: %q %q", out, errs)
	}
	if code == 0 && !strings.Contains(out, `by \u001b[31mMallory\u009b0m)`) {
		t.Errorf("the name is not shown, escaped:\n%s", out)
	}
}

// A file name is printed as it is, except for its control characters.
func TestVerifyEscapesFileNames(t *testing.T) {
	root := kbtest.Write(t, map[string]string{
		"kb\x1b[31m/data/sources.yaml":        "sources:\n  - id: s1\n    title: Acme help\n    publisher: Acme\n",
		"kb\x1b[31m/data/providers/acme.yaml": acmeProvider,
	})
	root = filepath.Join(root, "kb\x1b[31m")
	code, out, errs := mailkb(t, "verify", "acme", "imap", "--root", root, "--method", "manual", "--by", "Ann")
	if code != 0 || hasControl(out+errs) || !strings.Contains(out, `kb\u001b[31m/data/providers/acme.yaml:`) {
		t.Errorf("exit %d, want 0 and the file name escaped:\n%q\n%q", code, out, errs)
	}
}

func TestTerminalSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, tabs\tand\nnewlines\n", "plain text, tabs\tand\nnewlines\n"},
		{"Zoë 山田 😀 U+FFFD \ufffd", "Zoë 山田 😀 U+FFFD \ufffd"},
		{"\x1b[31mred\x1b[0m", `\u001b[31mred\u001b[0m`},
		{"over\rwrite", `over\u000dwrite`},
		{"bell\x07 del\x7f nel\u0085 csi\u009b", `bell\u0007 del\u007f nel\u0085 csi\u009b`},
		{"cut \xe5\xb1 and \xff", `cut \xe5\xb1 and \xff`},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		n, err := terminalSafe(&b).Write([]byte(tt.in))
		if err != nil || n != len(tt.in) || b.String() != tt.want {
			t.Errorf("%q: wrote %q (%d, %v), want %q", tt.in, b.String(), n, err, tt.want)
		}
	}
	// JSON stays JSON, and says the same.
	value := "a\x7fb\u0085c\u009bd\x1b"
	doc, _ := json.Marshal(map[string]string{"v": value})
	var b bytes.Buffer
	terminalSafe(&b).Write(doc)
	var back map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back["v"] != value || hasControl(b.String()) {
		t.Errorf("JSON through the filter: %s → %q, %v", b.String(), back["v"], err)
	}
}
