package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mailkb/generator/kbtest"
	"mailkb/generator/model"
	"mailkb/generator/testenv"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) {
	code := m.Run()
	closeBrowser()
	if bundled != nil {
		bundled.server.Close()
	}
	os.Exit(code)
}

// pageKind is one page of a kind the site has.
type pageKind struct {
	kind, path string
	skipRules  []string // axe rules that do not apply to the kind
}

// pageKinds are one page of each kind, picked from the data.
func (b *bundledSite) pageKinds() []pageKind {
	p := b.provider
	kinds := []pageKind{
		{"home", "/", nil},
		{"providers", "/providers/", nil},
		{"provider", "/providers/" + p.ID + "/", nil},
		{"as-of", b.asOf, nil},
		{"guides", "/guides/", nil},
		{"guide", b.guide, nil},
		{"guide-historical", b.oldGuide, nil},
		{"clients", "/clients/", nil},
		{"client", "/clients/" + b.client.ID + "/", nil},
		{"hosts", "/hosts/", nil},
		{"host", "/hosts/" + b.oldHosts[0][0] + "/", nil},
		{"history", "/history/", nil},
		{"sources", "/sources/", nil},
		{"search", "/search/?q=" + b.oldHosts[0][0], nil},
		{"404", "/no/such/page/", nil},
		// An embed is a table for other sites' iframes, not a page: the rules
		// for a page's landmarks and headings are the host page's to meet.
		{"embed", "/embed/" + p.ID + "/", []string{"landmark-one-main", "page-has-heading-one", "region"}},
	}
	if b.article != "" {
		kinds = append(kinds, pageKind{"article", b.article, nil})
	}
	return kinds
}

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel func()
	browserErr    error
)

// tab opens a new tab in the shared headless Chromium, starting it on
// first use; the test skips when there is no Chromium.
func tab(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		exe, err := FindChromium()
		if err != nil {
			browserErr = err
			return
		}
		profile, err := os.MkdirTemp("", "mailkb-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900)}
		for _, f := range ChromiumFlags {
			opts = append(opts, chromedp.Flag(f, true))
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:], opts...)...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		if err := chromedp.Do(ctx); err != nil { // starts the browser
			browserErr = fmt.Errorf("starting %s: %w", exe, err)
		}
		browserCtx = ctx
		browserCancel = func() { cancelCtx(); cancelAlloc(); os.RemoveAll(profile) }
	})
	if browserErr != nil {
		if errors.Is(browserErr, ErrNoChromium) {
			testenv.Missing(t, "browser", "%v", browserErr)
		}
		t.Fatal(browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func closeBrowser() {
	if browserCancel != nil {
		browserCancel()
	}
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// artifacts is where screenshots go: $MAILKB_ARTIFACTS, or artifacts/
// beside this package (ignored by git).
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MAILKB_ARTIFACTS")
	if dir == "" {
		dir = "artifacts"
	}
	dir, _ = filepath.Abs(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// axeResult is what axe.run reports, cut to what a failure needs.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// runAxe runs every rule axe-core has by default (WCAG 2 A and AA, and
// best practices); %s is a list of rules to leave out.
const runAxe = `axe.run(document, {resultTypes: ["violations"], rules: %s}).then(r => r.violations.map(v => ({
  ID: v.id, Impact: v.impact || "", Help: v.help, Nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))
})))`

// TestPageKinds loads one page of each kind, light and on a 360 px phone:
// no console errors, no axe-core violations, nothing wider than the
// screen; it saves a screenshot of each.
func TestPageKinds(t *testing.T) {
	axePath, err := Axe.Find()
	if errors.Is(err, ErrNoNode) {
		testenv.Missing(t, "browser", "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	axeJS, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	b := theSite(t)
	server := b.server
	shots := artifacts(t)
	t.Logf("screenshots: %s", shots)
	for _, pk := range b.pageKinds() {
		t.Run(pk.kind, func(t *testing.T) {
			ctx := tab(t)
			consoleCtx, stopConsole := context.WithCancel(ctx)
			messages := chromedp.Console(consoleCtx)
			var errs []string
			done := make(chan struct{})
			go func() {
				defer close(done)
				for m, err := range messages {
					if err != nil {
						return
					}
					// The 404 page's own status is the one error it should log.
					if pk.kind == "404" && m.URL == server.URL+pk.path {
						continue
					}
					// An embed lives in an iframe, where browsers ask for no
					// icon; opened on its own, Chromium asks for /favicon.ico.
					if pk.kind == "embed" && strings.HasSuffix(m.URL, "/favicon.ico") {
						continue
					}
					if m.Type == chromedp.ConsoleError || m.IsException() {
						errs = append(errs, m.String())
					}
				}
			}()
			run(t, ctx, chromedp.Navigate(server.URL+pk.path))
			if pk.kind == "search" {
				run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#search-results li")))
			}
			eval[chromedp.Void](t, ctx, string(axeJS))
			off := map[string]any{}
			for _, r := range pk.skipRules {
				off[r] = map[string]bool{"enabled": false}
			}
			rules, _ := json.Marshal(off)
			violations := eval[[]axeViolation](t, ctx, fmt.Sprintf(runAxe, rules))
			for _, v := range violations {
				t.Errorf("axe: %s (%s): %s at %v", v.ID, v.Impact, v.Help, v.Nodes)
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(shots, pk.kind+".png"), shot, 0o644)

			// A 360 px phone: nothing may make the page scroll sideways.
			if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 360, Height: 740, DeviceScaleFactor: 1, Mobile: true}); err != nil {
				t.Fatal(err)
			}
			run(t, ctx, chromedp.Reload())
			if width := eval[int](t, ctx, `document.documentElement.scrollWidth`); width > 360 {
				wide := eval[[]string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 361 && !e.closest(".table-wrap, .diagram-scroll, pre")).slice(0, 5).map(e => e.tagName + "." + e.className)`)
				t.Errorf("at 360 px the page is %d px wide; widest: %v", width, wide)
			}
			shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(shots, pk.kind+"-360.png"), shot, 0o644)

			time.Sleep(100 * time.Millisecond) // let late messages arrive
			stopConsole()
			<-done
			for _, e := range errs {
				t.Errorf("console: %s", e)
			}
		})
	}
}

// TestCopyButton clicks the Copy button beside the first server name of
// the quick reference and reads the clipboard.
func TestCopyButton(t *testing.T) {
	b := theSite(t)
	server := b.server
	ctx := tab(t)
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
			Setting:    browser.PermissionSettingGranted, Origin: server.URL})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(server.URL+"/providers/"+b.provider.ID+"/"),
		chromedp.Click(chromedp.CSS(`table.settings a.host + button.copy`), chromedp.NodeVisible),
		chromedp.WaitReady(chromedp.CSS(`table.settings button.copy[data-copied]`)))
	host := eval[string](t, ctx, `document.querySelector("table.settings a.host").textContent`)
	copied := eval[string](t, ctx, `document.querySelector("table.settings button.copy[data-copied]").dataset.copied`)
	clip := eval[string](t, ctx, `navigator.clipboard.readText()`)
	if copied != host || clip != host || !kbtest.HasCurrent(&model.KB{Providers: []*model.Provider{b.provider}}, host) {
		t.Errorf("copied %q, clipboard %q; want the first server of the quick reference, %q, a current server of %s", copied, clip, host, b.provider.ID)
	}
	counts := eval[map[string]int](t, ctx, `({buttons: document.querySelectorAll("button.copy").length, blocks: document.querySelectorAll(".code-wrap button.copy").length})`)
	if counts["buttons"] < 6 || counts["blocks"] == 0 {
		t.Errorf("copy buttons: %v; want one per server name and port and one per code block", counts)
	}
}

// TestSearch types old host names into the search page, whole and cut
// short: each finds its host page and the current replacement. A mail
// program's name finds the program.
func TestSearch(t *testing.T) {
	b := theSite(t)
	server := b.server
	ctx := tab(t)
	type query struct {
		query string
		want  []string // result links, in this order
	}
	whole, cut := b.oldHosts[0], b.oldHosts[len(b.oldHosts)-1]
	tests := []query{
		{whole[0], []string{"/hosts/" + whole[0] + "/", "/hosts/" + whole[1] + "/"}},
		{cut[0][:strings.LastIndex(cut[0], ".")], []string{"/hosts/" + cut[0] + "/", "/hosts/" + cut[1] + "/"}},
		{strings.ToLower(b.client.Name), []string{"/clients/" + b.client.ID + "/"}},
	}
	run(t, ctx, chromedp.Navigate(server.URL+"/search/"), chromedp.WaitReady(chromedp.CSS("#search-q")))
	for _, tt := range tests {
		eval[chromedp.Void](t, ctx, `document.getElementById("search-q").value = ""`)
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#search-q"), tt.query),
			chromedp.WaitVisible(chromedp.CSS("#search-results li")))
		links := eval[[]string](t, ctx, `[...document.querySelectorAll("#search-results li a")].map(a => a.getAttribute("href"))`)
		at := 0
		for _, w := range tt.want {
			i := indexFrom(links, w, at)
			if i < 0 {
				t.Errorf("%q: results %v lack %s (in this order: %v)", tt.query, links, w, tt.want)
				break
			}
			at = i
		}
		if hidden := eval[bool](t, ctx, `document.getElementById("search-all").hidden`); !hidden {
			t.Errorf("%q: the full list is still shown beside the results", tt.query)
		}
	}
	// The header's search box on any page leads to the same results.
	run(t, ctx, chromedp.Navigate(server.URL+"/"), chromedp.SendKeys(chromedp.CSS("#site-search-q"), whole[0]+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`#search-results a[href="/hosts/`+whole[1]+`/"]`)))
}

func indexFrom(list []string, s string, from int) int {
	for i := from; i < len(list); i++ {
		if list[i] == s {
			return i
		}
	}
	return -1
}

// TestDarkMode emulates the system's colour scheme and checks the colours
// the page and its diagram take.
func TestDarkMode(t *testing.T) {
	b := theSite(t)
	ctx := tab(t)
	run(t, ctx, chromedp.Navigate(b.server.URL+"/providers/"+b.provider.ID+"/"))
	tests := []struct{ scheme, bg, fg string }{
		{"light", "rgb(255, 255, 255)", "rgb(27, 31, 36)"},
		{"dark", "rgb(13, 17, 23)", "rgb(230, 237, 243)"},
	}
	for _, tt := range tests {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: tt.scheme}}})
		if err != nil {
			t.Fatal(err)
		}
		got := eval[map[string]string](t, ctx, `({bg: getComputedStyle(document.body).backgroundColor,
			fg: getComputedStyle(document.body).color,
			svg: getComputedStyle(document.querySelector(".diagram svg text")).fill})`)
		if got["bg"] != tt.bg || got["fg"] != tt.fg || got["svg"] != tt.fg {
			t.Errorf("%s: background %s, text %s, diagram text %s; want %s, %s, %s", tt.scheme, got["bg"], got["fg"], got["svg"], tt.bg, tt.fg, tt.fg)
		}
	}
}

// TestPrint checks the print style: the page's own content without the
// site's navigation, search box and copy buttons.
func TestPrint(t *testing.T) {
	b := theSite(t)
	ctx := tab(t)
	run(t, ctx, chromedp.Navigate(b.server.URL+b.guide), chromedp.WaitReady(chromedp.CSS("button.copy")))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	shown := eval[map[string]bool](t, ctx, `Object.fromEntries(["header nav", ".site-search", "button.copy", ".site-footer", "main h1", "table.settings"].map(
		s => [s, getComputedStyle(document.querySelector(s)).display !== "none"]))`)
	for sel, want := range map[string]bool{"header nav": false, ".site-search": false, "button.copy": false, ".site-footer": false, "main h1": true, "table.settings": true} {
		if shown[sel] != want {
			t.Errorf("in print, %s shown = %v, want %v", sel, shown[sel], want)
		}
	}
}

// TestWithoutJavaScript checks that pages lose nothing but the extras:
// no dead buttons, and the search page is a plain list.
func TestWithoutJavaScript(t *testing.T) {
	b := theSite(t)
	server := b.server
	ctx := tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(server.URL+"/providers/"+b.provider.ID+"/"), chromedp.WaitVisible(chromedp.CSS("table.settings")))
	if n, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll("button.copy"), chromedp.AtLeast(0))); err != nil || len(n) != 0 {
		t.Errorf("%d copy buttons without JavaScript (%v)", len(n), err)
	}
	old := b.oldHosts[0][0]
	run(t, ctx, chromedp.Navigate(server.URL+"/search/?q="+old),
		chromedp.WaitVisible(chromedp.CSS(`#search-all a[href="/hosts/`+old+`/"]`)))
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(artifacts(t), "search-no-js.png"), shot, 0o644)
}

var linkPattern = regexp.MustCompile(`(?:href|src)="(/[^"]*)"`)

// TestLinksOverHTTP follows every internal link from the home page, as a
// link checker on the served site would, and so reaches every page.
func TestLinksOverHTTP(t *testing.T) {
	b := theSite(t)
	server := b.server
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	client := &http.Client{Timeout: 10 * time.Second}
	for len(queue) > 0 {
		page := queue[0]
		queue = queue[1:]
		resp, err := client.Get(server.URL + page)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: HTTP %d", page, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range linkPattern.FindAllSubmatch(body, -1) {
			link, _, _ := strings.Cut(string(m[1]), "#")
			if !seen[link] {
				seen[link] = true
				queue = append(queue, link)
			}
		}
	}
	for name := range b.files {
		if p := "/" + strings.TrimSuffix(name, "index.html"); strings.HasSuffix(name, ".html") && name != "404.html" && !seen[p] {
			t.Errorf("no link leads to %s", p)
		}
	}
}

// vnuMessage is one finding of the Nu HTML checker's JSON output.
type vnuMessage struct {
	Type, SubType, URL, Message, Extract string
	LastLine                             int
}

// TestHTMLValidates runs the W3C Nu HTML checker on every HTML page of the
// site, and on the stylesheet, in one run of java.
func TestHTMLValidates(t *testing.T) {
	java, err := exec.LookPath("java")
	if err != nil {
		testenv.Missing(t, "html-checker", "java not found: the Nu HTML checker needs it (Debian: default-jre-headless, as .ci/run installs)")
	}
	jar, err := VNU.Find()
	if errors.Is(err, ErrNoNode) {
		testenv.Missing(t, "html-checker", "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var names []string
	for name, data := range theSite(t).files {
		if !strings.HasSuffix(name, ".html") && name != "css/site.css" {
			continue
		}
		if strings.HasSuffix(name, "fragment.html") {
			continue // an HTML fragment for other sites to include, not a document
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	start := time.Now()
	cmd := exec.Command(java, "-jar", jar, "--errors-only", "--format", "json", "--also-check-css", dir)
	out, _ := cmd.CombinedOutput() // exits 1 when it finds errors; the JSON says which
	var report struct{ Messages []vnuMessage }
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu output is not JSON (%v):\n%s", err, out)
	}
	for _, m := range report.Messages {
		file := strings.TrimPrefix(strings.TrimPrefix(m.URL, "file:"), dir+"/")
		t.Errorf("%s:%d: %s %s: %s (%q)", file, m.LastLine, m.Type, m.SubType, m.Message, m.Extract)
	}
	t.Logf("checked %d files with the Nu HTML checker in %s", len(names), time.Since(start).Round(time.Millisecond))
}
