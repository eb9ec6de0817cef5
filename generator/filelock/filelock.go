// Package filelock serialises the processes that write one thing — a
// knowledge base's data/ folder, or a site's output folder — so that two
// commands run at once take turns instead of mixing their writes. A lock
// is an advisory flock(2) on a directory: nothing is left behind on disk,
// and the lock ends with the process that holds it, however it ends.
package filelock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// Lock is a held lock; Release lets the next process in.
type Lock struct{ dir *os.File }

// poll is how often a waiting Acquire tries again.
const poll = 25 * time.Millisecond

// Acquire takes the lock on dir, which must exist. When another process
// (or another Acquire in this one) holds it, waiting is called once, so
// the caller can say what it is waiting for, and Acquire tries again
// until it gets the lock or ctx ends.
func Acquire(ctx context.Context, dir string, waiting func()) (*Lock, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot lock %s: %w", dir, err)
	}
	told := false
	for {
		err := tryLock(f)
		if err == nil {
			return &Lock{dir: f}, nil
		}
		if !errors.Is(err, errBusy) {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", dir, err)
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("gave up waiting for the lock on %s: %w", dir, ctx.Err())
		case <-time.After(poll):
		}
	}
}

// Release ends the lock.
func (l *Lock) Release() error {
	if l == nil || l.dir == nil {
		return nil
	}
	err := unlock(l.dir)
	if cerr := l.dir.Close(); err == nil {
		err = cerr
	}
	l.dir = nil
	return err
}

var errBusy = errors.New("held by another process")
