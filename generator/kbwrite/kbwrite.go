// Package kbwrite changes a knowledge base one file at a time without
// leaving it broken: a Session holds the knowledge base's lock from its
// first read to its last write, loads each new version of a file against
// the knowledge base as the session has left it before anything is
// written, writes each file all-or-nothing and, in a dry run, keeps what
// it would write in memory, where the rest of the session still sees it.
package kbwrite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"mailkb/generator/diag"
	"mailkb/generator/inputfs"
	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/yamledit"
)

// Options configures a Session.
type Options struct {
	Today  model.Date // the day the knowledge base is loaded and checked as of
	DryRun bool       // write nothing to disk
	// Waiting is called once when another command is writing the
	// knowledge base and Open waits for it; nil for silence.
	Waiting func()
}

// Session is a knowledge base being changed. Files are named by their
// slash path inside the knowledge base (data/providers/x.yaml).
type Session struct {
	root   string
	opts   Options
	w      *yamledit.Writer // holds the lock; writes the files
	fsys   *inputfs.FS
	prefix string // how the loader names files: diag.FileName(prefix, path)
	cache  *loader.Cache
	ov     overlay
	kb     *model.KB // the knowledge base as the session has left it so far
}

// Open locks the knowledge base at root, waiting for another command that
// holds the lock, and loads it. The knowledge base is read under the
// loader's rules (no link out of it, regular files only), as Load reads
// it. The caller closes the session.
func Open(ctx context.Context, root string, opts Options) (*Session, error) {
	w, err := yamledit.Lock(ctx, root, opts.Waiting)
	if err != nil {
		return nil, err
	}
	fsys, err := inputfs.Open(root)
	if err != nil {
		w.Release()
		return nil, err
	}
	s := &Session{root: root, opts: opts, w: w, fsys: fsys, cache: loader.NewCache(), ov: overlay{base: fsys}}
	if root != "." && root != "" {
		s.prefix = root
	}
	kb, err := loader.LoadFS(s.ov, s.prefix, s.loadOptions()...)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("the knowledge base has errors; fix them first (./build.sh check lists them):\n%w", err)
	}
	s.kb = kb
	return s, nil
}

// Close releases the knowledge base.
func (s *Session) Close() {
	s.fsys.Close()
	s.w.Release()
}

func (s *Session) loadOptions() []loader.Option {
	return []loader.Option{loader.WithToday(s.opts.Today.Start()), loader.WithCache(s.cache)}
}

// KB is the knowledge base as the session has left it so far.
func (s *Session) KB() *model.KB { return s.kb }

// FileName is how messages name the file at rel, as the loader does.
func (s *Session) FileName(rel string) string { return diag.FileName(s.prefix, rel) }

// ReadFile reads a file as the session has left it.
func (s *Session) ReadFile(rel string) ([]byte, error) { return s.ov.ReadFile(rel) }

// Validate loads the knowledge base with rel holding data, and returns it
// as the session would leave it. The file is read with only the provider
// files it needs — itself, and, if that fails, all of them (it may cite a
// source another file defines) — and put in the place of its old version
// among the providers already loaded, so that a session of hundreds of
// files does not read every file again for each one. Rules across files
// that the caller keeps itself (one owner for a domain, a free id) are for
// CheckAll, once the session's files are all written.
func (s *Session) Validate(rel string, data []byte) (*model.KB, error) {
	full := s.ov.with(rel, data)
	name := s.FileName(rel)
	one, err := loader.LoadFS(only{full, rel}, s.prefix, s.loadOptions()...)
	if err != nil {
		return loader.LoadFS(full, s.prefix, s.loadOptions()...)
	}
	merged := *s.kb
	merged.Providers = slices.DeleteFunc(slices.Clone(s.kb.Providers), func(p *model.Provider) bool { return p.File == name })
	for _, p := range one.Providers {
		if p.File == name {
			merged.Providers = append(merged.Providers, p)
		}
	}
	// The file may define sources of its own (an imported provider's).
	merged.Sources = slices.DeleteFunc(slices.Clone(s.kb.Sources), func(src *model.Source) bool { return src.Pos.File == name })
	for _, src := range one.Sources {
		if src.Pos.File == name {
			merged.Sources = append(merged.Sources, src)
		}
	}
	return &merged, nil
}

// Errors are the errors ./build.sh check reports in file rel of kb: the
// rules are run for its provider only, against what the rest of the
// knowledge base knows, so that a session of hundreds of files does not
// check every file again for each one.
func (s *Session) Errors(kb *model.KB, rel string) []lint.Finding {
	name := s.FileName(rel)
	var out []lint.Finding
	for _, p := range kb.Providers {
		if p.File != name {
			continue
		}
		for _, f := range lint.Check(kb, nil, lint.Options{Today: s.opts.Today.Start(), Only: p}) {
			if f.Severity == lint.Error && f.Pos.File == name {
				out = append(out, f)
			}
		}
	}
	return out
}

// Write records data as the file rel: on disk unless this is a dry run,
// and in what the rest of the session reads. kb is the knowledge base
// with it, as Validate returned it.
func (s *Session) Write(rel string, data []byte, kb *model.KB) error {
	if !s.opts.DryRun {
		path := filepath.Join(s.root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := s.w.WriteFile(path, data); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	s.ov = s.ov.with(rel, data)
	s.kb = kb
	return nil
}

// CheckAll reads the whole knowledge base as the session left it, as
// ./build.sh check does: each file was checked on its own as it was
// written; this checks them together.
func (s *Session) CheckAll() error {
	if len(s.ov.files) == 0 {
		return nil
	}
	kb, err := loader.LoadFS(s.ov, s.prefix, s.loadOptions()...)
	if err == nil {
		err = lint.Errors(lint.Check(kb, nil, lint.Options{Today: s.opts.Today.Start()})).Err()
	}
	if err != nil {
		return fmt.Errorf("the files written load one by one but not together; ./build.sh check lists what to fix:\n%w", err)
	}
	return nil
}
