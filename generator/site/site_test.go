package site

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden pages in testdata/golden")

// repoRoot is the bundled knowledge base.
const repoRoot = "../.."

// buildDay pins "today" so that stale notices and guide eras are stable.
var buildDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func renderBundled(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := Render(Options{Root: repoRoot, Now: buildDay})
	if err != nil {
		t.Fatalf("bundled site does not build:\n%v", err)
	}
	return files
}

// TestURLContract checks that the pages later features link to exist.
func TestURLContract(t *testing.T) {
	files := renderBundled(t)
	want := []string{
		"index.html", "404.html", "sitemap.xml", "feed.xml", "css/site.css",
		"providers/index.html", "providers/outlook-com/index.html", "providers/microsoft-365/index.html",
		"guides/index.html", "guides/outlook-express/outlook-com/pop3/index.html",
		"clients/index.html", "hosts/index.html", "history/index.html", "sources/index.html",
		"hosts/pop3.live.com/index.html", "hosts/smtp.live.com/index.html", "hosts/imap-mail.outlook.com/index.html",
		"hosts/outlook.office365.com/index.html", "hosts/smtp-mail.outlook.com/index.html",
		"hosts/smtp.office365.com/index.html", "hosts/services.msn.com/index.html",
	}
	for _, c := range []string{"outlook-2007", "outlook-2010", "outlook-2013", "outlook-2016", "outlook-express",
		"windows-live-mail", "ios-mail", "thunderbird", "apple-mail", "new-outlook-windows", "outlook-mac"} {
		want = append(want, "clients/"+c+"/index.html")
	}
	for _, f := range want {
		if files[f] == nil {
			t.Errorf("missing %s", f)
		}
	}
}

var hrefPattern = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
var idPattern = regexp.MustCompile(`id="([^"]*)"`)

// TestLinks follows every internal link and anchor, and checks that every
// page can be reached from the home page.
func TestLinks(t *testing.T) {
	files := renderBundled(t)
	ids := map[string]map[string]bool{}
	for name, body := range files {
		if strings.HasSuffix(name, ".html") {
			ids[name] = map[string]bool{}
			for _, m := range idPattern.FindAllSubmatch(body, -1) {
				ids[name][string(m[1])] = true
			}
		}
	}
	reached := map[string]bool{"index.html": true}
	queue := []string{"index.html"}
	for len(queue) > 0 {
		page := queue[0]
		queue = queue[1:]
		for _, m := range hrefPattern.FindAllSubmatch(files[page], -1) {
			link := string(m[1])
			if strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "https://") {
				continue
			}
			path, frag, _ := strings.Cut(link, "#")
			file := page
			if path != "" {
				if !strings.HasPrefix(path, "/") {
					t.Errorf("%s: relative link %q; use site paths", page, link)
					continue
				}
				file = target(path)
			}
			if files[file] == nil {
				t.Errorf("%s: broken link %q", page, link)
				continue
			}
			if frag != "" && strings.HasSuffix(file, ".html") && !ids[file][frag] {
				t.Errorf("%s: link %q names an anchor that %s does not have", page, link, file)
			}
			if strings.HasSuffix(file, ".html") && !reached[file] {
				reached[file] = true
				queue = append(queue, file)
			}
		}
	}
	for name := range files {
		if strings.HasSuffix(name, ".html") && name != "404.html" && !reached[name] {
			t.Errorf("%s cannot be reached from the home page", name)
		}
	}
}

// TestDeterministic builds twice and compares every byte.
func TestDeterministic(t *testing.T) {
	a, b := renderBundled(t), renderBundled(t)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestSeedFacts checks that the facts from the four seed pages, their
// disagreements and their errors, are on the site with their sources.
func TestSeedFacts(t *testing.T) {
	files := renderBundled(t)
	page := string(files["providers/outlook-com/index.html"])
	for _, want := range []string{
		"pop3.live.com", "pop.live.com", "smtp.live.com", "imap-mail.outlook.com", "outlook.office365.com",
		"smtp-mail.outlook.com", "smtp.office365.com", "services.msn.com", // every host of every era
		"pop3.live.vom", "smtp.outlook.com", // errata
		"16 September 2024", "300", "Sync email", "App password", // versioned facts
		"Ask Leo!", "FreeEmailTutorials.com", "ScaledMail", // sources
		"What stands:", // disputes say which claim stands
	} {
		if !strings.Contains(page, want) {
			t.Errorf("provider page lacks %q", want)
		}
	}
	host := string(files["hosts/pop3.live.vom/index.html"])
	if !strings.Contains(host, "Not a real setting") || !strings.Contains(host, "pop3.live.com") {
		t.Errorf("the typo's host page does not point to the right host")
	}
	oe := string(files["guides/outlook-express/outlook-com/pop3/index.html"])
	for _, want := range []string{"pop3.live.com", "Historical guide", "current Outlook.com settings"} {
		if !strings.Contains(oe, want) {
			t.Errorf("Outlook Express POP3 guide lacks %q", want)
		}
	}
}

func TestFeedAndSitemap(t *testing.T) {
	files := renderBundled(t)
	var feed atomFeed
	if err := xml.Unmarshal(files["feed.xml"], &feed); err != nil {
		t.Fatalf("feed.xml is not well-formed: %v", err)
	}
	if len(feed.Entries) == 0 {
		t.Fatal("feed has no entries")
	}
	if !sort.SliceIsSorted(feed.Entries, func(i, j int) bool { return feed.Entries[i].Updated > feed.Entries[j].Updated }) {
		t.Error("feed entries are not newest first")
	}
	if feed.Updated != feed.Entries[0].Updated {
		t.Errorf("feed updated %s, newest entry %s", feed.Updated, feed.Entries[0].Updated)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml is not well-formed: %v", err)
	}
	pages := 0
	for name := range files {
		if strings.HasSuffix(name, ".html") && name != "404.html" && !strings.HasPrefix(name, "embed/") {
			pages++
		}
	}
	if len(sm.URLs) != pages {
		t.Errorf("sitemap lists %d URLs for %d pages", len(sm.URLs), pages)
	}
}

// TestGolden compares representative pages with reviewed copies.
func TestGolden(t *testing.T) {
	files := renderBundled(t)
	for _, page := range []string{
		"providers/outlook-com/index.html",
		"guides/outlook-express/outlook-com/pop3/index.html",
		"guides/thunderbird/outlook-com/imap/index.html",
		"hosts/pop3.live.com/index.html",
		"history/index.html",
	} {
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(strings.TrimSuffix(page, "/index.html"), "/", "_")+".html")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, files[page], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./generator/site -update to create it)", err)
		}
		if !bytes.Equal(files[page], want) {
			t.Errorf("%s differs from %s; if the change is intended, run go test ./generator/site -update and review the diff", page, golden)
		}
	}
}
