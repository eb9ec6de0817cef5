package gitlog

import (
	"context"
	"fmt"
	"os/exec"
	"path"
	"strings"
	"testing"
	"time"
)

// mail is a layout of one folder: mail/X and mail/X.txt are the file X.
var mail = Layout{
	What: "a test repository",
	Name: func(p string) (string, bool) {
		dir, file := path.Split(p)
		return strings.TrimSuffix(file, ".txt"), dir == "mail/"
	},
	Paths: func(name string) []string { return []string{"mail/" + name + ".txt", "mail/" + name} },
}

// commit is one commit of a test repository.
type commit struct {
	mark, from, merge int // the commit's number, its parent's and a merged one's (0: none)
	branch            string
	day, subject      string
	files             map[string]string // path → content; "" removes the file
}

// fastImport writes a repository with the commits, in one git process:
// git fast-import sets each commit's date and parents as given.
func fastImport(t *testing.T, commits []commit) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed; gitlog reads a git repository")
	}
	dir := t.TempDir()
	var in strings.Builder
	data := func(s string) { fmt.Fprintf(&in, "data %d\n%s\n", len(s), s) }
	for _, c := range commits {
		day, err := time.Parse(time.DateOnly, c.day)
		if err != nil {
			t.Fatal(err)
		}
		who := fmt.Sprintf("Test <test@example.org> %d +0000", day.Add(12*time.Hour).Unix())
		fmt.Fprintf(&in, "commit refs/heads/%s\nmark :%d\nauthor %s\ncommitter %s\n", c.branch, c.mark, who, who)
		data(c.subject)
		if c.from > 0 {
			fmt.Fprintf(&in, "from :%d\n", c.from)
		}
		if c.merge > 0 {
			fmt.Fprintf(&in, "merge :%d\n", c.merge)
		}
		for p, content := range c.files {
			if content == "" {
				fmt.Fprintf(&in, "D %s\n", p)
				continue
			}
			fmt.Fprintf(&in, "M 100644 inline %s\n", p)
			data(content)
		}
	}
	for _, args := range [][]string{{"init", "-q", "-b", "master"}, {"fast-import", "--quiet"}} {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		if args[0] == "fast-import" {
			cmd.Stdin = strings.NewReader(in.String())
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", args[0], err, out)
		}
	}
	return dir
}

// TestRead reads a history with a branch merged, a move and a removal:
// each file's versions are the commits that changed it, the merge aside,
// in the order of their dates, with what each left in the file.
func TestRead(t *testing.T) {
	repo := fastImport(t, []commit{
		{mark: 1, branch: "master", day: "2020-01-01", subject: "Add a", files: map[string]string{"mail/a": "a1", "README": "not a file of the layout"}},
		{mark: 2, branch: "side", from: 1, day: "2020-02-01", subject: "Change a on a branch", files: map[string]string{"mail/a": "a2"}},
		{mark: 3, branch: "master", from: 1, day: "2020-03-01", subject: "Add b", files: map[string]string{"mail/b.txt": "b1", "other/c": "another folder"}},
		{mark: 4, branch: "master", from: 3, merge: 2, day: "2020-04-01", subject: "Merge side", files: map[string]string{"mail/a": "a2"}},
		{mark: 5, branch: "master", from: 4, day: "2020-05-01", subject: "Name a a.txt", files: map[string]string{"mail/a": "", "mail/a.txt": "a2"}},
		{mark: 6, branch: "master", from: 5, day: "2020-06-01", subject: "Remove b", files: map[string]string{"mail/b.txt": ""}},
	})
	files, err := Read(context.Background(), repo, mail)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		for _, v := range f.Versions {
			state := fmt.Sprintf("%s %q", v.Path, v.Data)
			if v.Deleted() {
				state = "removed"
			}
			if len(v.Commit) != 40 || v.Short() != v.Commit[:7] {
				t.Errorf("commit %q, short %q", v.Commit, v.Short())
			}
			got = append(got, fmt.Sprintf("%s %s %s: %s", f.Name, v.Date, v.Subject, state))
		}
	}
	want := []string{
		`a 2020-01-01 Add a: mail/a "a1"`,
		`a 2020-02-01 Change a on a branch: mail/a "a2"`,
		`a 2020-05-01 Name a a.txt: mail/a.txt "a2"`,
		`b 2020-03-01 Add b: mail/b.txt "b1"`,
		`b 2020-06-01 Remove b: removed`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("versions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestReadNoRepository: a folder that is no git repository is refused,
// in the layout's words.
func TestReadNoRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed; gitlog reads a git repository")
	}
	dir := t.TempDir()
	_, err := Read(context.Background(), dir, mail)
	if err == nil || !strings.Contains(err.Error(), dir+" is not a test repository (git log: ") {
		t.Errorf("error %v; want one saying %s is not a test repository, with what git said", err, dir)
	}
}
