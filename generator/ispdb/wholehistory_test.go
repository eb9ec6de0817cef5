package ispdb

import (
	"context"
	"fmt"
	"html"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"mailkb/generator/autoconfig"
	"mailkb/generator/gitlog"
	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/site"
)

// TestWholeHistory imports the history of every entry of Thunderbird's
// ISP database and builds the site, then checks, for every entry and every
// year from its first commit to today, that the as-of page of its provider
// lists every host the entry listed on 1 July of that year. A second
// import changes nothing.
func TestWholeHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole database's history; skipped with -short")
	}
	repo := cloneDatabase(t)
	hs, err := gitlog.Read(context.Background(), repo, database)
	if err != nil {
		t.Fatal(err)
	}
	root := kbtest.WriteInto(t, kbtest.CopyBundled(t, "templates"), map[string]string{
		"data/site.yaml":    "title: ISPDB history\nbase_url: https://kb.example/\n",
		"data/sources.yaml": "sources: []\n",
	})
	today := time.Now().UTC()
	rep, err := ImportHistory(context.Background(), repo, nil, Options{Root: root, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	providerOf := map[string]string{}
	for _, r := range rep.Results {
		if r.Outcome != Created {
			t.Errorf("%s: %s %s", r.File, r.Outcome, r.Reason)
		}
		providerOf[r.File] = r.Provider
	}
	files, err := site.Render(site.Options{Root: root, Now: today})
	if err != nil {
		t.Fatal(err)
	}
	checked, missing := 0, 0
	for _, h := range hs {
		id := providerOf[h.Name]
		if id == "" {
			continue // no longer in the database
		}
		for year := h.Versions[0].Date.Y; year <= today.Year(); year++ {
			july := time.Date(year, 7, 1, 0, 0, 0, 0, time.UTC)
			if july.After(today) {
				continue
			}
			hosts := listedOn(t, h, july)
			if len(hosts) == 0 {
				continue
			}
			page := string(files[path.Join("providers", id, "as-of", fmt.Sprint(year), "index.html")])
			for _, host := range hosts {
				checked++
				if !strings.Contains(page, html.EscapeString(host)) {
					missing++
					if missing <= 10 {
						t.Errorf("%s on 1 July %d listed %s; the as-of page of %s does not show it", h.Name, year, host, id)
					}
				}
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d hosts missing", missing, checked)
	}
	t.Logf("%d hosts checked on 1 July of every year of %d entries", checked, len(providerOf))

	again, err := ImportHistory(context.Background(), repo, nil, Options{Root: root, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if n := again.Count(Unchanged); n != len(again.Results) {
		t.Errorf("a second import changed %d of %d files:\n%s", len(again.Results)-n, len(again.Results), summary(again))
	}

	// The plain import of today's files finds them all recorded.
	xmls, err := Files([]string{repo})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Import(context.Background(), xmls, Options{Root: root, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	// What it leaves for a person is a server it found otherwise than the
	// file gives it: there is none.
	if n := plain.Count(Unchanged); n != len(plain.Results) || strings.Contains(notesOf(plain), "left as it is") {
		t.Errorf("the plain import after the history changed %d of %d files:\n%s", len(plain.Results)-n, len(plain.Results), summary(plain))
	}
}

// TestWholeHistoryAfterPlainImport imports today's files of the whole
// database, as ./build.sh import ispdb <dir> does, then their history:
// every provider must then record what the history import alone records
// (the same settings, periods, preferences, successors and events), with
// no difference reported, since both imports read one database. A second
// history import changes nothing.
func TestWholeHistoryAfterPlainImport(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole database and its history twice; skipped with -short")
	}
	repo := cloneDatabase(t)
	today := time.Now().UTC()
	history := func(root string) *Report {
		t.Helper()
		rep, err := ImportHistory(context.Background(), repo, nil, Options{Root: root, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	alone := newKB(t)
	history(alone)
	root := newKB(t)
	files, err := Files([]string{repo})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Import(context.Background(), files, Options{Root: root, Today: today}); err != nil {
		t.Fatal(err)
	}
	rep := history(root)
	for _, r := range rep.Results {
		if r.Outcome != Changed {
			t.Errorf("%s: %s %s", r.File, r.Outcome, r.Reason)
		}
	}
	// The notes are the ones the files themselves give rise to (servers
	// left out, say), never a difference between the two imports.
	for _, word := range []string{"not merged", "left as it is", "without preferred"} {
		if strings.Contains(notesOf(rep), word) {
			t.Errorf("a difference reported between two imports of one database:\n%s", notesOf(rep))
			break
		}
	}
	load := func(root string) *model.KB {
		kb, err := loader.Load(root, loader.WithToday(today))
		if err != nil {
			t.Fatal(err)
		}
		return kb
	}
	want, got := load(alone), load(root)
	differ := 0
	for _, r := range rep.Results {
		w, g := timeline(want.Provider(r.Provider)), timeline(got.Provider(r.Provider))
		if !slices.Equal(w, g) {
			if differ++; differ <= 3 {
				t.Errorf("%s records, after the plain import and the history:\n%s\nwant, as the history alone records it:\n%s",
					r.Provider, strings.Join(g, "\n"), strings.Join(w, "\n"))
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d providers differ", differ, len(rep.Results))
	}
	if again := history(root); again.Count(Unchanged) != len(again.Results) {
		t.Errorf("a second history import:\n%s", summary(again))
	}
}

// listedOn returns the hosts the entry's version in force on day t lists,
// as the database writes them (lower case, as mailkb records them).
func listedOn(t *testing.T, h *gitlog.File, day time.Time) []string {
	var in *gitlog.Version
	for i := range h.Versions {
		if h.Versions[i].Date.Start().After(day) {
			break
		}
		in = &h.Versions[i]
	}
	if in == nil || in.Deleted() {
		return nil
	}
	cfg, err := autoconfig.Parse(in.Data)
	if err != nil {
		return nil // a version the database could not serve either
	}
	var hosts []string
	for _, ep := range cfg.Providers[:1] {
		for _, s := range append(append([]autoconfig.Server{}, ep.Incoming...), ep.Outgoing...) {
			host := strings.TrimSuffix(strings.ToLower(s.Hostname), ".")
			if host == "" {
				continue
			}
			// The database's own placeholder is kept as written.
			host = strings.ReplaceAll(host, strings.ToLower(model.DomainPlaceholder), model.DomainPlaceholder)
			hosts = append(hosts, host)
		}
	}
	return hosts
}
