// Package devserver serves a knowledge base's site while someone edits it:
// it builds the site into a private folder, serves the last good build,
// rebuilds when data/, content/ or templates/ change, and tells open pages
// to reload. A broken edit does not take the site away: the last good
// pages stay, with the build's errors (file, line, message) laid over
// them. Nothing it adds to pages — the reload script, the error overlay —
// is ever part of the built site. Clients cannot hold more than a bounded
// number of connections, nor hold them forever (see Limits), so a flood of
// them leaves the file descriptors a build needs.
package devserver

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"mailkb/generator/diag"
	"mailkb/generator/lint"
	"mailkb/generator/site"
)

// Server builds, serves and rebuilds one knowledge base.
type Server struct {
	root     string
	today    time.Time
	debounce time.Duration
	log      io.Writer
	out      string // the folder builds are published into
	ownsOut  bool   // out is a temp folder this Server made and removes
	session  *site.Session

	limits Limits

	buildMu sync.Mutex // one build at a time

	// mu guards what follows. Requests hold it for reading while they
	// read from files, so that a build can close the folder it replaces.
	mu       sync.RWMutex
	files    *os.Root       // the last good build; nil until one succeeds
	base     string         // the site's base path ("" or "/sub")
	buildErr error          // the last build's error; nil when it succeeded
	warnings []lint.Finding // the last good build's warnings, for maintainers
	version  int            // counts builds, good or bad
	clients  []chan int     // SSE subscribers, sent the version after each build
	built    chan struct{}  // closed and replaced after each build
}

// Option configures a Server.
type Option func(*Server)

// WithToday builds as if on day t (default: the clock).
func WithToday(t time.Time) Option { return func(s *Server) { s.today = t } }

// WithDebounce sets how long the watcher waits for a burst of file events
// to end before it rebuilds (default 150ms): an editor's save is several
// events.
func WithDebounce(d time.Duration) Option { return func(s *Server) { s.debounce = d } }

// WithLog sends one line per build to w (default: nowhere).
func WithLog(w io.Writer) Option { return func(s *Server) { s.log = w } }

// WithOutput publishes builds into dir instead of a temp folder.
func WithOutput(dir string) Option { return func(s *Server) { s.out = dir } }

// WithLimits bounds what clients may hold open; zero fields keep the
// defaults.
func WithLimits(l Limits) Option { return func(s *Server) { s.limits = l } }

// New prepares a Server for the knowledge base at root. It does not build:
// call Build and Watch, then Serve.
func New(root string, opts ...Option) (*Server, error) {
	s := &Server{root: root, debounce: 150 * time.Millisecond, log: io.Discard, built: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	s.limits = s.limits.withDefaults()
	if err := s.limits.check(); err != nil {
		return nil, err
	}
	if s.out == "" {
		tmp, err := os.MkdirTemp("", "mailkb-serve-")
		if err != nil {
			return nil, err
		}
		s.out, s.ownsOut = filepath.Join(tmp, "site"), true
	}
	s.session = site.NewSession(site.Options{Root: root, Out: s.out, Now: s.today})
	return s, nil
}

// Close releases the served folder, and removes it if New made it.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files != nil {
		s.files.Close()
		s.files = nil
	}
	if s.ownsOut {
		return os.RemoveAll(filepath.Dir(s.out))
	}
	return nil
}

// Build rebuilds the site now. On success the new build is served; on
// failure the last good one stays and pages show the error. Either way
// open pages are told to reload.
func (s *Server) Build() error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	start := time.Now()
	res, findings, err := s.session.Build()
	var files *os.Root
	if err == nil {
		// Publishing may leave a different folder at s.out than the one
		// served so far (the old one is moved aside and reused): serve
		// what is there now.
		files, err = os.OpenRoot(s.out)
	}
	s.mu.Lock()
	if files != nil {
		if s.files != nil {
			s.files.Close()
		}
		s.files, s.base = files, res.URLs.Base()
	}
	s.buildErr = err
	if err == nil {
		s.warnings = findings
	}
	s.version++
	v := s.version
	for _, c := range s.clients {
		select {
		case c <- v:
		default: // a client that has not read the last news gets it with the next
		}
	}
	close(s.built)
	s.built = make(chan struct{})
	s.mu.Unlock()
	if err != nil {
		fmt.Fprintf(s.log, "build failed; still serving the last good build:\n%v\n", err)
	} else {
		fmt.Fprintf(s.log, "built %d pages (%d rendered, %d reused) in %s\n", res.Pages, res.Rendered, res.Reused, time.Since(start).Round(time.Millisecond))
	}
	return err
}

// Version counts the builds so far, good or bad.
func (s *Server) Version() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// Built returns a channel that is closed when the next build finishes.
func (s *Server) Built() <-chan struct{} {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.built
}

// The dev server's own endpoints live under a prefix no site page uses.
const (
	eventsPath = "/_mailkb/events"
	scriptPath = "/_mailkb/reload.js"
)

// Handler serves the last good build, the reload events and script.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(eventsPath, s.events)
	mux.HandleFunc(scriptPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, reloadScript)
	})
	mux.HandleFunc("/", s.serveSite)
	return mux
}

// reloadScript reloads the page when a build finishes after it loaded.
// EventSource reconnects by itself when the server restarts; the first
// message after a connect carries the build's version, so a page that
// missed a build while disconnected reloads too.
const reloadScript = `(function () {
  "use strict";
  var seen = null;
  var events = new EventSource("` + eventsPath + `");
  events.addEventListener("build", function (e) {
    if (seen !== null && e.data !== seen) { location.reload(); }
    seen = e.data;
  });
})();
`

// cleanName maps a request path to a file of the build, or says why not.
// It refuses rather than repairs anything that tries to climb out: a ".."
// segment, a backslash or a NUL, whether sent plainly or %-encoded (the
// server decodes %2e%2e before this sees it).
func cleanName(urlPath, base string) (name string, ok bool) {
	if strings.ContainsAny(urlPath, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(urlPath, "/") {
		if seg == ".." {
			return "", false
		}
	}
	rest, found := strings.CutPrefix(urlPath, base+"/")
	if !found {
		return "", false
	}
	name = path.Clean("/" + rest)[1:]
	if name == "" || strings.HasSuffix(rest, "/") {
		name = path.Join(name, "index.html")
	}
	return name, true
}

func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	a := s.lookup(r.URL.Path)
	switch {
	case a.redirect != "":
		http.Redirect(w, r, a.redirect, a.status)
	case a.status == http.StatusBadRequest:
		http.Error(w, "bad path", a.status)
	case a.status != http.StatusOK || strings.HasSuffix(a.name, ".html"):
		s.page(w, a.status, a.data, a.buildErr, a.warnings)
	default:
		if ct := mime.TypeByExtension(path.Ext(a.name)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(a.data)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(a.data)
		}
	}
}

// answer is what a request for a site page gets.
type answer struct {
	status   int
	redirect string // where to, for a redirect
	name     string // the file served, for its type
	data     []byte
	buildErr error // the last build's, for the overlay
	warnings []lint.Finding
}

// failedPage stands in for the site until a build succeeds.
var failedPage = []byte("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body></body></html>")

// lookup reads what urlPath asks for from the last good build. It holds
// the read lock while it reads, so a build cannot close the folder under
// it, and lets go before the answer is sent to a client that may be slow.
func (s *Server) lookup(urlPath string) answer {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.files == nil {
		return answer{status: http.StatusServiceUnavailable, data: failedPage, buildErr: s.buildErr}
	}
	if urlPath == "/" && s.base != "" {
		return answer{status: http.StatusFound, redirect: s.base + "/"}
	}
	name, ok := cleanName(urlPath, s.base)
	if !ok {
		return answer{status: http.StatusBadRequest}
	}
	data, err := s.files.ReadFile(name)
	if err != nil {
		if st, serr := s.files.Stat(strings.TrimSuffix(name, "/index.html")); serr == nil && st.IsDir() && !strings.HasSuffix(urlPath, "/") {
			return answer{status: http.StatusMovedPermanently, redirect: urlPath + "/"}
		}
		notFound, _ := s.files.ReadFile("404.html")
		return answer{status: http.StatusNotFound, data: notFound, buildErr: s.buildErr, warnings: s.warnings}
	}
	return answer{status: http.StatusOK, name: name, data: data, buildErr: s.buildErr, warnings: s.warnings}
}

// page writes an HTML page with the reload script and, after a failed
// build, the error overlay.
func (s *Server) page(w http.ResponseWriter, status int, data []byte, buildErr error, warnings []lint.Finding) {
	var add bytes.Buffer
	if buildErr != nil {
		add.WriteString(overlay(buildErr))
	} else if len(warnings) > 0 {
		add.WriteString(warningPanel(warnings))
	}
	add.WriteString(`<script src="` + scriptPath + `"></script>` + "\n")
	if i := bytes.LastIndex(data, []byte("</body>")); i >= 0 {
		data = append(append(append([]byte{}, data[:i]...), add.Bytes()...), data[i:]...)
	} else {
		data = append(append([]byte{}, data...), add.Bytes()...)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(data)
}

// overlay shows a failed build's errors above the last good page, one per
// line as file:line:column and message.
func overlay(err error) string {
	var b strings.Builder
	b.WriteString(`<div id="mailkb-build-error" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem">`)
	b.WriteString(`<h2 style="margin:0 0 1rem;color:#ff8080;font:inherit;font-size:1.3em">Build failed: this is the last good build, under the errors</h2><ul style="padding-left:1.2rem">`)
	var list diag.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintf(&b, `<li><strong class="pos">%s</strong>: %s</li>`, html.EscapeString(e.Pos.String()), html.EscapeString(e.Msg))
		}
	} else {
		fmt.Fprintf(&b, `<li>%s</li>`, html.EscapeString(err.Error()))
	}
	b.WriteString(`</ul><p>Fix the file and save: the page reloads by itself. <button type="button" onclick="this.closest('#mailkb-build-error').remove()">Hide</button></p></div>` + "\n")
	return b.String()
}

// warningPanel lists a good build's warnings (values not checked for a
// long time, sources nothing cites) in a corner of the page. Readers of
// the built site see a calm "last checked" date; the maintainer editing
// it sees what needs checking.
func warningPanel(ws []lint.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<details id="mailkb-warnings" style="position:fixed;right:1rem;bottom:1rem;z-index:2147483646;max-width:40rem;max-height:60vh;overflow:auto;background:#fff8c5;color:#1b1f24;border:2px solid #d4a72c;border-radius:6px;padding:.5rem 1rem;font:14px/1.4 ui-monospace,Menlo,Consolas,monospace">`)
	fmt.Fprintf(&b, `<summary><strong>%d warning%s for maintainers</strong> (./build.sh check lists them)</summary><ul style="padding-left:1.2rem">`, len(ws), plural(len(ws)))
	for _, f := range ws {
		fmt.Fprintf(&b, `<li><strong>%s</strong>: %s [%s]</li>`, html.EscapeString(f.Pos.String()), html.EscapeString(f.Message), html.EscapeString(f.Rule))
	}
	b.WriteString("</ul></details>\n")
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// CheckAddr refuses to listen beyond this machine unless public is set:
// the dev server is for the person at the keyboard.
func CheckAddr(addr string, public bool) error {
	if public {
		return nil
	}
	if addr == "localhost" {
		return nil
	}
	if ip := net.ParseIP(strings.Trim(addr, "[]")); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %q is not a loopback address: anyone who can reach it could read the site being edited; use 127.0.0.1, or add --public if that is what you want", addr)
}
