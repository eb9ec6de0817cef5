package pages

import (
	"errors"
	"io"
	"io/fs"
	"strings"

	"mailkb/generator/diag"
	"mailkb/generator/inputfs"
	"mailkb/generator/markdown"
)

// static is the job of the stylesheet (templates/static/site.css followed by the
// highlighting styles: one file for every page) and any other file under
// templates/static/. fsys should be an inputfs.FS: whatever is read here
// is published as it is, so a link out of the project must not be.
// Names inputfs skips (an editor's backup, .DS_Store) are not published.
func (s *planner) static(fsys fs.FS) (*Job, error) {
	chroma, err := markdown.StyleSheet()
	if err != nil {
		return nil, err
	}
	css := []byte{}
	var files []File
	dir := ""
	if in, ok := fsys.(*inputfs.FS); ok {
		dir = in.Dir()
	}
	var errs diag.ErrorList
	fs.WalkDir(fsys, "templates/static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != "templates/static" || !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, diag.ReadError(diag.FileName(dir, p), err))
			}
			return nil
		}
		if p != "templates/static" && inputfs.Skip(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, diag.ReadError(diag.FileName(dir, p), err))
			return nil
		}
		rel := strings.TrimPrefix(p, "templates/static/")
		if rel == "site.css" {
			css = data
			return nil
		}
		files = append(files, File{rel, data})
		return nil
	})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	files = append(files, File{s.urls.File(s.urls.Stylesheet()), append(append(css, '\n'), chroma...)})
	// Its files are templates, which every job reads.
	return &Job{Name: "static", Reads: func(io.Writer, Digests) {}, Make: func() ([]File, error) { return files, nil }}, nil
}
