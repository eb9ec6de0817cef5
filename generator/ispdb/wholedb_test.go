package ispdb

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"mailkb/generator/export"
	"mailkb/generator/kbtest"
	"mailkb/generator/testenv"
	"mailkb/generator/urls"
)

// The whole of Thunderbird's ISP database, imported into an empty
// knowledge base in one run and exported again as autoconfig files: every
// server of every file must come back as the file gives it. The database
// is the git bundle beside the repository (../shared/data, which CI has
// too); docs/import.md ("The whole database") lists the files that differ
// and why.

// bundlePath is the bundle of thunderbird/autoconfig, from this package.
const bundlePath = "../../../shared/data/thunderbird-autoconfig.bundle"

// minIdentical is the share of files that must come back identical.
const minIdentical = 0.98

// knownDifferences are the files whose export differs from the source,
// each with the reason; docs/import.md lists the same files. A file that
// differs and is not here fails the test, and so does one that is here and
// no longer differs.
var knownDifferences = map[string]string{}

// The config-v1.1 server as the comparison reads it, declared apart from
// the importer's and the exporter's types, and decoded leniently (a bare
// & is the character, as the importer reads it) so that no parser of the
// code under test decides what a file says.
type dbConfig struct {
	Providers []struct {
		Domains  []string   `xml:"domain"`
		Incoming []dbServer `xml:"incomingServer"`
		Outgoing []dbServer `xml:"outgoingServer"`
	} `xml:"emailProvider"`
}

type dbServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           string   `xml:"port"`
	SocketType     string   `xml:"socketType"`
	Username       string   `xml:"username"`
	Authentication []string `xml:"authentication"`
	URL            string   `xml:"url"`
	OWAURL         string   `xml:"owaURL"`
	EWSURL         string   `xml:"ewsURL"`
}

func decodeLenient(data []byte) (*dbConfig, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	var c dbConfig
	if err := d.Decode(&c); err != nil {
		return nil, err
	}
	if len(c.Providers) == 0 {
		return nil, fmt.Errorf("no emailProvider")
	}
	return &c, nil
}

// oldAuthNames are the format's earlier names of the two password methods.
var oldAuthNames = map[string]string{"plain": "password-cleartext", "secure": "password-encrypted"}

// fields are what the comparison reads of a server, normalised only where
// the format says two spellings are one: white space around values, the
// case of type and socketType, and the old authentication names.
func (s dbServer) fields() [][2]string {
	auth := make([]string, len(s.Authentication))
	for i, a := range s.Authentication {
		a = strings.TrimSpace(a)
		if n, ok := oldAuthNames[a]; ok {
			a = n
		}
		auth[i] = a
	}
	return [][2]string{
		{"type", strings.ToLower(strings.TrimSpace(s.Type))},
		{"hostname", strings.TrimSpace(s.Hostname)},
		{"port", strings.TrimSpace(s.Port)},
		{"socketType", strings.ToLower(strings.TrimSpace(s.SocketType))},
		{"username", strings.TrimSpace(s.Username)},
		{"authentication", strings.Join(auth, ", ")},
		{"url", strings.TrimSpace(s.URL)},
		{"owaURL", strings.TrimSpace(s.OWAURL)},
		{"ewsURL", strings.TrimSpace(s.EWSURL)},
	}
}

// compareServers lists how the exported servers of one kind differ from
// the source's, server by server in order.
func compareServers(kind string, src, got []dbServer) []string {
	var out []string
	for i := range max(len(src), len(got)) {
		switch {
		case i >= len(got):
			out = append(out, fmt.Sprintf("%s %d (%s %s): missing from the export", kind, i+1, src[i].Type, src[i].Hostname+src[i].URL))
			continue
		case i >= len(src):
			out = append(out, fmt.Sprintf("%s %d (%s %s): in the export only", kind, i+1, got[i].Type, got[i].Hostname+got[i].URL))
			continue
		}
		sf, gf := src[i].fields(), got[i].fields()
		for j := range sf {
			if sf[j][1] != gf[j][1] {
				out = append(out, fmt.Sprintf("%s %d (%s): %s is %q in the file, %q in the export", kind, i+1, sf[0][1], sf[j][0], sf[j][1], gf[j][1]))
			}
		}
	}
	return out
}

// cloneDatabase clones the bundle into a temp folder and returns its
// ispdb/ folder, or skips the test saying what is missing.
func cloneDatabase(t testing.TB) string {
	t.Helper()
	bundle, err := filepath.Abs(bundlePath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bundle); err != nil {
		testenv.Missing(t, "ispdb-bundle", "the whole-database tests need Thunderbird's ISP database at %s (the shared folder beside the repository): %v", bundle, err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		testenv.Missing(t, "ispdb-bundle", "the whole-database tests need git to clone %s: %v", bundle, err)
	}
	dir := filepath.Join(t.TempDir(), "autoconfig")
	if out, err := exec.Command("git", "clone", "--quiet", bundle, dir).CombinedOutput(); err != nil {
		t.Fatalf("git clone %s: %v\n%s", bundle, err, out)
	}
	return filepath.Join(dir, "ispdb")
}

// TestWholeDatabase imports every file of the ISP database at the bundle's
// HEAD into an empty knowledge base, as ./build.sh import ispdb <dir> does,
// checks the result, exports autoconfig and compares, for each file, every
// server with what the export gives for the file's first domain.
func TestWholeDatabase(t *testing.T) {
	dir := cloneDatabase(t)
	root := newKB(t)
	rep := runImport(t, root, dir)
	kb := loadChecked(t, root)
	files, err := export.Files(kb, export.Options{URLs: urls.New("https://mailkb.example/"), Today: today})
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]Result{}
	for _, r := range rep.Results {
		results[r.File] = r
	}

	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no files in %s (%v)", dir, err)
	}
	sort.Strings(names)
	diffs := map[string][]string{}
	for _, path := range names {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src, err := decodeLenient(data)
		if err != nil {
			diffs[name] = []string{"the file does not parse: " + err.Error()}
			continue
		}
		ep := src.Providers[0]
		if len(ep.Domains) == 0 {
			diffs[name] = []string{"the file lists no domain"}
			continue
		}
		domain := strings.ToLower(strings.TrimSpace(ep.Domains[0]))
		out, ok := files[strings.TrimPrefix(urls.New("https://mailkb.example/").Autoconfig(domain), "/")]
		if !ok {
			r := results[name]
			why := slices.DeleteFunc(append([]string{r.Reason}, r.Notes...), func(s string) bool { return s == "" })
			diffs[name] = []string{fmt.Sprintf("no autoconfig file for %s: the import %s it (%s)", domain, r.Outcome, strings.Join(why, "; "))}
			continue
		}
		got, err := decodeLenient(out)
		if err != nil {
			t.Fatalf("the export for %s does not parse: %v", domain, err)
		}
		d := append(compareServers("incomingServer", ep.Incoming, got.Providers[0].Incoming),
			compareServers("outgoingServer", ep.Outgoing, got.Providers[0].Outgoing)...)
		if len(d) > 0 {
			diffs[name] = d
		}
	}

	identical := len(names) - len(diffs)
	t.Logf("%d of %d files of Thunderbird's ISP database come back identical (%.1f%%)", identical, len(names), 100*float64(identical)/float64(len(names)))
	var unknown []string
	for _, name := range slices.Sorted(maps.Keys(diffs)) {
		why, known := knownDifferences[name]
		if known {
			t.Logf("%s differs, as docs/import.md says (%s):\n    %s", name, why, strings.Join(diffs[name], "\n    "))
			continue
		}
		unknown = append(unknown, name)
		t.Errorf("%s differs:\n    %s", name, strings.Join(diffs[name], "\n    "))
	}
	for _, name := range slices.Sorted(maps.Keys(knownDifferences)) {
		if diffs[name] == nil {
			t.Errorf("%s is listed as a known difference but comes back identical; remove it from knownDifferences and docs/import.md", name)
		}
	}
	if float64(identical) < minIdentical*float64(len(names)) {
		t.Errorf("only %d of %d files come back identical; at least %.0f%% must", identical, len(names), 100*minIdentical)
	}
	if len(unknown) > 0 {
		t.Errorf("%d files differ that docs/import.md does not list: %s", len(unknown), strings.Join(unknown, ", "))
	}
}

// BenchmarkWholeDatabase imports every file of the ISP database into an
// empty knowledge base, as a dry run, so that every round does the same
// work: go test ./generator/ispdb -run XXX -bench WholeDatabase -count 3.
func BenchmarkWholeDatabase(b *testing.B) {
	dir := cloneDatabase(b)
	files, err := Files([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	root := kbtest.Write(b, map[string]string{"data/sources.yaml": "sources: []\n"})
	for b.Loop() {
		rep, err := Import(context.Background(), files, Options{Root: root, Today: today, DryRun: true})
		if err != nil || rep.Count(Created) != len(files) {
			b.Fatalf("import: %v\n%s", err, summary(rep))
		}
	}
}

// TestCompareServers checks that the whole-database comparison normalises
// only what the format says is one spelling, and names what differs.
func TestCompareServers(t *testing.T) {
	base := dbServer{Type: "imap", Hostname: "imap.example.com", Port: "993", SocketType: "SSL", Username: "%EMAILADDRESS%",
		Authentication: []string{"password-cleartext", "OAuth2"}}
	with := func(edit func(*dbServer)) dbServer {
		s := base
		s.Authentication = slices.Clone(base.Authentication)
		edit(&s)
		return s
	}
	tests := []struct {
		name string
		got  []dbServer
		want []string // the differences, empty for none
	}{
		{"the same", []dbServer{base}, nil},
		{"old name plain, case of type and socketType, white space", []dbServer{with(func(s *dbServer) {
			s.Type, s.SocketType, s.Hostname, s.Authentication[0] = "IMAP", "ssl", " imap.example.com\n", "plain"
		})}, nil},
		{"case of a host", []dbServer{with(func(s *dbServer) { s.Hostname = "IMAP.example.com" })},
			[]string{`incomingServer 1 (imap): hostname is "imap.example.com" in the file, "IMAP.example.com" in the export`}},
		{"case of OAuth2", []dbServer{with(func(s *dbServer) { s.Authentication[1] = "oauth2" })},
			[]string{`incomingServer 1 (imap): authentication is "password-cleartext, OAuth2" in the file, "password-cleartext, oauth2" in the export`}},
		{"order of the methods", []dbServer{with(func(s *dbServer) { s.Authentication = []string{"OAuth2", "password-cleartext"} })},
			[]string{`incomingServer 1 (imap): authentication is "password-cleartext, OAuth2" in the file, "OAuth2, password-cleartext" in the export`}},
		{"a template filled in", []dbServer{with(func(s *dbServer) { s.Username = "jane@example.com" })},
			[]string{`incomingServer 1 (imap): username is "%EMAILADDRESS%" in the file, "jane@example.com" in the export`}},
		{"a server missing", nil, []string{"incomingServer 1 (imap imap.example.com): missing from the export"}},
		{"a server more", []dbServer{base, with(func(s *dbServer) { s.Port = "143" })},
			[]string{"incomingServer 2 (imap imap.example.com): in the export only"}},
	}
	for _, tt := range tests {
		if got := compareServers("incomingServer", []dbServer{base}, tt.got); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
