package kbwrite

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"slices"
	"sort"
	"time"
)

// overlay is the knowledge base on disk with the files the session wrote
// or, in a dry run, would have written. The loader reads it to validate an
// edit before it is written, and a dry run sees its own earlier changes.
type overlay struct {
	base  fs.FS
	files map[string][]byte // slash path → content
}

// with returns the overlay with one more file, leaving o as it was.
func (o overlay) with(name string, data []byte) overlay {
	files := make(map[string][]byte, len(o.files)+1)
	for k, v := range o.files {
		files[k] = v
	}
	files[name] = data
	return overlay{o.base, files}
}

func (o overlay) Open(name string) (fs.File, error) {
	data, ok := o.files[name]
	if !ok {
		return o.base.Open(name)
	}
	return &memFile{bytes.NewReader(data), memInfo{path.Base(name), int64(len(data))}}, nil
}

func (o overlay) ReadFile(name string) ([]byte, error) {
	if data, ok := o.files[name]; ok {
		return bytes.Clone(data), nil
	}
	return fs.ReadFile(o.base, name)
}

// ReadDir lists a folder with the overlay's new files in it, so that the
// loader finds a provider file that exists only here.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.base, name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Name()] = true
	}
	for p, data := range o.files {
		if path.Dir(p) == name && !seen[path.Base(p)] {
			entries = append(entries, fs.FileInfoToDirEntry(memInfo{path.Base(p), int64(len(data))}))
		}
	}
	if len(entries) == 0 && err != nil {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return entries, nil
}

type memFile struct {
	*bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

// memInfo describes a file of the overlay.
type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// only is a knowledge base with one provider file: keep, a slash path.
type only struct {
	overlay
	keep string
}

func (o only) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := o.overlay.ReadDir(name)
	if name != path.Dir(o.keep) {
		return entries, err
	}
	return slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return e.Name() != path.Base(o.keep) }), err
}
