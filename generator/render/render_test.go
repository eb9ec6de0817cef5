package render

import (
	"html/template"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"mailkb/generator/inputfs"
)

func TestPagesPartialsAndDocuments(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/base.html":          {Data: []byte(`<html>{{template "main" .}}</html>`)},
		"templates/partials/name.html": {Data: []byte(`<b>{{.}}</b>`)},
		"templates/page.html":          {Data: []byte(`{{define "main"}}{{template "name.html" .Name}} {{shout .Name}}{{end}}`)},
		"templates/standalone.html":    {Data: []byte(`{{define "document"}}<p>{{.Name}}</p>{{end}}`)},
	}
	ts, err := Load(fsys, "", template.FuncMap{"shout": strings.ToUpper})
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]string{"Name": "a<b"}
	for kind, want := range map[string]string{
		"page":       `<html><b>a&lt;b</b> A&lt;B</html>`,
		"standalone": `<p>a&lt;b</p>`,
	} {
		got, err := ts.Page(kind, data)
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", kind, got, err, want)
		}
	}
	if got, err := ts.Partial("name", "x"); err != nil || got != "<b>x</b>" {
		t.Errorf("partial: %q, %v", got, err)
	}
	if _, err := ts.Page("missing", data); err == nil || !strings.Contains(err.Error(), "no template templates/missing.html") {
		t.Errorf("missing kind: %v", err)
	}
}

func TestLoadErrorNamesTheFile(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/base.html": {Data: []byte(`<html>{{template "main" .}}</html>`)},
		"templates/page.html": {Data: []byte(`{{define "main"}}{{.Name}{{end}}`)},
	}
	_, err := Load(fsys, "kb", nil)
	if err == nil || !strings.HasPrefix(err.Error(), "kb/templates/page.html") {
		t.Errorf("error = %v, want it to start with the file", err)
	}
}

func TestExecutionErrorNamesTheTemplateLine(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/base.html":          {Data: []byte(`<html>{{template "main" .}}</html>`)},
		"templates/partials/name.html": {Data: []byte("\n<b>{{.Nope}}</b>")},
		"templates/page.html":          {Data: []byte("{{define \"main\"}}\n\n  {{.Missing}}{{end}}")},
	}
	ts, err := Load(fsys, "kb", nil)
	if err != nil {
		t.Fatal(err)
	}
	type data struct{ Name string }
	if _, err := ts.Page("page", data{}); err == nil || !strings.HasPrefix(err.Error(), "kb/templates/page.html:3:4: ") {
		t.Errorf("page error = %v", err)
	}
	if _, err := ts.Partial("name", data{}); err == nil || !strings.HasPrefix(err.Error(), "kb/templates/partials/name.html:2:5: ") {
		t.Errorf("partial error = %v", err)
	}
}

// TestLoadLeavesOutScratchFiles checks that an editor's backup or lock
// file beside a template is not parsed as one.
func TestLoadLeavesOutScratchFiles(t *testing.T) {
	broken := &fstest.MapFile{Data: []byte(`{{define "main"}}{{.Name}`)}
	fsys := fstest.MapFS{
		"templates/base.html":             {Data: []byte(`<html>{{template "main" .}}</html>`)},
		"templates/page.html":             {Data: []byte(`{{define "main"}}ok{{end}}`)},
		"templates/.#page.html":           broken,
		"templates/page.html~":            broken,
		"templates/partials/.x.html.swp":  broken,
		"templates/partials/.hidden.html": broken,
	}
	ts, err := Load(fsys, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ts.Page("page", nil); err != nil || string(got) != "<html>ok</html>" {
		t.Errorf("page: %q, %v", got, err)
	}
}

// TestLoadRefusesLinksOut checks that a template linked from outside the
// project is an error naming it, not a template.
func TestLoadRefusesLinksOut(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links are a Unix case here")
	}
	outside := filepath.Join(t.TempDir(), "evil.html")
	root := t.TempDir()
	for name, body := range map[string]string{"templates/base.html": `<html>{{template "main" .}}</html>`, "templates/page.html": `{{define "main"}}ok{{end}}`} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(outside, []byte(`{{define "main"}}evil{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "templates", "partials"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "templates", "partials", "x.html")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	fsys, err := inputfs.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	_, err = Load(fsys, "kb", nil)
	want := "kb/templates/partials/x.html: cannot read: it is a link to " + outside + ", outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}
