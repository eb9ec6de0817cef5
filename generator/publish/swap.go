package publish

import (
	"errors"
	"io/fs"
	"os"
)

// swap puts the folder stage at dir in one step: dir's old content ends
// up at stage, or, when dir did not exist, stage is renamed into place.
func swap(stage, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(stage, dir)
	}
	err := exchange(stage, dir)
	if errors.Is(err, errNoExchange) {
		return swapByRenames(stage, dir)
	}
	return err
}

// errNoExchange says the system or file system cannot exchange two
// folders atomically.
var errNoExchange = errors.New("atomic exchange not supported")

// restoreAside puts back the old site that swapByRenames moved aside when
// mailkb was stopped before the new one took its place.
func restoreAside(stage, dir string) error {
	aside := stage + ".old"
	if _, err := os.Lstat(aside); err != nil {
		return nil
	}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(aside, dir)
	}
	return os.RemoveAll(aside) // the swap finished: it is the old spare
}

// swapByRenames is the fallback where folders cannot be exchanged: dir is
// renamed aside and stage into its place. For that instant dir is
// missing — but it never holds a mix of two sites.
func swapByRenames(stage, dir string) error {
	aside := stage + ".old"
	if err := os.RemoveAll(aside); err != nil {
		return err
	}
	if err := os.Rename(dir, aside); err != nil {
		return err
	}
	if err := os.Rename(stage, dir); err != nil {
		os.Rename(aside, dir)
		return err
	}
	return os.Rename(aside, stage)
}
