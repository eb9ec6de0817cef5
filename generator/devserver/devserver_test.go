package devserver

import (
	"bufio"
	"context"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailkb/generator/kbtest"
)

// buildDay is the day the tests' own small knowledge bases are built on.
var buildDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// smallKB writes a knowledge base of one provider, with the repo's
// templates, into a temp folder and returns its root.
func smallKB(t *testing.T) string {
	t.Helper()
	return kbtest.WriteInto(t, kbtest.CopyBundled(t, "templates"), map[string]string{
		"content/_index.md": "---\ntitle: Test KB\n---\nSettings of one test provider.\n",
		"data/site.yaml":    "title: Test KB\nbase_url: https://kb.example/\n",
		"data/sources.yaml": "sources:\n  - id: s1\n    title: Acme help\n    publisher: Acme\n    date: 2020-01-02\n",
		"data/providers/acme.yaml": `id: acme
name: Acme Mail
summary: A test provider.
domains: [acme.example]
domain_sources: [s1]
endpoints:
  - id: imap
    protocol: imap
    host: imap.acme.example
    port: 993
    security: tls
    auth: [password]
    username: email-address
    from: 2015
    sources: [s1]
  - id: smtp
    protocol: smtp
    host: smtp.acme.example
    port: 587
    security: starttls
    auth: [password]
    username: email-address
    from: 2015
    sources: [s1]
`,
	})
}

// acme is the provider file of smallKB and providerPage its page.
const (
	acme         = "data/providers/acme.yaml"
	providerPage = "/providers/acme/"
)

func newServer(t *testing.T, root string, opts ...Option) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(root, append([]Option{WithToday(buildDay), WithDebounce(50 * time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Build(); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// watch runs s.Watch until the test ends.
func watch(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stopped, err := s.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-stopped })
}

// untilServed waits, build after build, until the page at url has want
// and no error overlay.
func untilServed(t *testing.T, s *Server, url, want string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		built := s.Built()
		_, _, body := get(t, url)
		if strings.Contains(body, want) && !strings.Contains(body, "mailkb-build-error") {
			return
		}
		select {
		case <-built:
		case <-deadline:
			t.Fatalf("%s still lacks %q after 20s; last seen:\n%s", url, want, body)
		}
	}
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func TestServesTheBuild(t *testing.T) {
	_, ts := newServer(t, smallKB(t))
	tests := []struct {
		path, contentType string
		status            int
		want, not         string
	}{
		{"/", "text/html; charset=utf-8", 200, `<script src="/_mailkb/reload.js"></script>`, "mailkb-build-error"},
		{providerPage, "text/html; charset=utf-8", 200, "Acme Mail mail server settings", ""},
		{strings.TrimSuffix(providerPage, "/"), "", http.StatusMovedPermanently, "", ""},
		{"/css/site.css", "text/css; charset=utf-8", 200, ".chroma", "_mailkb"},
		{"/search/index.json", "application/json", 200, `"entries"`, "_mailkb"},
		{"/no/such/page/", "text/html; charset=utf-8", 404, "Page not found", ""},
		{"/_mailkb/reload.js", "text/javascript; charset=utf-8", 200, "EventSource", ""},
	}
	for _, tt := range tests {
		status, h, body := get(t, ts.URL+tt.path)
		if status != tt.status || (tt.contentType != "" && h.Get("Content-Type") != tt.contentType) {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, status, h.Get("Content-Type"), tt.status, tt.contentType)
		}
		if !strings.Contains(body, tt.want) || (tt.not != "" && strings.Contains(body, tt.not)) {
			t.Errorf("GET %s: body lacks %q or has %q", tt.path, tt.want, tt.not)
		}
	}
	if _, h, _ := get(t, ts.URL+strings.TrimSuffix(providerPage, "/")); h.Get("Location") != providerPage {
		t.Errorf("redirect to %q", h.Get("Location"))
	}
}

// TestBuiltSiteHasNoDevScript checks that what serve publishes (and so
// ./build.sh) never carries the reload script.
func TestBuiltSiteHasNoDevScript(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	root := kbtest.CopyBundled(t)
	s, _ := newServer(t, root, WithOutput(out), WithToday(kbtest.Day(t, root)))
	_ = s
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if strings.Contains(string(data), "_mailkb/") {
			t.Errorf("%s carries the dev server's script", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rawGet sends path exactly as written, without the client cleaning it.
func rawGet(t *testing.T, ts *httptest.Server, path string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestPathTraversal(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	secret := "TOP-SECRET-" + t.Name()
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	_, ts := newServer(t, smallKB(t), WithOutput(out))
	for _, p := range []string{
		"/../secret.txt",
		"/css/../../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E/%2e%2e/secret.txt",
		"/css/..%2f..%2fsecret.txt",
		"/..%5csecret.txt",
		"/css/%2e%2e%2f%2e%2e%2fsecret.txt",
		"/..",
		"/%00/../secret.txt",
		"/" + strings.Repeat("../", 20) + "etc/passwd",
	} {
		status, body := rawGet(t, ts, p)
		if status == 200 || strings.Contains(body, secret) || strings.Contains(body, "root:") {
			t.Errorf("GET %s: %d, served something outside the build", p, status)
		}
	}
	if status, _ := rawGet(t, ts, "/css/site.css"); status != 200 {
		t.Errorf("a plain path no longer works: %d", status)
	}
}

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1", false, true},
		{"127.0.0.2", false, true},
		{"::1", false, true},
		{"[::1]", false, true},
		{"localhost", false, true},
		{"0.0.0.0", false, false},
		{"", false, false},
		{"::", false, false},
		{"192.0.2.10", false, false},
		{"example.com", false, false},
		{"0.0.0.0", true, true},
	}
	for _, tt := range tests {
		if err := CheckAddr(tt.addr, tt.public); (err == nil) != tt.ok {
			t.Errorf("CheckAddr(%q, %v) = %v, want ok=%v", tt.addr, tt.public, err, tt.ok)
		}
	}
}

// TestRebuildsOnChange runs the watcher: an edit is served after the
// rebuild and open pages hear of it; a broken edit leaves the last good
// pages, with the error over them; fixing it clears the error.
func TestRebuildsOnChange(t *testing.T) {
	root := smallKB(t)
	s, ts := newServer(t, root)
	watch(t, s)

	// An open page's event stream: the first event is the current build.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := openEvents(t, ctx, ts.URL)
	first := nextBuild(t, events)

	provider := filepath.Join(root, acme)
	page := ts.URL + providerPage
	kbtest.Edit(t, provider, "summary: A test provider.", "summary: Edited by the watcher test.")
	if v := nextBuild(t, events); v == first {
		t.Fatalf("build event %s after an edit, same as before", v)
	}
	if _, _, body := get(t, page); !strings.Contains(body, "Edited by the watcher test.") {
		t.Fatal("the edit is not served after the rebuild")
	}

	kbtest.Edit(t, provider, "port: 587", "port: 99999")
	nextBuild(t, events)
	status, _, body := get(t, page)
	if status != 200 || !strings.Contains(body, `id="mailkb-build-error"`) {
		t.Fatalf("a broken edit: status %d, no error overlay", status)
	}
	for _, want := range []string{"acme.yaml:", "port 99999 is out of range", "Edited by the watcher test."} {
		if !strings.Contains(body, want) {
			t.Errorf("broken build: page lacks %q (the error with file and line, over the last good page)", want)
		}
	}

	kbtest.Edit(t, provider, "port: 99999", "port: 587")
	nextBuild(t, events)
	if _, _, body := get(t, page); strings.Contains(body, "mailkb-build-error") {
		t.Error("the error overlay stays after the fix")
	}
}

// openEvents opens a page's live-reload stream, as EventSource would.
func openEvents(t *testing.T, ctx context.Context, serverURL string) *bufio.Reader {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", serverURL+eventsPath, nil)
	// A transport of its own: the stream holds its connection.
	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", eventsPath, resp.Status)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return bufio.NewReader(resp.Body)
}

// nextBuild reads the stream up to the next build event and returns its
// version; comments (heartbeats) are skipped.
func nextBuild(t *testing.T, events *bufio.Reader) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		for {
			line, err := events.ReadString('\n')
			if err != nil {
				got <- "error: " + err.Error()
				return
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				got <- strings.TrimSpace(v)
				return
			}
		}
	}()
	select {
	case v := <-got:
		if strings.HasPrefix(v, "error: ") {
			t.Fatalf("event stream: %s", v)
		}
		return v
	case <-time.After(20 * time.Second):
		t.Fatal("no build event within 20s")
		return ""
	}
}

// TestFirstBuildFails serves the error when there has never been a good
// build.
func TestFirstBuildFails(t *testing.T) {
	root := smallKB(t)
	kbtest.Edit(t, filepath.Join(root, acme), "port: 587", "port: 99999")
	s, err := New(root, WithToday(buildDay))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Build() == nil {
		t.Fatal("a broken knowledge base built")
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	status, _, body := get(t, ts.URL+"/")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "port 99999 is out of range") || !strings.Contains(body, "reload.js") {
		t.Errorf("status %d; body:\n%s", status, body)
	}
}

// TestServesTheFolderNowPublished: publishing may put a new folder where
// the output was (the old one moved aside); the server serves the new one.
func TestServesTheFolderNowPublished(t *testing.T) {
	root := smallKB(t)
	out := filepath.Join(t.TempDir(), "out")
	s, ts := newServer(t, root, WithOutput(out))
	if err := os.Rename(out, out+".aside"); err != nil {
		t.Fatal(err)
	}
	kbtest.Edit(t, filepath.Join(root, acme), "summary: A test provider.", "summary: Published into a new folder.")
	if err := s.Build(); err != nil {
		t.Fatal(err)
	}
	if _, _, body := get(t, ts.URL+providerPage); !strings.Contains(body, "Published into a new folder.") {
		t.Error("the server still serves the folder that was moved aside")
	}
}
