package content

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"mailkb/generator/inputfs"
)

// TestParseRefuses checks, with the whole error, the content files that
// would put something unsafe or meaningless into a page or a URL.
func TestParseRefuses(t *testing.T) {
	long := strings.Repeat("x", 65)
	tests := []struct {
		name, file, kind, src, want string
	}{
		{"upper case name", "content/articles/Why.md", "article", "---\ntitle: x\n---\n",
			`content/articles/Why.md:1:1: the file name "Why.md" cannot be part of a URL; a content file's name becomes its URL: lower-case letters a–z, digits and single hyphens, at most 64 characters before .md — rename it to why.md`},
		{"space and accent", "content/articles/Café au lait.md", "article", "---\ntitle: x\n---\n",
			`content/articles/Café au lait.md:1:1: the file name "Café au lait.md" cannot be part of a URL; a content file's name becomes its URL: lower-case letters a–z, digits and single hyphens, at most 64 characters before .md — rename it to cafe-au-lait.md`},
		{"two extensions", "content/index.html.md", "page", "---\ntitle: x\n---\n",
			`content/index.html.md:1:1: the file name "index.html.md" cannot be part of a URL; a content file's name becomes its URL: lower-case letters a–z, digits and single hyphens, at most 64 characters before .md — rename it to index-html.md`},
		{"nothing usable", "content/articles/日本.md", "article", "---\ntitle: x\n---\n",
			`content/articles/日本.md:1:1: the file name "日本.md" cannot be part of a URL; a content file's name becomes its URL: lower-case letters a–z, digits and single hyphens, at most 64 characters before .md — rename it, like about-us.md`},
		{"too long", "content/articles/" + long + ".md", "article", "---\ntitle: x\n---\n",
			`content/articles/` + long + `.md:1:1: the file name "` + long + `.md" cannot be part of a URL; a content file's name becomes its URL: lower-case letters a–z, digits and single hyphens, at most 64 characters before .md — rename it to ` + long[:64] + `.md`},
		{"client ..", "f.md", "guide", "---\ntitle: x\nclient: ..\n---\n",
			`f.md:3:9: client: ".." is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "acme-mail"`},
		{"providers with a slash", "f.md", "guide", "---\ntitle: x\nclient: c\nproviders: [acme, ac/me]\n---\n",
			`f.md:4:19: providers: "ac/me" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "ac-me"`},
		{"provider with a slash", "f.md", "article", "---\ntitle: x\nprovider: ac/me\n---\n",
			`f.md:3:11: provider: "ac/me" is not a valid id; an id is lower-case letters a–z, digits and single hyphens between them, like "ac-me"`},
		{"second document in front matter", "f.md", "article", "---\ntitle: x\n...\ndescription: y\n---\n",
			`f.md:3:1: front matter holds one YAML document; a second one starts here (after --- or ...) — remove it, or merge it into the first`},
		{"ESC in the body", "f.md", "article", "---\ntitle: x\n---\nRed: \x1b[31m\n",
			`f.md:4:6: the control character U+001B (ESC) has no place in a text file; remove it`},
		{"NUL in the title", "f.md", "article", "---\ntitle: a\x00b\n---\n",
			`f.md:2:9: the control character U+0000 (NUL) has no place in a text file; remove it`},
		{"escaped ESC in the title", "f.md", "article", "---\ntitle: \"a\\eb\"\n---\n",
			`f.md:2:8: "title" holds the control character U+001B (ESC); remove it (only tabs and line breaks may be written in a value)`},
		{"not UTF-8 in the body", "f.md", "article", "---\ntitle: x\n---\nna\xefve\n",
			`f.md:4:3: byte 0xef is not UTF-8 text; save the file as UTF-8 (an editor's "encoding" setting)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.file, Kind(tt.kind), []byte(tt.src))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

// TestLoadSkipsScratchFiles checks that editors' files and hidden folders
// under content/ are not read as pages.
func TestLoadSkipsScratchFiles(t *testing.T) {
	page := &fstest.MapFile{Data: []byte("---\ntitle: A\n---\n")}
	broken := &fstest.MapFile{Data: []byte("no front matter")}
	fsys := fstest.MapFS{
		"content/articles/a.md":          page,
		"content/articles/.#a.md":        broken,
		"content/articles/a.md~":         broken,
		"content/articles/#a.md#":        broken,
		"content/.git/x.md":              broken,
		"content/articles/.hidden/b.md":  broken,
		"content/articles/.a.md.swp":     broken,
		"content/guides/.DS_Store":       broken,
		"content/articles/unrelated.txt": broken,
	}
	srcs, err := Load(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].File != "content/articles/a.md" {
		t.Errorf("read %d sources, want content/articles/a.md alone", len(srcs))
	}
}

// TestLoadReportsBadLinks checks that a link under content/ that leads out
// of the project, or to nothing, is an error naming it, whatever its name.
func TestLoadReportsBadLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links are a Unix case here")
	}
	base := t.TempDir()
	root := filepath.Join(base, "kb")
	if err := os.MkdirAll(filepath.Join(root, "content", "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "content", "articles", "a.md"), []byte("---\ntitle: A\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"passwd.md": "/etc/passwd", "notes": "/etc", "gone.md": "nowhere.md", "same.md": "a.md"} {
		if err := os.Symlink(target, filepath.Join(root, "content", "articles", link)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	fsys, err := inputfs.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	_, err = Load(fsys, root)
	want := strings.Join([]string{
		root + "/content/articles/gone.md: cannot read: it is a link to nowhere.md, which does not exist; remove the link or restore what it points to",
		root + "/content/articles/notes: cannot read: it is a link to /etc, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it",
		root + "/content/articles/passwd.md: cannot read: it is a link to /etc/passwd, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it",
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}
