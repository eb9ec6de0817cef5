package devserver

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watched are the folders under the root whose changes trigger a build.
var watched = []string{"data", "content", "templates"}

// Watch rebuilds after every burst of changes under data/, content/ and
// templates/ until ctx is done. Folders created later are watched too.
func (s *Server) Watch(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	for _, dir := range watched {
		if err := addTree(w, filepath.Join(s.root, dir)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	// A timer that is reset by every event fires once the burst is over.
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					addTree(w, ev.Name)
				}
			}
			timer.Reset(s.debounce)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintf(s.log, "watching: %v\n", err)
		case <-timer.C:
			s.Build()
		}
	}
}

// addTree watches dir and every folder under it (fsnotify is not
// recursive).
func addTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return w.Add(p)
		}
		return nil
	})
}

// ignored reports whether a changed file is an editor's scratch file
// rather than part of the knowledge base.
func ignored(name string) bool {
	base := filepath.Base(name)
	return strings.HasPrefix(base, ".#") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") ||
		strings.HasSuffix(base, ".swx") || base == "4913" || strings.HasSuffix(base, ".tmp")
}
