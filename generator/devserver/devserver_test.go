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

var buildDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

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
	_, ts := newServer(t, kbtest.CopyBundled(t))
	tests := []struct {
		path, contentType string
		status            int
		want, not         string
	}{
		{"/", "text/html; charset=utf-8", 200, `<script src="/_mailkb/reload.js"></script>`, "mailkb-build-error"},
		{"/providers/outlook-com/", "text/html; charset=utf-8", 200, "Outlook.com mail server settings", ""},
		{"/providers/outlook-com", "", http.StatusMovedPermanently, "", ""},
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
	if _, h, _ := get(t, ts.URL+"/providers/outlook-com"); h.Get("Location") != "/providers/outlook-com/" {
		t.Errorf("redirect to %q", h.Get("Location"))
	}
}

// TestBuiltSiteHasNoDevScript checks that what serve publishes (and so
// ./build.sh) never carries the reload script.
func TestBuiltSiteHasNoDevScript(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	s, _ := newServer(t, kbtest.CopyBundled(t), WithOutput(out))
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
	root := kbtest.CopyBundled(t)
	_, ts := newServer(t, root, WithOutput(out))
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

// TestRebuildsOnChange runs the watcher on a copy of the bundled site:
// an edit is served after the rebuild and open pages hear of it; a broken
// edit leaves the last good pages, with the error over them; fixing it
// clears the error.
func TestRebuildsOnChange(t *testing.T) {
	root := kbtest.CopyBundled(t)
	s, ts := newServer(t, root)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watching := make(chan error, 1)
	go func() { watching <- s.Watch(ctx) }()
	time.Sleep(100 * time.Millisecond) // let the watcher add its folders

	// An open page's event stream: the first event is the current build.
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+eventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := bufio.NewReader(resp.Body)
	nextBuild := func() string {
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
			return v
		case <-time.After(20 * time.Second):
			t.Fatal("no build event within 20s")
			return ""
		}
	}
	first := nextBuild()

	provider := filepath.Join(root, "data", "providers", "microsoft-365.yaml")
	page := ts.URL + "/providers/microsoft-365/"
	kbtest.Edit(t, provider, "  Microsoft's paid", "  Edited by the watcher test. Microsoft's paid")
	if v := nextBuild(); v == first {
		t.Fatalf("build event %s after an edit, same as before", v)
	}
	if _, _, body := get(t, page); !strings.Contains(body, "Edited by the watcher test.") {
		t.Fatal("the edit is not served after the rebuild")
	}

	kbtest.Edit(t, provider, "port: 587", "port: 99999")
	nextBuild()
	status, _, body := get(t, page)
	if status != 200 || !strings.Contains(body, `id="mailkb-build-error"`) {
		t.Fatalf("a broken edit: status %d, no error overlay", status)
	}
	for _, want := range []string{"microsoft-365.yaml:", "port 99999 is out of range", "Edited by the watcher test."} {
		if !strings.Contains(body, want) {
			t.Errorf("broken build: page lacks %q (the error with file and line, over the last good page)", want)
		}
	}

	kbtest.Edit(t, provider, "port: 99999", "port: 587")
	nextBuild()
	if _, _, body := get(t, page); strings.Contains(body, "mailkb-build-error") {
		t.Error("the error overlay stays after the fix")
	}
	cancel()
	if err := <-watching; err != nil {
		t.Errorf("Watch: %v", err)
	}
}

// TestFirstBuildFails serves the error when there has never been a good
// build.
func TestFirstBuildFails(t *testing.T) {
	root := kbtest.CopyBundled(t)
	kbtest.Edit(t, filepath.Join(root, "data", "providers", "microsoft-365.yaml"), "port: 587", "port: 99999")
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
