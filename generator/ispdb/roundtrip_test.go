package ispdb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mailkb/generator/autoconfig"
	"mailkb/generator/export"
	"mailkb/generator/model"
	"mailkb/generator/urls"
)

// The round trip: an ISPDB file imported into an empty knowledge base and
// exported again as Thunderbird autoconfig must give back every server as
// the file has it, for each of its domains: type, host, port, socket type,
// user name, authentication in order and web addresses, compared as
// TestWholeDatabase compares them (wholedb_test.go), and the same domains,
// display name and enable URL. The first server of each protocol is the
// preferred endpoint.
func TestRoundTrip(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range entries {
		file := entry.Name()
		if !strings.HasSuffix(file, ".xml") {
			continue
		}
		t.Run(file, func(t *testing.T) {
			src, err := decodeLenient(fixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			orig, err := autoconfig.Parse(fixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			ep := orig.Providers[0]

			root := newKB(t)
			rep := runImport(t, root, filepath.Join("testdata", file))
			r := result(t, rep, file)
			if r.Outcome != Created {
				t.Fatalf("%s", summary(rep))
			}
			kb := loadChecked(t, root)
			p := kb.Provider(r.Provider)
			seen := map[model.Protocol]bool{}
			for _, e := range p.Endpoints {
				if e.Preferred == seen[e.Protocol] {
					t.Errorf("%s: preferred is %v, but it is the file's %s %s server", e.ID, e.Preferred, map[bool]string{true: "second or later", false: "first"}[seen[e.Protocol]], e.Protocol)
				}
				seen[e.Protocol] = true
			}

			files, err := export.Files(kb, export.Options{URLs: urls.New("https://mailkb.example/"), Today: today})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ep.Domains {
				data, ok := files[strings.TrimPrefix(urls.New("https://mailkb.example/").Autoconfig(strings.ToLower(d)), "/")]
				if !ok {
					t.Fatalf("no autoconfig file for %s", d)
				}
				got, err := decodeLenient(data)
				if err != nil {
					t.Fatalf("the exported autoconfig for %s does not parse: %v", d, err)
				}
				sp, gp := src.Providers[0], got.Providers[0]
				if diffs := append(compareServers("incomingServer", sp.Incoming, gp.Incoming), compareServers("outgoingServer", sp.Outgoing, gp.Outgoing)...); len(diffs) > 0 {
					t.Errorf("exported for %s:\n    %s", d, strings.Join(diffs, "\n    "))
				}
				back, err := autoconfig.Parse(data)
				if err != nil {
					t.Fatal(err)
				}
				bp := back.Providers[0]
				if !slices.Equal(bp.Domains, lower(ep.Domains)) {
					t.Errorf("exported domains %q, want %q", bp.Domains, ep.Domains)
				}
				if bp.DisplayName != ep.DisplayName {
					t.Errorf("exported displayName %q, want %q", bp.DisplayName, ep.DisplayName)
				}
				if visit := enableURL(orig); visit != enableURL(back) {
					t.Errorf("exported enable visiturl %q, want %q", enableURL(back), visit)
				}
			}
		})
	}
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

// enableURL is where a file sends the user to switch access on.
func enableURL(c *autoconfig.Config) string {
	for _, es := range [][]autoconfig.Enable{c.Providers[0].Enable, c.Enable} {
		if len(es) > 0 {
			return es[0].VisitURL
		}
	}
	return ""
}
