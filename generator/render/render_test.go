package render

import (
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
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
