package devserver

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailkb/generator/publish"
)

// TestWarningsAreForMaintainers: a value never checked is a warning the
// dev server shows over the page, and the built site — what readers
// get — never carries it.
func TestWarningsAreForMaintainers(t *testing.T) {
	s, ts := newServer(t, smallKB(t))
	resp, err := http.Get(ts.URL + providerPage)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	if !strings.Contains(page, `id="mailkb-warnings"`) || !strings.Contains(page, "has never been verified") {
		t.Errorf("the dev server's page lacks the warnings panel:\n%.2000s", page)
	}
	err = filepath.WalkDir(s.out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == publish.ManifestName {
			return err
		}
		data, err := os.ReadFile(p)
		if strings.Contains(string(data), "mailkb-warnings") || strings.Contains(string(data), "never been verified") {
			t.Errorf("%s carries the maintainers' warnings", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
