package browsertest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"mailkb/generator/model"
)

// TestSettingsWithinTwoClicks starts on the home page, as a reader does,
// and for every provider with a current IMAP server follows the links to
// a page that shows that server: the provider's link on the home page,
// then, if the page it opens does not show the server, one more link.
func TestSettingsWithinTwoClicks(t *testing.T) {
	b := theSite(t)
	checked := 0
	for _, p := range b.kb.Providers {
		e := currentHost(p, model.IMAP)
		if e == nil {
			continue
		}
		checked++
		t.Run(p.ID, func(t *testing.T) {
			ctx := tab(t)
			run(t, ctx, chromedp.Navigate(b.server.URL+"/"))
			// Click 1: the provider, by its name, among the home page's links.
			href := eval[string](t, ctx, `(() => { const a = [...document.querySelectorAll("main a")].find(a => a.textContent.trim() === `+jsString(p.Name)+`); return a ? a.getAttribute("href") : ""; })()`)
			if href == "" {
				t.Fatalf("the home page has no link named %q", p.Name)
			}
			run(t, ctx, chromedp.Click(chromedp.CSS(`main a[href="`+href+`"]`)), chromedp.WaitReady(chromedp.CSS("footer")))
			shows := `[...document.querySelectorAll("table.settings tr")].some(r => r.querySelector("th") && r.querySelector("th").textContent.includes("IMAP") && r.textContent.includes(` + jsString(e.Host) + `))`
			if eval[bool](t, ctx, shows) {
				return
			}
			t.Errorf("%s: one click from the home page, %s shows no IMAP row with %s", p.Name, href, e.Host)
		})
	}
	if checked == 0 {
		t.Fatal("no provider of the bundled data has a current IMAP server")
	}
}

// TestCurrentGuidesLeadWithSignIn opens every guide of today's settings on
// a 390 px phone: the sign-in route (what works today, or the checklist's
// sign-in line) comes before any table of server settings. It saves a
// screenshot of each, the guides a reader meets first, under
// artifacts/guides/.
func TestCurrentGuidesLeadWithSignIn(t *testing.T) {
	b := theSite(t)
	shots := filepath.Join(artifacts(t), "guides")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	var guides []string
	for name := range b.files {
		if parts := strings.Split(name, "/"); len(parts) == 5 && parts[0] == "guides" && parts[4] == "index.html" {
			guides = append(guides, "/"+strings.TrimSuffix(name, "index.html"))
		}
	}
	sort.Strings(guides)
	current := 0
	ctx := tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 1, Mobile: true}); err != nil {
		t.Fatal(err)
	}
	for _, g := range guides {
		run(t, ctx, chromedp.Navigate(b.server.URL+g), chromedp.WaitReady(chromedp.CSS("footer")))
		if eval[bool](t, ctx, `!!document.querySelector("main .historical")`) {
			continue
		}
		current++
		// The first element naming a sign-in route, and the first settings
		// table, in document order.
		order := eval[string](t, ctx, `(() => {
  const route = [...document.querySelectorAll("main .ways li, main .ways p, main .checklist li")].find(e => /sign[ -]in/i.test(e.textContent));
  const table = document.querySelector("main table");
  if (!route) return "no sign-in route";
  if (!table) return "ok";
  return route.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING ? "ok" : "table first";
})()`)
		if order != "ok" {
			t.Errorf("%s: %s", g, order)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		name := strings.ReplaceAll(strings.Trim(strings.TrimPrefix(g, "/guides/"), "/"), "/", "-") + ".png"
		if err := os.WriteFile(filepath.Join(shots, name), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if current == 0 {
		t.Fatal("the bundled site has no guide of today's settings")
	}
	t.Logf("%d current guides checked; screenshots in %s", current, shots)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
