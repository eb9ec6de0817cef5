package site

import (
	"io/fs"
	"os"
	"strings"

	"mailkb/generator/markdown"
)

// static adds the stylesheet (templates/static/site.css followed by the
// highlighting styles: one file for every page) and any other file under
// templates/static/.
func (b *builder) static(fsys fs.FS) error {
	chroma, err := markdown.StyleSheet()
	if err != nil {
		return err
	}
	css := []byte{}
	err = fs.WalkDir(fsys, "templates/static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "templates/static/")
		if rel == "site.css" {
			css = data
			return nil
		}
		b.files[rel] = data
		return nil
	})
	if err != nil && !os.IsNotExist(err) && !strings.Contains(err.Error(), "not exist") {
		return err
	}
	b.files["css/site.css"] = append(append(css, '\n'), chroma...)
	return nil
}
