package publish

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// The spare folder (<state>/spare) holds a whole earlier site, described
// by its manifest. Before changing it, a publish writes a journal
// (<state>/journal) naming every file it is about to write or remove, and
// removes the journal only once the spare's new manifest is in place. So
// a spare with a journal beside it was being changed when mailkb stopped:
// its manifest and the journal together name every file mailkb may have
// left there, and exactly those are cleared.

const journalHeader = "mailkb-journal 1"

func (t *Target) journal() string { return filepath.Join(t.state, "journal") }

// spareContents returns what the spare folder holds: the generation its
// manifest describes when it is whole, or, after clearing what an
// interrupted publish left, nothing.
func (t *Target) spareContents(stage string) (*generation, []string, error) {
	_, jerr := os.Lstat(t.journal())
	whole := errors.Is(jerr, fs.ErrNotExist)
	if whole && t.spare != nil && t.spare.token != "" {
		if token, err := readToken(filepath.Join(stage, ManifestName)); err == nil && token == t.spare.token {
			return t.spare, nil, nil
		}
	}
	g, err := readManifest(filepath.Join(stage, ManifestName))
	if whole && err == nil {
		return g, nil, nil
	}
	if _, err := os.Lstat(stage); errors.Is(err, fs.ErrNotExist) {
		return &generation{files: map[string]entry{}}, nil, removeJournal(t.journal())
	}
	known := map[string]bool{ManifestName: true}
	if g != nil {
		for name := range g.files {
			known[name] = true
		}
	}
	if names, err := readJournal(t.journal()); err == nil {
		for _, name := range names {
			known[name] = true
		}
	}
	notes, err := t.clearSpare(stage, known)
	if err != nil {
		return nil, nil, err
	}
	return &generation{files: map[string]entry{}}, notes, removeJournal(t.journal())
}

// clearSpare removes the files of known (and their temp files) from the
// spare, then its empty folders. Anything left is not mailkb's: the spare
// is moved aside, whole, and a note says where.
func (t *Target) clearSpare(stage string, known map[string]bool) ([]string, error) {
	for name := range known {
		p := filepath.Join(stage, filepath.FromSlash(name))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if st, serr := os.Lstat(p); serr != nil || !st.IsDir() {
				return nil, err
			}
		}
		os.Remove(p + tmpSuffix)
	}
	var dirs []string
	filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, as meant, unless empty
	}
	if _, err := os.Lstat(stage); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	kept := filepath.Join(t.state, "kept-"+strconv.FormatInt(time.Now().UnixNano(), 10))
	if err := os.Rename(stage, kept); err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("the spare folder held files mailkb did not write; they were moved, untouched, to %s", kept)}, nil
}

func readJournal(p string) ([]string, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	if !sc.Scan() || sc.Text() != journalHeader {
		return nil, fmt.Errorf("%s is not a mailkb journal", p)
	}
	var names []string
	for sc.Scan() {
		if name := sc.Text(); checkName(name) == nil {
			names = append(names, name)
		}
	}
	return names, sc.Err()
}

// writeAtomic writes a small file of mailkb's own by a rename, so that it
// is never seen half written.
func writeAtomic(p string, data []byte) error {
	tmp := p + tmpSuffix
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, p)
}

// tmpSuffix marks a file being written; it is never published.
const tmpSuffix = ".mailkb-tmp"

// finishStage marks the spare whole again: its new manifest, then the
// journal gone.
func (t *Target) finishStage(stage string, g *generation) error {
	if err := writeAtomic(filepath.Join(stage, ManifestName), g.encode()); err != nil {
		return err
	}
	return removeJournal(t.journal())
}

func removeJournal(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// writePage writes one page into the spare, in place: nothing reads the
// spare (a dev server reopens the output folder after each publish), and
// the journal names the page until the spare's manifest is whole again.
func writePage(dst string, data []byte) error { return os.WriteFile(dst, data, 0o644) }
