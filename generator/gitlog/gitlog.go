// Package gitlog reads files' versions out of a git repository's history:
// for each file a layout names, what every commit that changed it left in
// it, oldest first.
package gitlog

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// Layout says which files of a repository's history are read, and under
// which names.
type Layout struct {
	// What names the repository in messages: "a git clone of …".
	What string
	// Name is the name of the file a path holds, or false for a path that
	// is not read. Paths with one name are one file, through moves and
	// renames.
	Name func(path string) (string, bool)
	// Paths are the paths a name may be at, the newest layout first: where
	// a commit has two, the first is the file.
	Paths func(name string) []string
}

// A File is one file through the repository's history: its versions, one
// for every commit that touched it, oldest first.
type File struct {
	Name     string // as Layout.Name gives it
	Versions []Version
}

// Version is the file as one commit left it.
type Version struct {
	Commit  string // full id
	Date    model.Date
	Subject string
	Path    string // the path that holds the file; "" when the commit removed it
	Data    []byte
	blob    string // the object id of the content
}

// Deleted reports whether the commit removed the file.
func (v Version) Deleted() bool { return v.Path == "" }

// Short is the commit id as people quote it.
func (v Version) Short() string { return v.Commit[:min(len(v.Commit), 7)] }

// Read reads the versions of every file the layout names from the git
// repository at repo: every commit of its current branch that changed
// one, merges aside (their changes are the commits they bring), dated as
// the author dated it, so a change is told with its own words, not a
// merge's. A file is followed by its name only, never by git's
// similarity-based rename detection, which stitches unrelated files with
// like content together.
func Read(ctx context.Context, repo string, l Layout) ([]*File, error) {
	out, err := git(ctx, repo, l, nil, "log", "--topo-order", "--reverse", "--no-merges", "--no-renames", "--raw", "--no-abbrev",
		"--date=short", "--format=%x00%H %ad %s")
	if err != nil {
		return nil, err
	}
	present := map[string]string{} // path → blob, as of the commit being read
	byName := map[string]*File{}
	var names []string
	var blobs []string // to read, in order
	for _, record := range strings.Split(string(out), "\x00")[1:] {
		header, raw, _ := strings.Cut(record, "\n")
		commit, rest, _ := strings.Cut(header, " ")
		day, subject, _ := strings.Cut(rest, " ")
		date, err := model.ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("commit %s has the date %q: %v", commit, day, err)
		}
		touched := map[string]bool{}
		for _, line := range strings.Split(raw, "\n") {
			meta, p, ok := strings.Cut(line, "\t")
			fields := strings.Fields(meta)
			if !ok || len(fields) < 5 {
				continue
			}
			name, read := l.Name(p)
			if !read {
				continue
			}
			if fields[4] == "D" {
				delete(present, p)
			} else {
				present[p] = fields[3]
			}
			touched[name] = true
		}
		touchedNames := make([]string, 0, len(touched))
		for name := range touched {
			touchedNames = append(touchedNames, name)
		}
		sort.Strings(touchedNames)
		for _, name := range touchedNames {
			f := byName[name]
			if f == nil {
				f = &File{Name: name}
				byName[name] = f
				names = append(names, name)
			}
			v := Version{Commit: commit, Date: date, Subject: subject}
			v.Path, v.blob = current(l.Paths(name), present)
			if v.blob != "" {
				blobs = append(blobs, v.blob)
			}
			f.Versions = append(f.Versions, v)
		}
	}
	contents, err := catBlobs(ctx, repo, l, blobs)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	files := make([]*File, len(names))
	for i, name := range names {
		f := byName[name]
		for j := range f.Versions {
			f.Versions[j].Data = contents[f.Versions[j].blob]
		}
		// Commits of a branch merged later can come after newer ones in
		// topological order; a history runs forward in time.
		sort.SliceStable(f.Versions, func(a, b int) bool { return f.Versions[a].Date.Before(f.Versions[b].Date) })
		files[i] = f
	}
	return files, nil
}

// current picks the path that holds a file among the present ones: the
// first of paths there.
func current(paths []string, present map[string]string) (string, string) {
	for _, p := range paths {
		if blob, ok := present[p]; ok {
			return p, blob
		}
	}
	return "", ""
}

// catBlobs reads the objects ids name, each once, in one git process.
func catBlobs(ctx context.Context, repo string, l Layout, ids []string) (map[string][]byte, error) {
	var in bytes.Buffer
	seen := map[string]bool{}
	var order []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			order = append(order, id)
			in.WriteString(id + "\n")
		}
	}
	out, err := git(ctx, repo, l, &in, "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(bytes.NewReader(out))
	contents := make(map[string][]byte, len(order))
	for _, id := range order {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("git cat-file: %v", err)
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[0] != id {
			return nil, fmt.Errorf("git cat-file: unexpected %q for %s", strings.TrimSpace(header), id)
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			return nil, fmt.Errorf("git cat-file: size %q", f[2])
		}
		data := make([]byte, n+1) // the content and its newline
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("git cat-file: %v", err)
		}
		contents[id] = data[:n]
	}
	return contents, nil
}

// git runs a git command in repo and returns its output; an error says
// what git said.
func git(ctx context.Context, repo string, l Layout, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", repo}, args...)...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return nil, fmt.Errorf("reading the history needs git, which is not installed")
	case errors.As(err, &exit):
		return nil, fmt.Errorf("%s is not %s (git %s: %s)", repo, l.What, args[0], strings.TrimSpace(stderr.String()))
	case err != nil:
		return nil, err
	}
	return out, nil
}
