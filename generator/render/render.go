// Package render executes the site's html/template files: templates/base.html
// is the layout, templates/partials/*.html are shared pieces and every other
// templates/*.html is a page kind. Templates are parsed once; the look
// changes without touching Go.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"mailkb/generator/diag"
	"mailkb/generator/inputfs"
	"mailkb/generator/model"
)

// Templates holds one parsed template set per page kind.
type Templates struct {
	base   *template.Template // layout and partials, for Partial
	pages  map[string]*template.Template
	prefix string
	files  map[string]string // template name → its file, for errors
}

// Load parses the templates under templates/ in fsys with funcs available
// to all of them. fsys should be an inputfs.FS, so that only regular files
// inside the project are read; names inputfs skips are left out. prefix
// is joined before file names in errors.
func Load(fsys fs.FS, prefix string, funcs template.FuncMap) (*Templates, error) {
	name := func(p string) string { return diag.FileName(prefix, p) }
	fail := func(p string, err error) error {
		return diag.ErrorList{{Pos: model.Pos{File: name(p)}, Msg: strings.TrimPrefix(err.Error(), "template: ")}}
	}
	unreadable := func(p string, err error) error { return diag.ErrorList{diag.ReadError(name(p), err)} }
	partials, err := glob(fsys, "templates/partials")
	if err != nil {
		return nil, unreadable("templates/partials", err)
	}
	pages, err := glob(fsys, "templates")
	if err != nil {
		return nil, unreadable("templates", err)
	}
	base := template.New("base.html").Funcs(funcs)
	for _, p := range append([]string{"templates/base.html"}, partials...) {
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, unreadable(p, err)
		}
		t := base
		if p != "templates/base.html" {
			t = base.New(path.Base(p))
		}
		if _, err := t.Parse(string(src)); err != nil {
			return nil, fail(p, err)
		}
	}
	ts := &Templates{base: base, pages: map[string]*template.Template{}, prefix: prefix, files: map[string]string{}}
	for _, p := range append([]string{"templates/base.html"}, partials...) {
		ts.files[path.Base(p)] = p
	}
	for _, p := range pages {
		if p == "templates/base.html" {
			continue
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, unreadable(p, err)
		}
		clone, err := base.Clone()
		if err != nil {
			return nil, fail(p, err)
		}
		if _, err := clone.New(path.Base(p)).Parse(string(src)); err != nil {
			return nil, fail(p, err)
		}
		ts.pages[strings.TrimSuffix(path.Base(p), ".html")] = clone
		ts.files[path.Base(p)] = p
	}
	return ts, nil
}

// glob lists the .html files of dir; a dir that is not there has none.
func glob(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && !inputfs.Skip(e.Name()) && strings.HasSuffix(e.Name(), ".html") {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// execError finds the template, line and column in an execution error.
var execError = regexp.MustCompile(`^template: ([^:]+):(\d+):(\d+): (.*)$`)

// positioned turns a template execution error into one that names the
// template file, line and column, as data and content errors do; fallback
// names the file when the error says nothing more precise.
func (t *Templates) positioned(err error, fallback string) error {
	msg := err.Error()
	if m := execError.FindStringSubmatch(msg); m != nil {
		if file, ok := t.files[m[1]]; ok {
			line, _ := strconv.Atoi(m[2])
			col, _ := strconv.Atoi(m[3])
			return diag.ErrorList{{Pos: model.Pos{File: diag.FileName(t.prefix, file), Line: line, Column: col}, Msg: m[4]}}
		}
	}
	return diag.ErrorList{{Pos: model.Pos{File: diag.FileName(t.prefix, fallback)}, Msg: strings.TrimPrefix(msg, "template: ")}}
}

// Page renders the page kind's template inside the base layout: the page
// template defines "main", and base.html lays it out. A template that
// defines "document" instead is a whole document of its own (an embed
// without the site's header and stylesheet).
func (t *Templates) Page(kind string, data any) ([]byte, error) {
	set := t.pages[kind]
	if set == nil {
		return nil, fmt.Errorf("no template templates/%s.html", kind)
	}
	layout := "base.html"
	if set.Lookup("document") != nil {
		layout = "document"
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, layout, data); err != nil {
		return nil, t.positioned(err, "templates/"+kind+".html")
	}
	return buf.Bytes(), nil
}

// Partial renders one partial (templates/partials/<name>.html) on its own,
// for shortcodes that embed a piece of the page in markdown output.
func (t *Templates) Partial(name string, data any) (string, error) {
	var buf bytes.Buffer
	if err := t.base.ExecuteTemplate(&buf, name+".html", data); err != nil {
		return "", t.positioned(err, "templates/partials/"+name+".html")
	}
	return buf.String(), nil
}
