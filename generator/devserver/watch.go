package devserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"mailkb/generator/inputfs"
)

// watched are the folders under the root whose changes trigger a build.
var watched = []string{"data", "content", "templates"}

// Watch starts watching data/, content/ and templates/ and returns once
// the watch is in place; from then until ctx is done it rebuilds after
// every burst of changes. The returned channel is closed when it stops.
//
// The folders may be created, removed or replaced (renamed into place,
// checked out anew) while it runs: the root is watched too, and before
// each build the watch is set up afresh on the folders as they are then.
// Errors after the start are logged, not returned.
func (s *Server) Watch(ctx context.Context) (stopped <-chan struct{}, err error) {
	w, err := s.watcher()
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.rebuildOnChange(ctx, w)
	}()
	return done, nil
}

func (s *Server) rebuildOnChange(ctx context.Context, w *fsnotify.Watcher) {
	defer func() { w.Close() }()
	// A timer that is reset by every event fires once the burst is over.
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if s.matters(ev.Name) {
				timer.Reset(s.debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			fmt.Fprintf(s.log, "watching: %v\n", err)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				timer.Reset(s.debounce) // changes went unseen: build anyway
			}
		case <-timer.C:
			// A watch follows a folder, not its name: after a folder was
			// replaced or created it watches the old one or nothing. A new
			// watcher, set up before the build reads the files, sees every
			// change the build might miss.
			if fresh, err := s.watcher(); err != nil {
				fmt.Fprintf(s.log, "watching: %v; still watching the folders as they were\n", err)
			} else {
				w.Close()
				w = fresh
			}
			s.Build()
		}
	}
}

// watcher watches the root, for watched folders that appear or go, and
// every folder of the watched trees.
func (s *Server) watcher() (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	err = w.Add(s.root)
	for _, dir := range watched {
		if err == nil {
			err = addTree(w, filepath.Join(s.root, dir))
		}
	}
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot watch %s: %w", s.root, err)
	}
	return w, nil
}

// addTree watches dir and every folder under it (fsnotify is not
// recursive) but those inputfs skips. A tree that is not there, or goes
// while it is walked, is no error: the root's watch sees it come back.
func addTree(w *fsnotify.Watcher, dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if p != dir && inputfs.Skip(d.Name()) {
			return filepath.SkipDir
		}
		return w.Add(p)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// matters reports whether a change at name can change the site: it lies
// in a watched folder (or is one), and no part of its path under the root
// is a name inputfs skips, a hidden folder or an editor's scratch file.
func (s *Server) matters(name string) bool {
	rel, err := filepath.Rel(s.root, name)
	if err != nil {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if !slices.Contains(watched, parts[0]) {
		return false
	}
	return !slices.ContainsFunc(parts, inputfs.Skip)
}
