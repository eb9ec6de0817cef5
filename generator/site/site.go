// Package site builds the public site. It loads the knowledge base, its
// content and templates, plans the pages (package pages), runs the plan's
// jobs on every core, checks the knowledge base against the plan (package
// lint) and publishes what the jobs made as one transaction (package
// publish). A Session does the same again and again, making again only
// the jobs whose inputs changed.
package site

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/diag"
	"mailkb/generator/inputfs"
	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/pages"
	"mailkb/generator/parallel"
	"mailkb/generator/publish"
	"mailkb/generator/search"
	"mailkb/generator/urls"
)

// Options says what to build and where.
type Options struct {
	Root string    // the folder holding data/, content/ and templates/
	Out  string    // where to publish (see package publish)
	Now  time.Time // the build's "today"; zero means now
	// Waiting is called when another process is publishing to Out, before
	// this build waits for it.
	Waiting func(out string)
}

// publishOptions are the publisher's options for a build of opts.
func (opts Options) publishOptions() publish.Options {
	return publish.Options{Project: opts.root(), Waiting: opts.Waiting}
}

func (opts Options) root() string {
	if opts.Root == "" {
		return "."
	}
	return opts.Root
}

// today is the build's day: opts.Now, or now, at midnight UTC.
func (opts Options) today() time.Time {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	return model.DateOf(now).Start()
}

// Result describes a finished build.
type Result struct {
	Pages    int // HTML pages written
	Files    int // all files written
	Warnings int // lint warnings (./build.sh check lists them)
	// In a Session: jobs made, and jobs whose files were reused from the
	// last build.
	Rendered, Reused int
	// Notes are what publishing found and dealt with (see publish.Stats).
	Notes []string
	// URLs are the site's paths, as its base_url sets them.
	URLs urls.URLs
}

// Build loads the knowledge base under opts.Root, renders it and publishes
// it to opts.Out. On any error nothing is published and Out is untouched.
// An output folder that may not be used (see package publish) is refused
// before anything is rendered. Pages go into the publisher's spare folder
// as they are made: the site is never held in memory whole.
func Build(opts Options) (Result, error) {
	target, err := publish.Open(opts.Out, opts.publishOptions())
	if err != nil {
		return Result{}, err
	}
	_, res, _, err := build(opts, nil, nil, target)
	return res, err
}

// Render builds every output file in memory, keyed by its path under the
// output folder. Lint errors fail it like any other error.
func Render(opts Options) (map[string][]byte, error) {
	files, _, _, err := build(opts, nil, nil, nil)
	return files, err
}

// Check renders the site in memory and lints the knowledge base against
// it, returning the files and every finding, warnings included; only
// errors other than lint's fail it.
func Check(opts Options) (map[string][]byte, []lint.Finding, error) {
	files, _, findings, err := build(opts, nil, nil, nil)
	if err != nil && !isLintError(err) {
		return nil, nil, err
	}
	return files, findings, nil
}

// Lint is Check for a caller that wants only the findings (./build.sh
// check): every page is rendered, so that an error in one is found, and
// none is kept.
func Lint(opts Options) ([]lint.Finding, error) {
	_, _, findings, err := buildInto(opts, nil, nil, nil, &discard{names: map[string]bool{}})
	if err != nil && !isLintError(err) {
		return nil, err
	}
	return findings, nil
}

// lintError is the error of a build that lint refused: the files are
// made, the knowledge base is not fit to publish.
type lintError struct{ diag.ErrorList }

func (e lintError) Unwrap() []error { return e.ErrorList.Unwrap() }

func isLintError(err error) bool {
	_, ok := err.(lintError)
	return ok
}

// build loads, plans, lints and renders the site; in a session (s and m
// not nil) m makes again only the jobs whose inputs changed. With a
// target, the files go into a publish transaction as they are made, and
// are committed once every job and lint have passed; without one they
// are returned. Lint runs beside the jobs, on the plan, which knows every
// path the site will have; its errors fail the build once the files are
// made, so that Check can still return them.
func build(opts Options, s *Session, m *memo, target *publish.Target) (map[string][]byte, Result, []lint.Finding, error) {
	return buildInto(opts, s, m, target, &memory{files: map[string][]byte{}})
}

// buildInto is build with the sink that takes the files when there is no
// target: memory, or discard.
func buildInto(opts Options, s *Session, m *memo, target *publish.Target, keep sink) (map[string][]byte, Result, []lint.Finding, error) {
	today := opts.today()
	root := opts.root()
	prefix := ""
	if root != "." {
		prefix = root
	}
	loadOpts := []loader.Option{loader.WithToday(today)}
	if s != nil {
		loadOpts = append(loadOpts, loader.WithCache(s.cache))
	}
	kb, err := loader.Load(root, loadOpts...)
	if err != nil {
		return nil, Result{}, nil, err
	}
	fsys, err := inputfs.Open(root)
	if err != nil {
		return nil, Result{}, nil, err
	}
	defer fsys.Close()
	sources, err := content.Load(fsys, prefix)
	if err != nil {
		return nil, Result{}, nil, err
	}
	plan, err := pages.New(kb, sources, pages.Options{FS: fsys, Prefix: prefix, Today: today})
	if err != nil {
		return nil, Result{}, nil, err
	}
	if m != nil {
		if err := m.prepare(s, plan, fsys, prefix, today); err != nil {
			return nil, Result{}, nil, err
		}
	}
	out := keep
	var tx *publish.Transaction
	if target != nil {
		if tx, err = target.Begin(); err != nil {
			return nil, Result{}, nil, err
		}
		out = tx
	}
	var findings []lint.Finding
	linted := make(chan struct{})
	go func() {
		defer close(linted)
		findings = lint.Check(kb, sources, lint.Options{Today: today, PageExists: plan.Has})
	}()
	res, err := run(plan, m, out)
	<-linted
	if err == nil {
		res.Warnings, res.URLs = len(findings), plan.URLs
		if errs := lint.Errors(findings); len(errs) > 0 {
			err = lintError{errs.Err().(diag.ErrorList)}
		}
	}
	if tx == nil {
		if err != nil && !isLintError(err) {
			return nil, Result{}, findings, err
		}
		var files map[string][]byte
		if mem, ok := keep.(*memory); ok {
			files = mem.files
		}
		return files, res, findings, err
	}
	if err != nil {
		tx.Abort()
		return nil, Result{}, findings, err
	}
	stats, err := tx.Commit()
	if err != nil {
		return nil, Result{}, findings, err
	}
	res.Notes = stats.Notes
	return nil, res, findings, nil
}

// sink takes the files a build makes, from many goroutines at once: a
// publish.Transaction, or memory.
type sink interface {
	Put(name string, data []byte) error
}

// discard keeps only the names, to refuse one made twice.
type discard struct {
	mu    sync.Mutex
	names map[string]bool
}

func (d *discard) Put(name string, _ []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.names[name] {
		return fmt.Errorf("the site has %s twice; two pages have the same path", name)
	}
	d.names[name] = true
	return nil
}

// memory keeps a build's files in a map.
type memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memory) Put(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, taken := m.files[name]; taken {
		return fmt.Errorf("the site has %s twice; two pages have the same path", name)
	}
	m.files[name] = data
	return nil
}

// run makes every job of the plan on every core, then the files that sum
// up the pages, and puts them all into out. memo, when not nil, hands
// back the files of jobs whose inputs did not change and keeps what this
// run made.
func run(plan *pages.Plan, memo *memo, out sink) (Result, error) {
	read := make([]*search.Page, len(plan.Jobs))
	var (
		mu   sync.Mutex
		errs diag.ErrorList
		res  Result
	)
	put := func(made []pages.File) error {
		for _, f := range made {
			if err := out.Put(f.Name, f.Data); err != nil {
				return err
			}
		}
		mu.Lock()
		defer mu.Unlock()
		res.Files += len(made)
		for _, f := range made {
			if strings.HasSuffix(f.Name, ".html") {
				res.Pages++
			}
		}
		return nil
	}
	parallel.For(len(plan.Jobs), parallel.Cores(), func(i int) {
		j := plan.Jobs[i]
		made, page, reused, err := memo.made(j)
		if !reused && err == nil {
			made, err = j.Make()
			if err == nil && j.InSitemap {
				page, err = search.Read(j.Path, made[0].Data, j.Entry)
			}
		}
		if err == nil {
			err = put(made)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = appendErr(errs, err)
			return
		}
		read[i] = page
		if reused {
			res.Reused++
		} else {
			res.Rendered++
			memo.keep(j, made, page)
		}
	})
	if err := errs.Err(); err != nil {
		return Result{}, err
	}
	last, err := plan.Finish(read)
	if err == nil {
		err = put(last)
	}
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

func appendErr(errs diag.ErrorList, err error) diag.ErrorList {
	if l, ok := err.(diag.ErrorList); ok {
		return append(errs, l...)
	}
	return append(errs, &diag.Error{Msg: err.Error()})
}
