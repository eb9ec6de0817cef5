package ispdb

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"mailkb/generator/diag"
	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/yamledit"
)

// Options configures Import.
type Options struct {
	Root     string    // the knowledge base folder (holds data/)
	Today    time.Time // the day written as from and until, and in headers
	DryRun   bool      // report what would be written, write nothing
	Progress io.Writer // gets a line per file; nil for none
}

// Files expands the command's arguments: a file stands for itself, a
// folder for the .xml files directly in it, in name order.
func Files(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: no such file or folder", a)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(a, "*.xml"))
		if err != nil {
			return nil, err
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("%s: no .xml files in this folder; give the ISPDB's ispdb/ folder or files", a)
		}
		sort.Strings(matches)
		out = append(out, matches...)
	}
	return out, nil
}

// Import imports each file into the knowledge base at opts.Root, one after
// the other, so that a later file sees what an earlier one wrote. A
// problem with one file is reported in its Result; the error is for what
// stops the run: a knowledge base that does not load, or a failed write.
func Import(files []string, opts Options) (*Report, error) {
	im, err := newImporter(opts)
	if err != nil {
		return nil, err
	}
	rep := &Report{DryRun: opts.DryRun}
	for i, f := range files {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "[%d/%d] %s\n", i+1, len(files), filepath.Base(f))
		}
		res, err := im.file(f)
		rep.Results = append(rep.Results, res)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

type importer struct {
	opts   Options
	today  model.Date
	prefix string // how the loader names files: diag.FileName(prefix, path)
	cache  *loader.Cache
	ov     overlay
	kb     *model.KB // the knowledge base as this import has left it so far
	// touched maps a provider id to the file that created or changed it in
	// this run.
	touched map[string]string
}

func newImporter(opts Options) (*importer, error) {
	im := &importer{opts: opts, today: model.DateOf(opts.Today), cache: loader.NewCache(),
		ov: overlay{base: os.DirFS(opts.Root)}, touched: map[string]string{}}
	if opts.Root != "." && opts.Root != "" {
		im.prefix = opts.Root
	}
	kb, err := loader.LoadFS(im.ov, im.prefix, im.loadOptions()...)
	if err != nil {
		return nil, fmt.Errorf("the knowledge base has errors; fix them first (./build.sh check lists them):\n%w", err)
	}
	im.kb = kb
	return im, nil
}

func (im *importer) loadOptions() []loader.Option {
	return []loader.Option{loader.WithToday(im.today.Start()), loader.WithCache(im.cache)}
}

// file imports one ISPDB file.
func (im *importer) file(path string) (Result, error) {
	res := Result{File: filepath.Base(path)}
	data, err := os.ReadFile(path)
	if err != nil {
		res.Outcome, res.Reason = Skipped, fmt.Sprintf("cannot read it: %v", err)
		return res, nil
	}
	cfg, err := Parse(data)
	if err != nil {
		res.Outcome, res.Reason = Malformed, err.Error()+"; fix the XML or leave the file out"
		return res, nil
	}
	in := convert(cfg, res.File)
	if len(in.domains) == 0 {
		res.Outcome, res.Reason, res.Notes = Skipped, "it lists no valid mail domain", in.notes
		return res, nil
	}
	if p := im.match(in); p != nil {
		err = im.update(p, in, &res)
	} else {
		err = im.create(in, &res)
	}
	res.Notes = append(in.notes, res.Notes...)
	for _, s := range in.servers {
		if s.dropped != "" {
			res.Notes = append(res.Notes, fmt.Sprintf("%s left out: ./build.sh check refuses it: %s", s.label(), s.dropped))
		}
	}
	return res, err
}

// match finds the provider the file describes: the first that lists one of
// its domains (hotmail.com.xml is outlook-com), else the one with its id.
func (im *importer) match(in *imported) *model.Provider {
	for _, d := range in.domains {
		if p := owner(im.kb, d); p != nil {
			return p
		}
	}
	return im.kb.Provider(in.slug)
}

// attempt is one way of writing a file, and the endpoints it adds.
type attempt struct {
	rel   string             // slash path of the provider file
	data  []byte             // its new content
	added map[string]*server // endpoint id → the server it comes from
	kb    *model.KB          // the knowledge base with the file, once valid
}

// settle builds an attempt, validates it with the loader and lint, and
// drops the servers whose endpoints ./build.sh check would refuse (a port
// that does not fit its encryption, say), building again without them.
// Errors the file already had (existing is true when it exists) are not
// the import's doing and do not stop it. It returns nil and no reason when
// there is nothing to write.
func (im *importer) settle(rel string, existing bool, build func() (*attempt, string)) (*attempt, string) {
	before := map[string]bool{}
	if existing {
		for _, f := range im.lintErrors(im.kb, rel) {
			before[f.Message] = true
		}
	}
	for {
		a, why := build()
		if a == nil {
			return nil, why
		}
		kb, err := loader.LoadFS(im.ov.with(rel, a.data), im.prefix, im.loadOptions()...)
		if err != nil {
			return nil, "the result would not load, so nothing was written:\n" + err.Error()
		}
		var refused []string
		dropped := false
		for _, f := range im.lintErrors(kb, rel) {
			if before[f.Message] {
				continue
			}
			if s := a.serverAt(kb, f.Pos); s != nil {
				s.dropped, dropped = f.Message, true
				continue
			}
			refused = append(refused, f.String())
		}
		if len(refused) > 0 {
			return nil, "./build.sh check would refuse the result, so nothing was written:\n" + strings.Join(refused, "\n")
		}
		if !dropped {
			a.kb = kb
			return a, ""
		}
	}
}

// serverAt returns the server whose added endpoint is at pos.
func (a *attempt) serverAt(kb *model.KB, pos model.Pos) *server {
	for _, p := range kb.Providers {
		for _, e := range p.Endpoints {
			if e.Pos == pos {
				return a.added[e.ID]
			}
		}
	}
	return nil
}

// lintErrors are the errors ./build.sh check reports in file rel.
func (im *importer) lintErrors(kb *model.KB, rel string) []lint.Finding {
	name := diag.FileName(im.prefix, rel)
	var out []lint.Finding
	for _, f := range lint.Check(kb, nil, lint.Options{Today: im.today.Start()}) {
		if f.Severity == lint.Error && f.Pos.File == name {
			out = append(out, f)
		}
	}
	return out
}

// write records a valid attempt: on disk unless this is a dry run, and in
// the overlay that later files are validated against.
func (im *importer) write(a *attempt) error {
	if !im.opts.DryRun {
		path := filepath.Join(im.opts.Root, filepath.FromSlash(a.rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := yamledit.WriteFile(path, a.data); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	im.ov = im.ov.with(a.rel, a.data)
	im.kb = a.kb
	return nil
}

// create writes a provider file for a provider mailkb does not have.
func (im *importer) create(in *imported, res *Result) error {
	rel := "data/providers/" + in.slug + ".yaml"
	res.Provider, res.Path = in.slug, diag.FileName(im.prefix, rel)
	var add *model.Source
	src := in.findSource(im.kb)
	if src == nil {
		add = in.newSource(im.today)
		src = add
	}
	var eps []*model.Endpoint
	a, why := im.settle(rel, false, func() (*attempt, string) {
		live := in.live()
		if len(live) == 0 {
			return nil, "no server in it is one mailkb can record (see the notes)"
		}
		a := &attempt{rel: rel, added: map[string]*server{}}
		taken, seen := map[string]bool{}, map[model.Protocol]bool{}
		eps = nil
		for _, s := range live {
			e := *s.e
			e.ID = endpointID(&e, taken)
			// The ISPDB lists a protocol's servers in order of preference.
			e.Preferred = !seen[e.Protocol]
			seen[e.Protocol] = true
			eps = append(eps, &e)
			a.added[e.ID] = s
		}
		a.data = renderNew(in, eps, in.accessFact(eps), add, src.ID, im.today)
		return a, ""
	})
	if a == nil {
		res.Outcome, res.Reason = Skipped, why
		return nil
	}
	res.Outcome = Created
	res.Changes = []string{fmt.Sprintf("%s (%s), %s", count(len(eps), "endpoint"), endpointList(eps), count(len(in.domains), "domain"))}
	if in.enable != nil {
		res.Changes = append(res.Changes, "a fact on switching access on")
	}
	im.touched[in.slug] = in.file
	return im.write(a)
}

// count writes n things: 1 domain, 2 domains.
func count(n int, thing string) string { return fmt.Sprintf("%d %s", n, plural(n, thing)) }

// plural is thing, with an s unless n is 1.
func plural(n int, thing string) string {
	if n == 1 {
		return thing
	}
	return thing + "s"
}

func endpointList(eps []*model.Endpoint) string {
	ids := make([]string, len(eps))
	for i, e := range eps {
		ids[i] = e.ID
	}
	return strings.Join(ids, ", ")
}

// update records what the file changes in provider p as history.
func (im *importer) update(p *model.Provider, in *imported, res *Result) error {
	rel := "data/providers/" + filepath.Base(p.File)
	res.Provider, res.Path = p.ID, p.File
	orig, err := im.ov.ReadFile(rel)
	if err != nil {
		res.Outcome, res.Reason = Skipped, fmt.Sprintf("cannot read %s: %v", p.File, err)
		return nil
	}
	var pl *plan
	a, why := im.settle(rel, true, func() (*attempt, string) {
		pl = newPlan(p, in, im.kb, im.today)
		if pl.empty() {
			return nil, ""
		}
		if by := im.touched[p.ID]; by != "" && len(pl.added) > 0 {
			return nil, fmt.Sprintf("%s was written from %s earlier in this run and this file gives other servers; "+
				"mailkb keeps one history per provider, so import the file that is right on its own", p.ID, by)
		}
		data, err := pl.apply(orig, im.today)
		switch {
		case err != nil:
			return nil, fmt.Sprintf("cannot edit %s: %v", p.File, err)
		case data == nil:
			return nil, ""
		}
		return &attempt{rel: rel, data: data, added: pl.added}, ""
	})
	res.Notes = append(res.Notes, pl.notes...)
	switch {
	case a != nil:
		res.Outcome, res.Changes = Changed, pl.changes
		im.touched[p.ID] = in.file
		return im.write(a)
	case why != "":
		res.Outcome, res.Reason = Skipped, why
	default:
		res.Outcome = Unchanged
	}
	return nil
}
