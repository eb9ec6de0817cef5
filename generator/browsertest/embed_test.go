package browsertest

import (
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mailkb/generator/model"
)

// foreignPage is another site that embeds mailkb's table twice: in an
// iframe and through the web component. It styles tables loudly, so a
// leak in either direction shows.
const foreignPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Another site</title>
<style>table { border: 7px solid rgb(255, 0, 0); } caption { color: rgb(0, 128, 0); }</style></head><body>
<h1>Another site</h1>
<iframe id="frame" src="MAILKB/embed/PROVIDER/" title="NAME settings" style="width:100%;height:260px;border:0"></iframe>
<script src="MAILKB/embed/mailkb-settings.js" defer></script>
<mailkb-settings id="component" provider="PROVIDER" protocol="imap"><a href="MAILKB/providers/PROVIDER/">NAME settings</a></mailkb-settings>
<table id="own"><caption>The host's own table</caption><tr><td>cell</td></tr></table>
</body></html>`

// TestEmbedOnForeignPage serves the site under a sub-path (/kb/), as a
// host would that publishes it in a folder, and a page of another origin
// that embeds it; the embeds must render, and styles must stay apart.
func TestEmbedOnForeignPage(t *testing.T) {
	b := theSite(t)
	p := b.provider
	imap, smtp := currentHost(p, model.IMAP), currentHost(p, model.SMTP)
	mailkb := http.NewServeMux()
	mailkb.Handle("/kb/", http.StripPrefix("/kb", cors(Handler(b.files))))
	site := httptest.NewServer(mailkb)
	defer site.Close()
	page := strings.NewReplacer("MAILKB", site.URL+"/kb", "PROVIDER", p.ID, "NAME", html.EscapeString(p.Name)).Replace(foreignPage)
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	defer foreign.Close()

	ctx := tab(t)
	run(t, ctx, chromedp.Navigate(foreign.URL))
	// The component replaces its fallback link with a table in its shadow root.
	host := eval[string](t, ctx, `new Promise((resolve, reject) => {
		const deadline = Date.now() + 10000;
		(function poll() {
			const root = document.getElementById("component").shadowRoot;
			const td = root && root.querySelector("td code");
			if (td) return resolve(td.textContent);
			if (Date.now() > deadline) return reject("the component rendered no table");
			setTimeout(poll, 50);
		})();
	})`)
	if host != imap.Host {
		t.Errorf("component shows host %q, want %s, the current IMAP server", host, imap.Host)
	}
	style := eval[map[string]string](t, ctx, `(() => {
		const root = document.getElementById("component").shadowRoot;
		return {
			component: getComputedStyle(root.querySelector("table")).borderTopWidth,
			caption: getComputedStyle(root.querySelector("caption")).color,
			own: getComputedStyle(document.getElementById("own")).borderTopColor,
			link: root.querySelector("a").href,
		};
	})()`)
	if style["component"] == "7px" || style["caption"] == "rgb(0, 128, 0)" {
		t.Errorf("the host page's table style leaked into the component: %v", style)
	}
	if style["own"] != "rgb(255, 0, 0)" {
		t.Errorf("the embed changed the host page's own table: %v", style)
	}
	if !strings.HasPrefix(style["link"], "https://") {
		t.Errorf("the component's link back is %q, want the canonical page", style["link"])
	}

	// The iframe: its document is another origin's, so read it through
	// the browser's frame tree rather than from the host page's script.
	var frameText string
	frames, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("#frame"), chromedp.NodeReady))
	if err != nil || len(frames) == 0 {
		t.Fatalf("no iframe: %v", err)
	}
	frameText, err = chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("table"), chromedp.FromNode(frames[0])))
	if err != nil {
		t.Fatalf("reading the iframe: %v", err)
	}
	for _, want := range []string{imap.Host, strconv.Itoa(imap.Port), smtp.Host, strconv.Itoa(smtp.Port)} {
		if !strings.Contains(frameText, want) {
			t.Errorf("the iframe's table lacks %q: %q", want, frameText)
		}
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(artifacts(t), "embed-foreign-page.png"), shot, 0o644)
}

// cors allows other sites' scripts to read the files, as the README asks
// of hosts that publish the JSON API for the web component.
func cors(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		h.ServeHTTP(w, r)
	})
}
