// Package content reads the markdown sources under content/: YAML front
// matter (strict, with positions) and a body parsed into shortcode nodes.
// It knows the folder layout — what is the home page, a guide or an
// article — but nothing of the data the shortcodes refer to.
package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"mailkb/generator/diag"
	"mailkb/generator/inputfs"
	"mailkb/generator/model"
	"mailkb/generator/parallel"
	"mailkb/generator/shortcode"
	"mailkb/generator/strictyaml"
)

// Kind is what a source file becomes.
type Kind string

const (
	Home    Kind = "home"    // content/_index.md
	Guide   Kind = "guide"   // content/guides/<client>.md
	Article Kind = "article" // content/articles/<slug>.md
	Page    Kind = "page"    // content/<slug>.md
)

// Source is one parsed markdown file.
type Source struct {
	File        string
	Kind        Kind
	Slug        string
	Title       []shortcode.Node
	TitleRaw    string
	Description string
	Client      string
	Providers   []string
	Protocols   []model.Protocol
	AsOf        model.Date
	Provider    string
	Weight      int
	Body        []shortcode.Node
	// Pos holds where each front matter key was written, for errors that
	// only the site can detect (a client that does not exist).
	Pos map[string]model.Pos
	// Digest identifies the file's bytes, so a rebuild can tell whether
	// pages made from it need rendering again.
	Digest [sha256.Size]byte
}

// Paired lists the shortcodes that take a body.
func Paired(name string) bool { return name == "if" || name == "unless" }

var frontMatterKeys = []string{"title", "description", "client", "providers", "protocols", "as_of", "provider", "weight"}

// Parse reads one file. file is the name used in errors.
func Parse(file string, kind Kind, src []byte) (*Source, error) {
	var errs diag.ErrorList
	s := &Source{File: file, Kind: kind, Pos: map[string]model.Pos{}, Digest: sha256.Sum256(src)}
	s.Slug = strings.TrimSuffix(path.Base(filepath.ToSlash(file)), ".md")
	if kind != Home {
		if problem := slugProblem(s.Slug); problem != "" {
			errs.Add(model.Pos{File: file, Line: 1, Column: 1}, "%s", problem)
			return nil, errs.Err()
		}
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	// A NUL or an ESC in prose would reach the page (and the terminal of
	// whoever prints it) as it is; text that is not UTF-8 would be
	// mangled. Both are refused where they stand.
	if e := diag.CheckText(src); e != nil {
		e.Pos.File = file
		errs = append(errs, e)
		return nil, errs.Err()
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	fm, body, bodyLine, ok := split(text)
	if !ok {
		errs.Add(model.Pos{File: file, Line: 1, Column: 1}, "no front matter; start the file with a line `---`, then `title: …`, then `---`")
		return nil, errs.Err()
	}
	d := &strictyaml.Decoder{File: file, Errs: &errs, LineOffset: 1, What: "front matter"}
	if root := d.Parse([]byte(fm)); root != nil {
		o := d.Object(root, "front matter", frontMatterKeys...)
		s.TitleRaw = o.Str("title", true)
		s.Description = o.Str("description", false)
		s.Client = idRef(d, o, "client", kind == Guide)
		s.Provider = idRef(d, o, "provider", false)
		for _, r := range o.Strs("providers", false) {
			if problem := strictyaml.IDProblem(r.ID, strictyaml.MaxNameID); problem != "" {
				d.Errorf(r.Node, "providers: %s", problem)
				continue
			}
			s.Providers = append(s.Providers, r.ID)
		}
		for _, p := range o.Enums("protocols", false, "pop3", "imap", "httpmail") {
			s.Protocols = append(s.Protocols, model.Protocol(p))
		}
		s.AsOf, _ = o.Date("as_of", false)
		s.Weight, _ = o.Int("weight", false)
		for _, k := range frontMatterKeys {
			if n := o.Get(k); n != nil {
				s.Pos[k] = d.Pos(n)
			}
		}
		if kind != Guide {
			for _, k := range []string{"client", "providers", "protocols", "as_of"} {
				if n := o.Get(k); n != nil {
					d.Errorf(n, "%q is for guides (content/guides/); remove it here", k)
				}
			}
		} else if n := o.Get("provider"); n != nil {
			d.Errorf(n, "guides render for every provider; use providers: [...] to limit them")
		}
		if s.TitleRaw != "" {
			title, err := shortcode.Parse(file, s.Pos["title"].Line, s.TitleRaw, nil)
			appendErr(&errs, err)
			s.Title = title
		}
	}
	nodes, err := shortcode.Parse(file, bodyLine, body, Paired)
	appendErr(&errs, err)
	s.Body = nodes
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// idRef reads a front matter value that names a provider or client: an id
// that cannot exist is an error here, before anyone looks it up and
// suggests a file that could never be made.
func idRef(d *strictyaml.Decoder, o *strictyaml.Object, key string, required bool) string {
	id := o.Str(key, required)
	if id == "" {
		return ""
	}
	if problem := strictyaml.IDProblem(id, strictyaml.MaxNameID); problem != "" {
		d.Errorf(o.Get(key), "%s: %s", key, problem)
		return ""
	}
	return id
}

// slugProblem says what is wrong with a content file's name (without .md)
// as a URL segment, or "". Names follow the rule of ids, so that no two
// files differ only in case (one file on macOS and Windows) and nothing
// needs escaping in a URL or the sitemap.
func slugProblem(slug string) string {
	if strictyaml.IDProblem(slug, strictyaml.MaxNameID) == "" {
		return ""
	}
	rule := fmt.Sprintf("a content file's name becomes its URL: lower-case letters a–z, digits and single hyphens, at most %d characters before .md", strictyaml.MaxNameID)
	suggested := strictyaml.Slug(slug)
	if len(suggested) > strictyaml.MaxNameID {
		suggested = strings.TrimRight(suggested[:strictyaml.MaxNameID], "-")
	}
	if suggested == "" {
		return fmt.Sprintf("the file name %q cannot be part of a URL; %s — rename it, like about-us.md", slug+".md", rule)
	}
	return fmt.Sprintf("the file name %q cannot be part of a URL; %s — rename it to %s.md", slug+".md", rule, suggested)
}

func appendErr(errs *diag.ErrorList, err error) {
	if l, ok := err.(diag.ErrorList); ok {
		*errs = append(*errs, l...)
	}
}

// split separates front matter from the body. bodyLine is the 1-based
// line on which the body starts.
func split(text string) (fm, body string, bodyLine int, ok bool) {
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return "", "", 0, false
	}
	if strings.HasPrefix(rest, "---\n") || rest == "---" {
		return "", strings.TrimPrefix(strings.TrimPrefix(rest, "---"), "\n"), 3, true
	}
	i := strings.Index(rest, "\n---\n")
	if i < 0 {
		if strings.HasSuffix(rest, "\n---") {
			i = len(rest) - 4
		} else {
			return "", "", 0, false
		}
	}
	fm = rest[:i+1]
	body = strings.TrimPrefix(rest[i+1:], "---")
	body = strings.TrimPrefix(body, "\n")
	return fm, body, strings.Count(fm, "\n") + 3, true
}

// Load reads every markdown file under content/ in fsys, which should be
// an inputfs.FS: then only regular files inside the project are read.
// Names inputfs skips are left out. prefix is joined before file names
// in errors.
func Load(fsys fs.FS, prefix string) ([]*Source, error) {
	var errs diag.ErrorList
	var out []*Source
	type file struct {
		path string
		kind Kind
	}
	var files []file
	name := func(p string) string { return diag.FileName(prefix, p) }
	fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// A site without content/ has only the pages the data makes.
			if p != "content" || !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, diag.ReadError(name(p), err))
			}
			return nil
		}
		if p != "content" && inputfs.Skip(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A link the file system would not follow (out of the
			// project, to nothing, round in a circle) is reported, not
			// passed over.
			if _, err := d.Info(); err != nil {
				errs = append(errs, diag.ReadError(name(p), err))
				return nil
			}
		}
		if d.IsDir() || path.Ext(p) != ".md" {
			return nil
		}
		rel := strings.TrimPrefix(p, "content/")
		var kind Kind
		switch dir := path.Dir(rel); {
		case rel == "_index.md":
			kind = Home
		case dir == "guides":
			kind = Guide
		case dir == "articles":
			kind = Article
		case dir == ".":
			kind = Page
		default:
			errs.Add(model.Pos{File: name(p)}, "content/%s is in a folder mailkb does not publish; move it to content/guides/, content/articles/ or content/", rel)
			return nil
		}
		files = append(files, file{p, kind})
		return nil
	})
	// Reading and parsing are independent per file: on every core, the
	// results kept in the walk's order.
	parsed := make([]*Source, len(files))
	fileErrs := make([]diag.ErrorList, len(files))
	parallel.For(len(files), parallel.Cores(), func(i int) {
		f := files[i]
		src, err := fs.ReadFile(fsys, f.path)
		if err != nil {
			fileErrs[i] = diag.ErrorList{diag.ReadError(name(f.path), err)}
			return
		}
		s, err := Parse(name(f.path), f.kind, src)
		appendErr(&fileErrs[i], err)
		parsed[i] = s
	})
	for i := range files {
		errs = append(errs, fileErrs[i]...)
		if parsed[i] != nil {
			out = append(out, parsed[i])
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}
