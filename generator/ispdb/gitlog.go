package ispdb

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// A fileHistory is one ISPDB entry through the repository's history: its
// versions, one for every commit that touched it, oldest first. An entry
// is followed by its name only — X, ispdb/X and ispdb/X.xml are one entry
// (the database moved and renamed its files in 2019 and 2022) — never by
// git's similarity-based rename detection, which stitches unrelated
// providers' files together.
type fileHistory struct {
	name     string // the entry's name: the file name without folder or .xml
	versions []version
}

// version is the entry as one commit left it.
type version struct {
	commit  string // full id
	date    model.Date
	subject string
	path    string // the file that holds the entry; "" when the commit removed it
	blob    string // that file's object id
	data    []byte
}

// deleted reports whether the commit removed the entry.
func (v version) deleted() bool { return v.path == "" }

// short is the commit id as people quote it.
func (v version) short() string { return v.commit[:min(len(v.commit), 7)] }

// readHistory reads every ISPDB entry's versions from the git repository
// at repo (a clone of thunderbird/autoconfig): every commit of its current
// branch that changed the entry, merges aside (their changes are the
// commits they bring), dated as the author dated it, so a change is told
// with its own words ("New/recommended settings from Microsoft"), not a
// merge's. Files outside the database (README, tools/) and names that no
// domain look-up reaches (a space in "gmail.com pop") are not entries.
func readHistory(ctx context.Context, repo string) ([]*fileHistory, error) {
	out, err := git(ctx, repo, nil, "log", "--topo-order", "--reverse", "--no-merges", "--no-renames", "--raw", "--no-abbrev",
		"--date=short", "--format=%x00%H %ad %s")
	if err != nil {
		return nil, err
	}
	present := map[string]string{} // path → blob, as of the commit being read
	byName := map[string]*fileHistory{}
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
			name, entry := entryName(p)
			if !entry {
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
			h := byName[name]
			if h == nil {
				h = &fileHistory{name: name}
				byName[name] = h
				names = append(names, name)
			}
			v := version{commit: commit, date: date, subject: subject}
			v.path, v.blob = current(name, present)
			if v.blob != "" {
				blobs = append(blobs, v.blob)
			}
			h.versions = append(h.versions, v)
		}
	}
	contents, err := catBlobs(ctx, repo, blobs)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	hs := make([]*fileHistory, len(names))
	for i, name := range names {
		h := byName[name]
		for j := range h.versions {
			h.versions[j].data = contents[h.versions[j].blob]
		}
		// Commits of a branch merged later can come after newer ones in
		// topological order; a history runs forward in time.
		sort.SliceStable(h.versions, func(a, b int) bool { return h.versions[a].date.Before(h.versions[b].date) })
		hs[i] = h
	}
	return hs, nil
}

// entryName is the entry a path of the repository holds: X at the top
// (before 2019), ispdb/X or ispdb/X.xml after.
func entryName(p string) (string, bool) {
	dir, file := path.Split(p)
	if dir != "" && dir != "ispdb/" {
		return "", false
	}
	name := strings.TrimSuffix(file, ".xml")
	// At the top, before the move into ispdb/, the entries shared the
	// folder with README and the like: an entry is named like a domain.
	if name == "" || strings.HasPrefix(name, ".") || strings.ContainsAny(name, " \t") ||
		(dir == "" && !strings.Contains(name, ".")) || strings.HasSuffix(strings.ToLower(file), ".md") {
		return "", false
	}
	return name, true
}

// current picks the file that holds entry name among the present paths:
// the newest layout wins where a commit briefly has two.
func current(name string, present map[string]string) (string, string) {
	for _, p := range []string{"ispdb/" + name + ".xml", "ispdb/" + name, name + ".xml", name} {
		if blob, ok := present[p]; ok {
			return p, blob
		}
	}
	return "", ""
}

// catBlobs reads the objects ids name, each once, in one git process.
func catBlobs(ctx context.Context, repo string, ids []string) (map[string][]byte, error) {
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
	out, err := git(ctx, repo, &in, "cat-file", "--batch")
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
func git(ctx context.Context, repo string, stdin io.Reader, args ...string) ([]byte, error) {
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
		return nil, fmt.Errorf("%s is not a git clone of the ISP database (git %s: %s)", repo, args[0], strings.TrimSpace(stderr.String()))
	case err != nil:
		return nil, err
	}
	return out, nil
}
