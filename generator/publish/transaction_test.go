package publish

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// putAll puts files from several goroutines, as a build does.
func putAll(t *testing.T, tx *Transaction, files map[string][]byte) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(files))
	for name, data := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- tx.Put(name, data)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestTransaction streams sites into an output folder: an aborted one
// leaves the folder as it was, and the next one, whose files swap file
// and folder with the last site's, leaves exactly its own.
func TestTransaction(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	target, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sites := []map[string][]byte{
		site("index.html", "one", "a", "a file", "b/c.html", "in a folder", "keep.txt", "k"),
		site("index.html", "two", "a/x.html", "a folder now", "b", "a file now", "keep.txt", "k"),
	}
	for i, files := range sites {
		tx, err := target.Begin()
		if err != nil {
			t.Fatal(err)
		}
		putAll(t, tx, files)
		if _, err := tx.Commit(); err != nil {
			t.Fatalf("site %d: %v", i+1, err)
		}
		if err := holds(t, out, files); err != nil {
			t.Fatalf("site %d: %v", i+1, err)
		}
		// A transaction that is put to and then aborted changes nothing.
		tx, err = target.Begin()
		if err != nil {
			t.Fatal(err)
		}
		putAll(t, tx, site("index.html", "aborted", "other.html", "o"))
		tx.Abort()
		if err := holds(t, out, files); err != nil {
			t.Fatalf("after an abort: %v", err)
		}
	}
	// The next build clears what the aborted one left in the spare.
	last := site("index.html", "three")
	if _, err := target.Publish(last); err != nil {
		t.Fatal(err)
	}
	if err := holds(t, out, last); err != nil {
		t.Fatal(err)
	}
}

// TestTransactionRefuses: a name put twice is refused at once, a name
// both a file and a folder at Commit, which then publishes nothing.
func TestTransactionRefuses(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first := site("index.html", "one")
	if _, err := Publish(out, first, Options{}); err != nil {
		t.Fatal(err)
	}
	target, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := target.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Put("x.html", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Put("x.html", []byte("2")); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a name put twice: %v", err)
	}
	tx.Abort()

	tx, err = target.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Put("a", []byte("file")); err != nil {
		t.Fatal(err)
	}
	// The folder cannot be made where the new file is: an error here or at
	// Commit, and either way nothing published.
	putErr := tx.Put("a/b.html", []byte("under it"))
	_, commitErr := tx.Commit()
	if putErr == nil && (commitErr == nil || !strings.Contains(commitErr.Error(), "both as a file and as a folder")) {
		t.Errorf("a name both a file and a folder: Put %v, Commit %v", putErr, commitErr)
	}
	tx.Abort()
	if err := holds(t, out, first); err != nil {
		t.Fatal(err)
	}
	if err := tx.Put("late.html", nil); err == nil {
		t.Error("Put after the transaction ended is accepted")
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 2 { // public and its working folder
		t.Errorf("beside the output: %v", entries)
	}
}

// TestAbortKeepsTheSpareKnown: after an aborted publish the spare's
// manifest says what it holds, so the same site published next is not
// written again (a dev server's failed rebuild costs nothing later).
func TestAbortKeepsTheSpareKnown(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Publish(out, site("index.html", "a"), Options{}); err != nil {
		t.Fatal(err)
	}
	target, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	next := site("index.html", "b", "x/y.html", "y")
	tx, err := target.Begin()
	if err != nil {
		t.Fatal(err)
	}
	putAll(t, tx, next)
	tx.Abort()
	stats, err := target.Publish(next)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Written != 0 || stats.Unchanged != 2 {
		t.Errorf("publishing what the aborted run wrote: %+v, want nothing written", stats)
	}
	if err := holds(t, out, next); err != nil {
		t.Fatal(err)
	}
}
