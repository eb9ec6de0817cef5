// Package browsertest checks the built site as a reader's browser shows it:
// its tests render the bundled knowledge base, serve it on 127.0.0.1 and
// drive headless Chromium over the DevTools protocol (chromedp) — copy
// buttons, search, dark mode, a 360 px screen, pages without JavaScript,
// the console, axe-core's accessibility rules — and run the W3C Nu HTML
// checker (vnu.jar) on every page. Screenshots of each page kind are
// written to an artifacts folder.
//
// What the tests need is found here: Chromium on the PATH (Debian's
// chromium), java for vnu.jar, and tools/browser/node_modules (npm ci in
// tools/browser). .ci/run installs all three; a test skips, saying why,
// only when Chromium, node or java cannot be found at all.
package browsertest

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// RepoRoot is the repository, seen from this package's folder (where go
// test runs its tests).
const RepoRoot = "../.."

// FindChromium returns the Chromium (or Chrome) binary to drive: the one
// in $CHROMIUM if set, else the first of the usual names on the PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// ErrNoChromium means no browser was found: a reason to skip, not to fail.
var ErrNoChromium = errors.New("no Chromium found (looked for chromium, chromium-browser and google-chrome on the PATH, and $CHROMIUM): install Debian's chromium package, as .ci/run does")

// ChromiumFlags are the switches Chromium needs here: headless as root, no
// GPU, and none of its own network traffic (updates, sync, QUIC), which
// this machine's closed network refuses.
var ChromiumFlags = []string{"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync"}

// Tool is a file that npm ci installs into tools/browser/node_modules.
type Tool string

// The tools the tests load.
const (
	Axe Tool = "axe-core/axe.min.js"
	VNU Tool = "vnu-jar/build/dist/vnu.jar"
)

// ErrNoNode means node_modules is missing and npm is not installed, so
// the tool cannot be had: a reason to skip, not to fail.
var ErrNoNode = errors.New("npm is not installed, so tools/browser/node_modules cannot be installed")

// Find returns the path of an npm-installed tool. Missing while npm is
// there is a setup error: run npm ci in tools/browser.
func (t Tool) Find() (string, error) {
	p := filepath.Join(RepoRoot, "tools", "browser", "node_modules", filepath.FromSlash(string(t)))
	if _, err := os.Stat(p); err == nil {
		return filepath.Abs(p)
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", ErrNoNode
	}
	return "", fmt.Errorf("%s is not installed: run `npm ci --ignore-scripts --prefix tools/browser` (./build.sh test and .ci/run do)", p)
}

// Handler serves a rendered site from memory as a static host would:
// folder paths get their index.html, a folder without its slash is
// redirected, and anything else missing gets 404.html with status 404.
func Handler(files map[string][]byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" || name == "." || strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		data, ok := files[name]
		if !ok {
			if _, dir := files[path.Join(name, "index.html")]; dir {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(files["404.html"])
			return
		}
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Write(data)
	})
}
