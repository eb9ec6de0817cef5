// Package publish puts a built site into its output folder as one
// transaction. At every instant — and after mailkb is killed at any
// instant — the folder holds the complete old site or the complete new
// one, never a mix: the new site is written into a spare folder beside the
// output, and the two are exchanged in one rename (renameat2
// RENAME_EXCHANGE on Linux). The spare then holds the old site, and the
// next publish brings it up to date by writing only what changed, so
// rebuilds stay cheap.
//
// mailkb removes and replaces only what it wrote itself. The output folder
// lists its files in a manifest (.mailkb-manifest); a folder with files
// the manifest does not list is refused, as are a non-empty folder mailkb
// did not make, the file system root, the home folder, the knowledge base
// and any folder that holds it or lies inside its sources. A lock on the
// working folder beside the output makes a second publisher wait.
package publish

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"mailkb/generator/parallel"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Options says what a Target needs besides its folder.
type Options struct {
	// Project is the knowledge base folder (holding data/). The output may
	// not be it, a folder that holds it, or a folder inside its sources.
	Project string
	// Waiting is called once when another process is publishing to the
	// same folder, before this one waits for it.
	Waiting func(out string)
	// Repeated says the Target will publish again and again (a dev
	// server): it keeps each file's bytes, to know an unchanged file by
	// them the next time without hashing it. A one-off build leaves it
	// off and keeps nothing.
	Repeated bool
}

// Stats counts what a publish did.
type Stats struct {
	Written, Removed, Unchanged int
	// Notes say what a publish found and dealt with (leftovers of an
	// interrupted run that were not mailkb's, moved aside).
	Notes []string
}

// Target is one output folder. It remembers what it published, so a
// session that publishes again and again compares pages in memory.
type Target struct {
	out   string // as given, for messages
	dir   string // the real folder: out with links followed
	state string // mailkb's working folder beside dir
	opts  Options
	live  *generation // what dir holds, when known
	spare *generation // what the spare folder holds, when known
}

// Publish makes out hold exactly files, as one transaction.
func Publish(out string, files map[string][]byte, opts Options) (Stats, error) {
	t, err := Open(out, opts)
	if err != nil {
		return Stats{}, err
	}
	return t.Publish(files)
}

// Open checks that out may be published to and resolves it; it writes
// nothing. A symbolic link is followed: the site goes into the folder it
// names, and the link stays.
func Open(out string, opts Options) (*Target, error) {
	dir, err := resolve(out)
	if err != nil {
		return nil, err
	}
	if err := refuse(out, dir, opts.Project); err != nil {
		return nil, err
	}
	if _, err := ownership(out, dir); err != nil {
		return nil, err
	}
	return &Target{out: out, dir: dir, opts: opts,
		state: filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".mailkb")}, nil
}

// Dir is the folder the site is published into (out with links followed).
func (t *Target) Dir() string { return t.dir }

// resolve makes out absolute and follows links, also through parents
// that exist, so that every later check compares real folders.
func resolve(out string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	st, err := os.Lstat(abs)
	switch {
	case err == nil && st.Mode()&fs.ModeSymlink != 0:
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", fmt.Errorf("%s is a link to a folder that does not exist; create the folder or remove the link", out)
		}
		if st, err := os.Stat(real); err != nil || !st.IsDir() {
			return "", fmt.Errorf("%s is a link to %s, which is not a folder; point it at a folder or remove it", out, real)
		}
		return real, nil
	case err == nil && !st.IsDir():
		return "", fmt.Errorf("%s is a file, not a folder; choose another --out", out)
	case err == nil:
		return filepath.EvalSymlinks(abs)
	case !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	// out does not exist yet: resolve the part that does.
	parent, rest := abs, []string{}
	for {
		if _, err := os.Lstat(parent); err == nil {
			break
		}
		rest = append([]string{filepath.Base(parent)}, rest...)
		next := filepath.Dir(parent)
		if next == parent {
			break
		}
		parent = next
	}
	real, err := filepath.EvalSymlinks(parent)
	if err != nil {
		return "", err
	}
	return filepath.Join(append([]string{real}, rest...)...), nil
}

// refuse says why dir must not be an output folder, or nil.
func refuse(out, dir, project string) error {
	if dir == filepath.Dir(dir) {
		return fmt.Errorf("refusing to publish into %s: it is the root of the file system; choose a folder of its own, like public/", out)
	}
	if home, err := os.UserHomeDir(); err == nil {
		if real, err := filepath.EvalSymlinks(home); err == nil && real == dir {
			return fmt.Errorf("refusing to publish into %s: it is your home folder; choose a folder of its own, like public/", out)
		}
	}
	if project == "" {
		return nil
	}
	proj, err := filepath.Abs(project)
	if err == nil {
		proj, err = filepath.EvalSymlinks(proj)
	}
	if err != nil {
		return fmt.Errorf("cannot resolve the knowledge base folder %s: %w", project, err)
	}
	switch {
	case dir == proj:
		return fmt.Errorf("refusing to publish into %s: it is the knowledge base folder itself; use its public/ folder (the default)", out)
	case within(proj, dir):
		return fmt.Errorf("refusing to publish into %s: it holds the knowledge base (%s); choose a folder of its own, like public/", out, project)
	}
	for _, src := range []string{"data", "content", "templates", ".git"} {
		if s := filepath.Join(proj, src); dir == s || within(dir, s) {
			return fmt.Errorf("refusing to publish into %s: it is inside the knowledge base's %s/ folder, which the site is made from; choose a folder of its own, like public/", out, src)
		}
	}
	return nil
}

// within reports whether path lies strictly inside dir.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// ownership reads dir's manifest. A folder that does not exist or is
// empty is free to use (nil, nil); a non-empty one without a manifest is
// not mailkb's and is refused.
func ownership(out, dir string) (*generation, error) {
	g, err := readManifest(filepath.Join(dir, ManifestName))
	if !errors.Is(err, errNoManifest) {
		if err != nil {
			return nil, fmt.Errorf("refusing to publish into %s: %w; move the folder aside and build again", out, err)
		}
		return g, nil
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case len(entries) > 0:
		return nil, fmt.Errorf("refusing to publish into %s: the folder is not empty and was not made by mailkb (it has no %s), so mailkb would have to remove or hide files it did not write; "+
			"choose an empty or new folder, or move this one aside (an old build from before mailkb kept a manifest can simply be deleted)", out, ManifestName)
	}
	return nil, nil
}

// Publish makes the target folder hold exactly files. Names that cannot
// be published are refused before anything is written.
func (t *Target) Publish(files map[string][]byte) (Stats, error) {
	names, err := checkNames(files)
	if err != nil {
		return Stats{}, err
	}
	tx, err := t.Begin()
	if err != nil {
		return Stats{}, err
	}
	var (
		mu    sync.Mutex
		first error
	)
	// Hashing wants the cores, writing a few requests in flight; a small
	// site is not worth the goroutines.
	workers := max(parallel.Cores(), 4)
	if len(names) < 64 {
		workers = 1
	}
	parallel.For(len(names), workers, func(i int) {
		if err := tx.Put(names[i], files[names[i]]); err != nil {
			mu.Lock()
			first = cmp.Or(first, err)
			mu.Unlock()
		}
	})
	if first != nil {
		tx.Abort()
		return Stats{}, first
	}
	return tx.Commit()
}

// stateMarker is the file that marks the working folder as mailkb's.
const stateMarker = "README"

const stateNote = "mailkb's working folder for the output folder beside it.\n" +
	"spare/ holds the previous build, which the next build updates and swaps in\n" +
	"in one step, so that the output folder is always a complete site.\n" +
	"It is safe to delete this folder when no build is running.\n"

// prepareState makes the working folder, or checks that the one there is
// mailkb's.
func (t *Target) prepareState() error {
	st, err := os.Lstat(t.state)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Made complete beside it and renamed into place: a build starting
		// at the same moment sees no folder or a marked one, never an
		// empty one it would take for a stranger's.
		tmp, err := os.MkdirTemp(filepath.Dir(t.state), filepath.Base(t.state)+".new-")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, stateMarker), []byte(stateNote), 0o644); err != nil {
			os.RemoveAll(tmp)
			return err
		}
		if err := os.Rename(tmp, t.state); err == nil {
			return nil
		}
		os.RemoveAll(tmp) // another build made it first: check theirs below
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is in the way: mailkb keeps its working folder there; move it aside", t.state)
	}
	if _, err := os.Stat(filepath.Join(t.state, stateMarker)); err != nil {
		return fmt.Errorf("%s exists but is not mailkb's working folder (no %s); move it aside", t.state, stateMarker)
	}
	return nil
}

// loadLive learns what the output folder holds, and reports whether it
// still holds the generation this Target published last.
func (t *Target) loadLive() (remembered bool, err error) {
	if t.live != nil && t.live.token != "" {
		token, err := readToken(filepath.Join(t.dir, ManifestName))
		if err == nil && token == t.live.token {
			return true, nil
		}
		t.spare = nil // another process published since
	}
	g, err := ownership(t.out, t.dir)
	if err != nil {
		return false, err
	}
	if g == nil {
		g = &generation{files: map[string]entry{}}
	}
	t.live = g
	return false, nil
}

// maxForeign is how many files the foreign-file error names.
const maxForeign = 5

// foreign refuses an output folder that holds files mailkb did not write:
// exchanging it would hide them, and mailkb never removes them.
func (t *Target) foreign() error {
	dirs := map[string]bool{}
	for name := range t.live.files {
		for d := path.Dir(name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	var found []string
	err := filepath.WalkDir(t.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == t.dir {
				return filepath.SkipDir
			}
			return err
		}
		rel, _ := filepath.Rel(t.dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "." || rel == ManifestName:
			return nil
		case d.IsDir() && dirs[rel]:
			return nil
		case !d.IsDir() && d.Type().IsRegular():
			if _, ok := t.live.files[rel]; ok {
				return nil
			}
		}
		found = append(found, rel)
		if d.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return nil
	}
	sort.Strings(found)
	more := ""
	if len(found) > maxForeign {
		more = fmt.Sprintf(" and %d more", len(found)-maxForeign)
		found = found[:maxForeign]
	}
	return fmt.Errorf("refusing to publish into %s: it holds %s%s, which mailkb did not write; mailkb never removes or hides files it did not write. "+
		"Move them out of the folder, or put them in templates/static/ to publish them with the site", t.out, strings.Join(found, ", "), more)
}

// maxName is the longest file or folder name most file systems take.
const maxName = 255

// checkNames refuses, before anything is written, a set of files that
// cannot be published as given, and returns the names sorted.
func checkNames(files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		if err := checkName(name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, checkSorted(names)
}

// checkFolders refuses a site in which a name is both a file and a
// folder.
func checkFolders(files map[string]entry) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return checkSorted(names)
}

// checkSorted refuses sorted names of which one is also a folder: sorted,
// "a" comes right before the names under it ("a/b").
func checkSorted(names []string) error {
	for i := 0; i+1 < len(names); i++ {
		for j := i + 1; j < len(names) && strings.HasPrefix(names[j], names[i]); j++ {
			if names[j][len(names[i])] == '/' {
				return fmt.Errorf("the site has %s both as a file and as a folder (%s); rename one of them", names[i], names[j])
			}
		}
	}
	return nil
}

// checkName refuses a name that could land outside the output folder,
// that a file system would reject, or that is mailkb's own.
func checkName(name string) error {
	if name == "" || path.IsAbs(name) || path.Clean(name) != name || name == "." || strings.HasPrefix(name, "../") || name == ".." {
		return fmt.Errorf("refusing to publish %q: not a plain relative path inside the output folder", name)
	}
	for _, seg := range strings.Split(name, "/") {
		switch {
		case seg == ManifestName || strings.HasSuffix(seg, tmpSuffix):
			return fmt.Errorf("refusing to publish %q: the name is mailkb's own", name)
		case len(seg) > maxName:
			return fmt.Errorf("refusing to publish %s: the name %.40s… is %d bytes long, more than the %d a file system takes; shorten the id or file name it comes from", name, seg, len(seg), maxName)
		}
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == '\\' {
			return fmt.Errorf("refusing to publish %q: the name has a control character or backslash", name)
		}
	}
	return nil
}
