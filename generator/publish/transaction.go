package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"mailkb/generator/filelock"
)

// Transaction is one publish under way. The new site is written into the
// spare folder file by file, as a build makes it, so a build need not
// hold the whole site in memory; Commit puts it in place in one step and
// Abort leaves the output folder as it was. Put may be called from many
// goroutines at once.
//
// Before a file of the spare changes, its name is appended to the
// journal beside it: a run killed at any moment leaves a spare whose
// manifest and journal together name every file mailkb may have left
// there, and the next run clears exactly those (see spareContents).
type Transaction struct {
	t       *Target
	lock    *filelock.Lock
	stage   string
	have    *generation // what the spare held when the transaction began
	notes   []string
	journal *os.File

	mu    sync.Mutex
	next  *generation     // what has been put so far
	dirs  map[string]bool // folders known to exist in the spare
	stats Stats
	ended bool
	// written are the files written into the spare so far, and torn
	// whether a write failed halfway: an aborted transaction that tore
	// nothing knows exactly what the spare holds.
	written map[string]entry
	torn    bool
}

// Begin starts a publish: it waits for any other publisher, checks the
// output folder again and brings the spare folder to a known state.
func (t *Target) Begin() (*Transaction, error) {
	if err := os.MkdirAll(filepath.Dir(t.dir), 0o755); err != nil {
		return nil, err
	}
	lock, err := t.lockState()
	if err != nil {
		return nil, err
	}
	tx := &Transaction{t: t, lock: lock, stage: filepath.Join(t.state, "spare"),
		next: &generation{files: map[string]entry{}}, dirs: map[string]bool{".": true}, written: map[string]entry{}}
	if err := tx.begin(); err != nil {
		lock.Release()
		return nil, err
	}
	return tx, nil
}

// lockState makes the working folder and locks it. A first build that
// failed removes the folder it made (see end): one that waited for it
// makes it again.
func (t *Target) lockState() (*filelock.Lock, error) {
	for {
		if err := t.prepareState(); err != nil {
			return nil, err
		}
		lock, err := filelock.Acquire(context.Background(), t.state, func() {
			if t.opts.Waiting != nil {
				t.opts.Waiting(t.out)
			}
		})
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(filepath.Join(t.state, stateMarker)); err == nil {
			return lock, nil
		}
		lock.Release()
	}
}

func (tx *Transaction) begin() error {
	t := tx.t
	if err := restoreAside(tx.stage, t.dir); err != nil {
		return err
	}
	remembered, err := t.loadLive()
	if err != nil {
		return err
	}
	// A folder this Target published and nobody has published to since
	// was checked when it was first seen; walking it again on every
	// rebuild would cost a dev server more than the rebuild.
	if !remembered {
		if err := t.foreign(); err != nil {
			return err
		}
	}
	if tx.have, tx.notes, err = t.spareContents(tx.stage); err != nil {
		return err
	}
	t.spare = nil
	if err := os.MkdirAll(tx.stage, 0o755); err != nil {
		return err
	}
	if tx.journal, err = os.OpenFile(t.journal(), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644); err != nil {
		return err
	}
	if _, err := tx.journal.WriteString(journalHeader + "\n"); err != nil {
		tx.journal.Close()
		return err
	}
	return nil
}

// Put adds one file of the new site. A file the spare already holds with
// the same bytes is not written again.
func (tx *Transaction) Put(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	s, kept := tx.sumOf(name, data)
	tx.mu.Lock()
	if tx.ended {
		tx.mu.Unlock()
		return errors.New("publish: Put after the transaction ended")
	}
	if _, dup := tx.next.files[name]; dup {
		tx.mu.Unlock()
		return fmt.Errorf("the site has %s twice; two pages have the same path", name)
	}
	tx.next.files[name] = entry{sum: s, size: len(data), data: kept}
	if old, ok := tx.have.files[name]; ok && old.sum == s && old.size == len(data) {
		tx.stats.Unchanged++
		tx.mu.Unlock()
		return nil
	}
	tx.stats.Written++
	err := tx.noteChange(name)
	if err == nil {
		err = tx.makeDir(path.Dir(name))
	}
	tx.mu.Unlock()
	if err != nil {
		return err
	}
	p := filepath.Join(tx.stage, filepath.FromSlash(name))
	err = writePage(p, data)
	if err != nil {
		// A folder of the old site may stand where the new one has a file.
		tx.mu.Lock()
		cleared := tx.clearOld(name + "/")
		tx.mu.Unlock()
		if cleared {
			err = writePage(p, data)
		}
	}
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if err != nil {
		tx.torn = true
		return fmt.Errorf("writing %s: %w", name, err)
	}
	tx.written[name] = entry{sum: s, size: len(data)}
	return nil
}

// sumOf is data's digest. A Repeated Target knows a file it published
// last time by its bytes — for a page a session reused, the very same
// slice — and keeps them for the next time.
func (tx *Transaction) sumOf(name string, data []byte) (s sum, kept []byte) {
	if !tx.t.opts.Repeated {
		return sumOf(data), nil
	}
	if old, ok := tx.t.live.files[name]; ok && sameBytes(old.data, data) {
		return old.sum, data
	}
	return sumOf(data), data
}

// sameBytes compares two files, cheaply when they are one slice.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return string(a) == string(b)
}

// noteChange names a file of the spare in the journal before it changes.
func (tx *Transaction) noteChange(name string) error {
	_, err := tx.journal.WriteString(name + "\n")
	return err
}

// makeDir makes a folder of the spare, removing a file of the old site
// that stands where a folder of the new one goes.
func (tx *Transaction) makeDir(dir string) error {
	if tx.dirs[dir] {
		return nil
	}
	for d := dir; d != "."; d = path.Dir(d) {
		if _, isFile := tx.have.files[d]; isFile {
			if _, stays := tx.next.files[d]; !stays {
				if err := tx.removeOld(d); err != nil {
					return err
				}
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(tx.stage, filepath.FromSlash(dir)), 0o755); err != nil {
		return err
	}
	for d := dir; d != "." && !tx.dirs[d]; d = path.Dir(d) {
		tx.dirs[d] = true
	}
	return nil
}

// clearOld removes the old site's files under prefix that the new site
// has not put, and reports whether there were any.
func (tx *Transaction) clearOld(prefix string) bool {
	var found []string
	for name := range tx.have.files {
		if _, stays := tx.next.files[name]; strings.HasPrefix(name, prefix) && !stays {
			found = append(found, name)
		}
	}
	for _, name := range found {
		if tx.removeOld(name) != nil {
			return false
		}
	}
	tx.removeEmptyDirs(found)
	return len(found) > 0
}

// removeOld removes a file of the old site from the spare, journalled.
func (tx *Transaction) removeOld(name string) error {
	if err := tx.noteChange(name); err != nil {
		return err
	}
	delete(tx.have.files, name)
	if err := os.Remove(filepath.Join(tx.stage, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// removeEmptyDirs removes the folders of names that are left empty,
// children before parents.
func (tx *Transaction) removeEmptyDirs(names []string) {
	emptied := map[string]bool{}
	for _, name := range names {
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			emptied[d] = true
		}
	}
	dirs := make([]string, 0, len(emptied))
	for d := range emptied {
		dirs = append(dirs, d)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if os.Remove(filepath.Join(tx.stage, filepath.FromSlash(d))) == nil { // fails, as meant, unless empty
			delete(tx.dirs, d)
		}
	}
}

// Commit removes from the spare what the new site no longer has, marks
// the spare whole and exchanges it with the output folder in one step.
// A site that cannot be published as put (a name both a file and a
// folder) is refused, and the output folder stays as it was.
func (tx *Transaction) Commit() (Stats, error) {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.ended {
		return Stats{}, errors.New("publish: Commit after the transaction ended")
	}
	defer tx.end()
	if err := checkFolders(tx.next.files); err != nil {
		return Stats{}, err
	}
	var gone []string
	for name := range tx.have.files {
		if _, keep := tx.next.files[name]; !keep {
			gone = append(gone, name)
		}
	}
	sort.Strings(gone)
	for _, name := range gone {
		if err := tx.removeOld(name); err != nil {
			return Stats{}, err
		}
	}
	tx.removeEmptyDirs(gone)
	tx.stats.Removed, tx.stats.Notes = len(gone), tx.notes
	if err := tx.journal.Close(); err != nil {
		return Stats{}, err
	}
	tx.next.token = newToken()
	if err := tx.t.finishStage(tx.stage, tx.next); err != nil {
		return Stats{}, err
	}
	if err := swap(tx.stage, tx.t.dir); err != nil {
		return Stats{}, fmt.Errorf("cannot put the new site in place: %w", err)
	}
	tx.t.live, tx.t.spare = tx.next, tx.t.live
	return tx.stats, nil
}

// Abort ends the transaction without publishing: the output folder stays
// as it was. The spare gets a manifest of what it now holds — the old
// site with the files written since — so the next publish writes only
// what differs from that; if a write failed halfway, the spare keeps its
// journal instead and the next publish clears what this one wrote there.
// Abort after Commit does nothing.
func (tx *Transaction) Abort() {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.ended {
		return
	}
	defer tx.end()
	if tx.torn || tx.journal.Close() != nil {
		return
	}
	holds := &generation{token: newToken(), files: tx.have.files}
	for name, e := range tx.written {
		holds.files[name] = e
	}
	tx.t.finishStage(tx.stage, holds) // on failure the journal stays, and says what to clear
}

// end closes the journal (a second close does nothing) and lets the next
// publisher in. A failed first build leaves no trace: when the output
// folder was never published, the working folder it made goes too.
func (tx *Transaction) end() {
	tx.ended = true
	tx.journal.Close()
	if _, err := os.Lstat(tx.t.dir); errors.Is(err, fs.ErrNotExist) {
		os.RemoveAll(tx.t.state)
	}
	tx.lock.Release()
}
