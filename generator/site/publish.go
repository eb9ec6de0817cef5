package site

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
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

// Publish writes files into a fresh folder beside out and swaps it in, so
// that readers and a failed build never see a half-written site: out is
// either the old site or the new one.
func Publish(out string, files map[string][]byte) error {
	out = filepath.Clean(out)
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // no-op once renamed
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.Contains(name, "..") || path.IsAbs(name) {
			return fmt.Errorf("refusing to write %q outside the output folder", name)
		}
		dst := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, files[name], 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = filepath.Join(parent, "."+filepath.Base(out)+".old")
		os.RemoveAll(old)
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out) // put the previous site back
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
