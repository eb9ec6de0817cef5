package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"howett.net/plist"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/testenv"
	"mailkb/generator/urls"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// buildDay is "today" for the tests that build their own knowledge base,
// whose dates they choose. The bundled one runs on the day its data calls
// for (see bundled).
var buildDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// bundled loads the bundled knowledge base and exports it, on the day
// kbtest.Day gives: today, or later if the data holds a later date, so
// that a check a maintainer records today is never in the tests' future.
func bundled(t *testing.T) exported {
	t.Helper()
	root := kbtest.RepoRoot()
	day := kbtest.Day(t, root)
	kb, err := loader.Load(root, loader.WithToday(day))
	if err != nil {
		t.Fatalf("bundled knowledge base does not load:\n%v", err)
	}
	files, err := Files(kb, Options{URLs: urls.New(kb.Site.BaseURL), Today: day})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return exported{"bundled", kb, files, day}
}

// TestGolden compares exports of every format with reviewed copies, made
// from varietyKB: what a change to a writer does shows in their diff.
func TestGolden(t *testing.T) {
	_, files := variety(t)
	for _, name := range []string{
		"api/v1/providers.json",
		"api/v1/providers/oauth-only.json",
		"api/v1/providers/pw.json",
		"api/v1/schema.json",
		"providers/pw/settings.csv",
		"autoconfig/v1.1/pw.example",
		"autoconfig/v1.1/oauth.example",
		"autodiscover/pw.example.xml",
		"autodiscover/t2.example.xml",
		"mobileconfig/pw-pop3.mobileconfig",
		"mobileconfig/odd-auth-imap.mobileconfig",
	} {
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(name, "/", "_"))
		if files[name] == nil {
			t.Errorf("%s was not exported", name)
			continue
		}
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, files[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./generator/export -update to create it)", err)
		}
		if !bytes.Equal(files[name], want) {
			t.Errorf("%s differs from %s; if the change is intended, run go test ./generator/export -update and review the diff", name, golden)
		}
	}
}

// TestEveryFile checks that each provider and domain has its files and
// that nothing else is written.
func TestEveryFile(t *testing.T) {
	for _, x := range everyKB(t) {
		want := map[string]bool{"api/v1/schema.json": true, "api/v1/providers.json": true}
		for _, p := range x.kb.Providers {
			want[ProviderJSONPath(p.ID)] = true
			want[CSVPath(p.ID)] = true
			for _, proto := range []model.Protocol{model.IMAP, model.POP3} {
				if HasMobileconfig(p, proto) {
					want[MobileconfigPath(p.ID, proto)] = true
				}
			}
			if !HasClientConfig(p) {
				t.Errorf("%s provider %s has no complete current configuration", x.name, p.ID)
			}
			for _, d := range served(p, x.day) {
				want[AutoconfigPath(d)] = true
				want[AutodiscoverPath(d)] = true
			}
		}
		for name := range want {
			if x.files[name] == nil {
				t.Errorf("%s: missing %s", x.name, name)
			}
		}
		for name := range x.files {
			if !want[name] {
				t.Errorf("%s: unexpected file %s", x.name, name)
			}
		}
	}
}

// TestDeterministic exports twice and compares every byte.
func TestDeterministic(t *testing.T) {
	a, b := bundled(t).files, bundled(t).files
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two exports", name)
		}
	}
}

func compileSchema(t *testing.T, files map[string][]byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(files["api/v1/schema.json"]))
	if err != nil {
		t.Fatalf("schema.json is not JSON: %v", err)
	}
	id, _ := doc.(map[string]any)["$id"].(string)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	// Compiling checks the schema against the draft 2020-12 meta-schema.
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatalf("schema.json does not compile: %v", err)
	}
	return sch
}

// TestJSONSchema validates every JSON file of the API against schema.json,
// and checks that the schema refuses broken documents.
func TestJSONSchema(t *testing.T) {
	for _, x := range everyKB(t) {
		validateJSON(t, x.name, x.kb, x.files)
	}
	_, files := variety(t)
	sch := compileSchema(t, files)
	broken := []struct {
		name string
		edit func(m map[string]any)
	}{
		{"missing field", func(m map[string]any) { delete(m, "endpoints") }},
		{"unknown field", func(m map[string]any) { m["extra"] = 1 }},
		{"bad protocol", func(m map[string]any) { endpoint0(m)["protocol"] = "nntp" }},
		{"bad auth", func(m map[string]any) { endpoint0(m)["auth"] = []any{"kerberos"} }},
		{"username without a placeholder", func(m map[string]any) { endpoint0(m)["username"] = "jane" }},
		{"host with another placeholder", func(m map[string]any) { endpoint0(m)["host"] = "%EMAILLOCALPART%.example.com" }},
		{"bad date", func(m map[string]any) { endpoint0(m)["until"] = "2009-13" }},
		{"port as string", func(m map[string]any) { endpoint0(m)["port"] = "995" }},
		{"bad kind", func(m map[string]any) { m["kind"] = "providers" }},
	}
	for _, b := range broken {
		var m map[string]any
		if err := json.Unmarshal(files[ProviderJSONPath("pw")], &m); err != nil {
			t.Fatal(err)
		}
		b.edit(m)
		data, _ := json.Marshal(m)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if sch.Validate(inst) == nil {
			t.Errorf("%s: the schema accepts a broken provider file", b.name)
		}
	}
}

// validateJSON validates every JSON file of one export against its
// schema.json.
func validateJSON(t *testing.T, which string, kb *model.KB, files map[string][]byte) {
	t.Helper()
	sch := compileSchema(t, files)
	var schema struct {
		ID string `json:"$id"`
	}
	if err := json.Unmarshal(files["api/v1/schema.json"], &schema); err != nil || schema.ID != "https://mailkb.example/api/v1/schema.json" {
		t.Errorf("schema $id = %q (%v); want where the schema is published", schema.ID, err)
	}
	n := 0
	for name, data := range files {
		if !strings.HasSuffix(name, ".json") || name == "api/v1/schema.json" {
			continue
		}
		n++
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s is not JSON: %v", name, err)
			continue
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s does not validate against schema.json:\n%v", name, err)
		}
	}
	if n != len(kb.Providers)+1 {
		t.Errorf("%s: validated %d JSON files, want %d", which, n, len(kb.Providers)+1)
	}
}

func endpoint0(m map[string]any) map[string]any {
	return m["endpoints"].([]any)[0].(map[string]any)
}

// TestJSONContent checks the provider file against the model: current
// settings in preference order, full history, sources that resolve.
func TestJSONContent(t *testing.T) {
	for _, x := range everyKB(t) {
		checkJSONContent(t, x.kb, x.files)
	}
	_, files := variety(t)
	var pw apiProvider
	if err := json.Unmarshal(files[ProviderJSONPath("pw")], &pw); err != nil {
		t.Fatal(err)
	}
	if len(pw.Endpoints) == 0 || pw.Endpoints[1].ID != "imap-old" {
		t.Fatalf("pw's endpoints are not in data order: %+v", pw.Endpoints)
	}
	if e := pw.Endpoints[1]; e.From != nil || e.Until == nil || *e.Until != "2020" || e.Status != "retired" || e.ReplacedBy != nil || len(e.Verified) != 0 {
		t.Errorf("imap-old exported as %+v", e)
	}
}

func checkJSONContent(t *testing.T, kb *model.KB, files map[string][]byte) {
	t.Helper()
	var idx apiIndex
	if err := json.Unmarshal(files["api/v1/providers.json"], &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Providers) != len(kb.Providers) || !sort.SliceIsSorted(idx.Providers, func(i, j int) bool { return idx.Providers[i].ID < idx.Providers[j].ID }) {
		t.Errorf("index lists %d providers (sorted by id?), want %d", len(idx.Providers), len(kb.Providers))
	}
	for _, e := range idx.Providers {
		if want := "https://mailkb.example/" + ProviderJSONPath(e.ID); e.URL != want {
			t.Errorf("index: %s url = %s, want %s", e.ID, e.URL, want)
		}
	}
	for _, p := range kb.Providers {
		var got apiProvider
		if err := json.Unmarshal(files[ProviderJSONPath(p.ID)], &got); err != nil {
			t.Fatal(err)
		}
		var cur []string
		for _, s := range append(got.Current.Incoming, got.Current.Outgoing...) {
			cur = append(cur, s.Endpoint)
		}
		var want []string
		for _, e := range append(incomingAll(p), current(p, model.SMTP)...) {
			want = append(want, e.ID)
		}
		if !slices.Equal(cur, want) {
			t.Errorf("%s: current = %v, want %v", p.ID, cur, want)
		}
		if len(got.Endpoints) != len(p.Endpoints) {
			t.Errorf("%s: %d endpoints in history, want %d", p.ID, len(got.Endpoints), len(p.Endpoints))
		}
		sources := map[string]bool{}
		for _, s := range got.Sources {
			sources[s.ID] = true
		}
		var cited []string
		for _, e := range got.Endpoints {
			cited = append(cited, e.Sources...)
			for _, v := range e.Verified {
				if v.Source != nil {
					cited = append(cited, *v.Source)
				}
			}
		}
		for _, f := range got.Facts {
			cited = append(cited, f.Sources...)
		}
		for _, e := range got.Errata {
			cited = append(cited, e.SeenIn...)
		}
		cited = append(cited, got.DomainSources...)
		for _, id := range cited {
			if !sources[id] {
				t.Errorf("%s: source %s is cited but not in sources", p.ID, id)
			}
		}
	}
}

// incomingAll is every current incoming endpoint in the site's order.
func incomingAll(p *model.Provider) []*model.Endpoint {
	var out []*model.Endpoint
	for _, e := range p.CurrentEndpoints() {
		if e.Protocol.Incoming() {
			out = append(out, e)
		}
	}
	return out
}

// The autoconfig format as Thunderbird reads it, declared here apart from
// the writer's types so that a wrong tag there shows up.
type tbConfig struct {
	XMLName  xml.Name `xml:"clientConfig"`
	Version  string   `xml:"version,attr"`
	Provider struct {
		ID               string     `xml:"id,attr"`
		Domains          []string   `xml:"domain"`
		DisplayName      string     `xml:"displayName"`
		DisplayShortName string     `xml:"displayShortName"`
		Incoming         []tbServer `xml:"incomingServer"`
		Outgoing         []tbServer `xml:"outgoingServer"`
		Enable           []struct {
			VisitURL    string   `xml:"visiturl,attr"`
			Instruction []string `xml:"instruction"`
		} `xml:"enable"`
		Documentation []struct {
			URL   string   `xml:"url,attr"`
			Descr []string `xml:"descr"`
		} `xml:"documentation"`
	} `xml:"emailProvider"`
}

type tbServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           int      `xml:"port"`
	SocketType     string   `xml:"socketType"`
	Authentication []string `xml:"authentication"`
	Username       string   `xml:"username"`
	URL            string   `xml:"url"`
	OWAURL         string   `xml:"owaURL"`
	EWSURL         string   `xml:"ewsURL"`
}

// String names the server by its type and address.
func (s tbServer) String() string {
	if s.URL != "" {
		return s.Type + " " + s.URL
	}
	return fmt.Sprintf("%s %s:%d", s.Type, s.Hostname, s.Port)
}

// autoconfigElements are the config-v1.1 elements mailkb may write, with
// their parents.
var autoconfigElements = map[string]string{
	"clientConfig": "", "emailProvider": "clientConfig", "domain": "emailProvider", "displayName": "emailProvider",
	"displayShortName": "emailProvider", "incomingServer": "emailProvider", "outgoingServer": "emailProvider",
	"hostname": "server", "port": "server", "socketType": "server", "authentication": "server", "username": "server",
	"url": "server", "owaURL": "server", "ewsURL": "server",
	"enable": "emailProvider", "instruction": "enable", "documentation": "emailProvider", "descr": "documentation",
}

// checkElements parses data token by token (so it must be well-formed)
// and checks every element against the allowed parents.
func checkElements(t *testing.T, name string, data []byte, allowed map[string]string) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(xml.Header)) {
		t.Errorf("%s does not start with the XML declaration", name)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
			return
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
				if parent == "incomingServer" || parent == "outgoingServer" {
					parent = "server"
				}
			}
			want, ok := allowed[tok.Name.Local]
			if !ok || want != parent {
				t.Errorf("%s: element <%s> inside <%s> is not in the format", name, tok.Name.Local, parent)
			}
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// tbAuth are the format's names of the sign-in methods (Thunderbird's
// readFromXML.js).
var tbAuth = map[model.Auth]string{
	model.Password: "password-cleartext", model.AppPassword: "password-cleartext", model.EncryptedPassword: "password-encrypted",
	model.OAuth2: "OAuth2", model.NTLM: "NTLM", model.GSSAPI: "GSSAPI", model.ClientIP: "client-IP-address",
	model.ClientCertificate: "TLS-client-cert", model.SMTPAfterPOP: "smtp-after-pop", model.NoAuth: "none",
}

// wantAuth is what an endpoint's methods come to: the format's names in
// the data's order, each once.
func wantAuth(as []model.Auth) []string {
	var out []string
	for _, a := range as {
		if !slices.Contains(out, tbAuth[a]) {
			out = append(out, tbAuth[a])
		}
	}
	return out
}

var socketTypes = map[model.Security]string{model.TLS: "SSL", model.STARTTLS: "STARTTLS", model.NoTLS: "plain"}

// wantUsername is the autoconfig username of a form: a placeholder, the
// template as written, or nothing for other.
func wantUsername(u model.Username) string {
	switch u {
	case model.EmailAddress:
		return "%EMAILADDRESS%"
	case model.LocalPart:
		return "%EMAILLOCALPART%"
	case model.OtherName:
		return ""
	}
	return string(u)
}

// TestAutoconfigRoundTrip parses every autoconfig file back and compares
// each server with the current endpoint at its address: type, host, port,
// socket type, user name, authentication in order, and the web addresses.
func TestAutoconfigRoundTrip(t *testing.T) {
	for _, x := range everyKB(t) {
		for _, p := range x.kb.Providers {
			var in, out []*model.Endpoint
			for _, e := range p.Endpoints {
				switch {
				case e.Status != model.Current || e.Protocol == model.HTTPMail:
				case e.Protocol == model.SMTP:
					out = append(out, e)
				default:
					in = append(in, e)
				}
			}
			for _, d := range served(p, x.day) {
				name := AutoconfigPath(d)
				checkElements(t, name, x.files[name], autoconfigElements)
				var cfg tbConfig
				if err := xml.Unmarshal(x.files[name], &cfg); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				ep := cfg.Provider
				if cfg.Version != "1.1" || ep.ID != p.ID || !slices.Equal(ep.Domains, served(p, x.day)) || ep.DisplayName != p.Name || ep.DisplayShortName == "" {
					t.Errorf("%s: clientConfig %s, provider %q, %d domains, name %q", name, cfg.Version, ep.ID, len(ep.Domains), ep.DisplayName)
				}
				compareServers(t, name+" incoming", ep.Incoming, in)
				compareServers(t, name+" outgoing", ep.Outgoing, out)
				if len(ep.Documentation) != 1 || ep.Documentation[0].URL != "https://mailkb.example/providers/"+p.ID+"/" {
					t.Errorf("%s: documentation %+v", name, ep.Documentation)
				}
			}
		}
	}
	_, files := variety(t)
	var pw tbConfig
	if err := xml.Unmarshal(files[AutoconfigPath("pw.example")], &pw); err != nil {
		t.Fatal(err)
	}
	if en := pw.Provider.Enable; len(en) != 1 || en[0].VisitURL != "https://pw.example/settings" || len(en[0].Instruction) != 1 ||
		en[0].Instruction[0] != "Turn IMAP on first. Where: Settings → Accounts → IMAP." {
		t.Errorf("pw: enable = %+v; want the IMAP switch with its URL and menu path", en)
	}
	var oauth tbConfig
	if err := xml.Unmarshal(files[AutoconfigPath("oauth.example")], &oauth); err != nil {
		t.Fatal(err)
	}
	if len(oauth.Provider.Enable) != 0 {
		t.Errorf("oauth-only has no access fact, but its autoconfig has enable %+v", oauth.Provider.Enable)
	}
}

// compareServers matches each exported server with the endpoint at its
// address and compares the rest.
func compareServers(t *testing.T, what string, got []tbServer, want []*model.Endpoint) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d servers, want %d", what, len(got), len(want))
	}
	for _, s := range got {
		i := slices.IndexFunc(want, func(e *model.Endpoint) bool {
			if e.Protocol.AtURL() {
				return s.Type == string(e.Protocol) && s.URL == e.URL && s.Hostname == "" && s.Port == 0 && s.SocketType == ""
			}
			return s.Type == string(e.Protocol) && s.Hostname == e.Host && s.Port == e.Port && s.URL == ""
		})
		if i < 0 {
			t.Errorf("%s: %s is no current endpoint", what, s)
			continue
		}
		e := want[i]
		wantSocket := ""
		if !e.Protocol.AtURL() {
			wantSocket = socketTypes[e.Security]
		}
		if s.SocketType != wantSocket || s.Username != wantUsername(e.Username) || !slices.Equal(s.Authentication, wantAuth(e.Auth)) ||
			s.OWAURL != e.OWAURL || s.EWSURL != e.EWSURL {
			t.Errorf("%s: %s is %+v; the model has %s %v %s, owa %q, ews %q", what, s, s, e.Security, e.Auth, e.Username, e.OWAURL, e.EWSURL)
		}
	}
}

// TestAutoconfigOrder checks that servers come in the data's order within
// each kind, a protocol's preferred one first among its own.
func TestAutoconfigOrder(t *testing.T) {
	_, files := variety(t)
	for _, tt := range []struct {
		domain        string
		incoming, out []string
	}{
		{"pw.example",
			[]string{"pop3 pop.pw.example:995", "imap imap.pw.example:993", "imap imap.pw.example:143"},
			[]string{"smtp smtp.pw.example:587", "smtp smtp.pw.example:25"}},
		{"oauth.example",
			[]string{"imap imap.oauth.example:993", "ews https://mail.oauth.example/ews/exchange.asmx", "exchange mail.oauth.example:443", "graph https://graph.oauth.example/"},
			[]string{"smtp smtp.oauth.example:587"}},
		{"t2.example",
			[]string{"imap mail.%EMAILDOMAIN%:993"},
			[]string{"smtp %EMAILDOMAIN%:25"}},
	} {
		var cfg tbConfig
		if err := xml.Unmarshal(files[AutoconfigPath(tt.domain)], &cfg); err != nil {
			t.Fatalf("%s: %v", tt.domain, err)
		}
		names := func(ss []tbServer) []string {
			var out []string
			for _, s := range ss {
				out = append(out, s.String())
			}
			return out
		}
		if got := names(cfg.Provider.Incoming); !slices.Equal(got, tt.incoming) {
			t.Errorf("%s: incoming %q, want %q", tt.domain, got, tt.incoming)
		}
		if got := names(cfg.Provider.Outgoing); !slices.Equal(got, tt.out) {
			t.Errorf("%s: outgoing %q, want %q", tt.domain, got, tt.out)
		}
	}
}

// TestAutoconfigFixtures checks the bundled data's autoconfig files
// against the sample ISPDB files: for each sample whose first domain a
// bundled provider serves, the same mail servers (type, host, port, socket
// type, user name, authentication in order) that Thunderbird's own
// database gives. The other ways in are left out of the comparison: the
// bundled data need not record them.
func TestAutoconfigFixtures(t *testing.T) {
	files := bundled(t).files
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "ispdb")
	samples, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil || len(samples) == 0 {
		testenv.Missing(t, "ispdb-fixtures", "no ISPDB samples in %s (the shared folder beside the repository): %v", dir, err)
	}
	compared := 0
	for _, sample := range samples {
		data, err := os.ReadFile(sample)
		if err != nil {
			t.Fatal(err)
		}
		var want, got tbConfig
		if err := xml.Unmarshal(data, &want); err != nil {
			t.Fatalf("%s: %v", sample, err)
		}
		ours := files[AutoconfigPath(strings.ToLower(want.Provider.Domains[0]))]
		if ours == nil {
			continue
		}
		compared++
		if err := xml.Unmarshal(ours, &got); err != nil {
			t.Fatal(err)
		}
		servers := func(ss []tbServer) []string {
			var out []string
			for _, s := range ss {
				if s.Type != "imap" && s.Type != "pop3" && s.Type != "smtp" {
					continue
				}
				out = append(out, strings.Join([]string{s.Type, s.Hostname, strconv.Itoa(s.Port), s.SocketType, s.Username, strings.Join(s.Authentication, ",")}, " "))
			}
			return out
		}
		if g, w := servers(append(got.Provider.Incoming, got.Provider.Outgoing...)), servers(append(want.Provider.Incoming, want.Provider.Outgoing...)); !slices.Equal(g, w) {
			t.Errorf("the autoconfig for %s: servers\n%s\nwant (ISPDB %s)\n%s", want.Provider.Domains[0], strings.Join(g, "\n"), filepath.Base(sample), strings.Join(w, "\n"))
		}
	}
	t.Logf("compared %d of %d samples with the bundled provider that serves their domain", compared, len(samples))
}

var uuidPattern = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)

// TestMobileconfig parses every profile back as a property list and checks
// its keys against the model: the servers are current endpoints of the
// profile's protocol and SMTP, each with a sign-in a profile can set.
func TestMobileconfig(t *testing.T) {
	uuids := map[string]string{}
	for _, x := range everyKB(t) {
		for _, p := range x.kb.Providers {
			for _, proto := range []model.Protocol{model.IMAP, model.POP3} {
				name := MobileconfigPath(p.ID, proto)
				data := x.files[name]
				if data == nil {
					continue
				}
				profile, mail := parseProfile(t, name, data)
				accountType := map[model.Protocol]string{model.IMAP: "EmailTypeIMAP", model.POP3: "EmailTypePOP"}[proto]
				ident := "example.mailkb.mobileconfig." + p.ID + "." + string(proto)
				checks := []struct {
					dict  map[string]any
					key   string
					want  any
					where string
				}{
					{profile, "PayloadType", "Configuration", "profile"},
					{profile, "PayloadVersion", uint64(1), "profile"},
					{profile, "PayloadIdentifier", ident, "profile"},
					{profile, "PayloadRemovalDisallowed", false, "profile"},
					{mail, "PayloadType", "com.apple.mail.managed", "mail"},
					{mail, "PayloadVersion", uint64(1), "mail"},
					{mail, "PayloadIdentifier", ident + ".mail", "mail"},
					{mail, "EmailAccountType", accountType, "mail"},
				}
				for _, c := range checks {
					if got := c.dict[c.key]; got != c.want {
						t.Errorf("%s: %s %s = %#v, want %#v", name, c.where, c.key, got, c.want)
					}
				}
				for _, side := range []struct {
					prefix string
					proto  model.Protocol
				}{{"Incoming", proto}, {"Outgoing", model.SMTP}} {
					host, _ := mail[side.prefix+"MailServerHostName"].(string)
					port, _ := mail[side.prefix+"MailServerPortNumber"].(uint64)
					i := slices.IndexFunc(p.Endpoints, func(e *model.Endpoint) bool {
						return e.Status == model.Current && e.Protocol == side.proto && e.Host == host && uint64(e.Port) == port
					})
					if i < 0 {
						t.Errorf("%s: %s server %s:%d is no current %s endpoint", name, side.prefix, host, port, side.proto)
						continue
					}
					e := p.Endpoints[i]
					if ssl := mail[side.prefix+"MailServerUseSSL"]; ssl != (e.Security != model.NoTLS) {
						t.Errorf("%s: %sMailServerUseSSL = %v for %s", name, side.prefix, ssl, e.Security)
					}
					if auth, _ := mail[side.prefix+"MailServerAuthentication"].(string); !slices.ContainsFunc(e.Auth, func(a model.Auth) bool { return appleAuth[a] == auth }) {
						t.Errorf("%s: %sMailServerAuthentication = %q, not one of the endpoint's methods %v", name, side.prefix, auth, e.Auth)
					}
				}
				for where, d := range map[string]map[string]any{"profile": profile, "mail": mail} {
					u, _ := d["PayloadUUID"].(string)
					if !uuidPattern.MatchString(u) {
						t.Errorf("%s: %s PayloadUUID %q is not a version 5 UUID", name, where, u)
					}
					if other, dup := uuids[u]; dup {
						t.Errorf("%s: %s PayloadUUID %s is also used by %s", name, where, u, other)
					}
					uuids[u] = x.name + " " + name + " " + where
				}
			}
		}
	}
}

// appleAuth are the profile's names of the methods it can set.
var appleAuth = map[model.Auth]string{
	model.Password: "EmailAuthPassword", model.AppPassword: "EmailAuthPassword", model.EncryptedPassword: "EmailAuthCRAMMD5",
	model.NTLM: "EmailAuthNTLM", model.NoAuth: "EmailAuthNone", model.ClientIP: "EmailAuthNone", model.SMTPAfterPOP: "EmailAuthNone",
}

// parseProfile reads a profile and its one mail payload.
func parseProfile(t *testing.T, name string, data []byte) (profile, mail map[string]any) {
	t.Helper()
	format, err := plist.Unmarshal(data, &profile)
	if err != nil || format != plist.XMLFormat {
		t.Fatalf("%s: not an XML property list (format %d): %v", name, format, err)
	}
	content, _ := profile["PayloadContent"].([]any)
	if len(content) != 1 {
		t.Fatalf("%s: PayloadContent has %d payloads", name, len(content))
	}
	mail, _ = content[0].(map[string]any)
	return profile, mail
}

// TestMobileconfigChoice checks which profiles exist, which servers and
// sign-in they set, and what they tell the user to type.
func TestMobileconfigChoice(t *testing.T) {
	kb, files := variety(t)
	for _, tt := range []struct {
		provider string
		proto    model.Protocol
		// in and out are host:port and sign-in; empty when there is no
		// profile.
		in, out   [2]string
		described []string
	}{
		{"pw", model.IMAP, [2]string{"imap.pw.example:993", "EmailAuthPassword"}, [2]string{"smtp.pw.example:587", "EmailAuthPassword"},
			[]string{"When asked for the incoming user name, enter the part of your address before the @.",
				"When asked for the outgoing (SMTP) user name, enter a name made from your address as %EMAILLOCALPART%.%EMAILDOMAIN% (for jane@pw.example, jane.pw.example).",
				"also accepts OAuth2 on the IMAP and SMTP servers"}},
		{"pw", model.POP3, [2]string{"pop.pw.example:995", "EmailAuthCRAMMD5"}, [2]string{"smtp.pw.example:587", "EmailAuthPassword"}, nil},
		// The preferred IMAP server takes Kerberos only: the profile
		// sets up the other one.
		{"odd-auth", model.IMAP, [2]string{"imap.odd.example:993", "EmailAuthNTLM"}, [2]string{"smtp.odd.example:465", "EmailAuthNone"},
			[]string{"When asked for the incoming user name, enter the user name the settings page below gives.", "The outgoing (SMTP) server needs no sign-in."}},
		{"oauth-only", model.IMAP, [2]string{}, [2]string{}, nil}, // OAuth2 only
		{"templ", model.IMAP, [2]string{}, [2]string{}, nil},      // the host depends on the user's domain
		{"pw", model.SMTP, [2]string{}, [2]string{}, nil},         // profiles are per incoming protocol
	} {
		p := kb.Provider(tt.provider)
		name := MobileconfigPath(tt.provider, tt.proto)
		if has := HasMobileconfig(p, tt.proto); has != (tt.in[0] != "") || (files[name] != nil) != has {
			t.Errorf("%s: HasMobileconfig = %v, file written %v; want %v", name, has, files[name] != nil, tt.in[0] != "")
			continue
		}
		if tt.in[0] == "" {
			continue
		}
		_, mail := parseProfile(t, name, files[name])
		for _, side := range []struct {
			prefix string
			want   [2]string
		}{{"Incoming", tt.in}, {"Outgoing", tt.out}} {
			got := [2]string{fmt.Sprintf("%v:%v", mail[side.prefix+"MailServerHostName"], mail[side.prefix+"MailServerPortNumber"]),
				fmt.Sprint(mail[side.prefix+"MailServerAuthentication"])}
			if got != side.want {
				t.Errorf("%s: %s server %v, want %v", name, side.prefix, got, side.want)
			}
		}
		desc, _ := mail["PayloadDescription"].(string)
		for _, want := range tt.described {
			if !strings.Contains(desc, want) {
				t.Errorf("%s: the description does not say %q:\n%s", name, want, desc)
			}
		}
	}
}

// The Autodiscover response as a client reads it.
type adResponse struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006 Autodiscover"`
	Response struct {
		Account adAccount `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Account"`
	} `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Response"`
}

var autodiscoverElements = map[string]string{
	"Autodiscover": "", "Response": "Autodiscover", "Account": "Response", "AccountType": "Account", "Action": "Account",
	"Protocol": "Account", "Type": "Protocol", "Server": "Protocol", "Port": "Protocol", "DomainRequired": "Protocol",
	"LoginName": "Protocol", "SPA": "Protocol", "SSL": "Protocol", "Encryption": "Protocol", "AuthRequired": "Protocol",
	"SMTPLast": "Protocol",
}

// TestAutodiscover parses every response back and compares each server
// with the current endpoint at its address, a host made from the user's
// domain filled in with the response's domain.
func TestAutodiscover(t *testing.T) {
	for _, x := range everyKB(t) {
		for _, p := range x.kb.Providers {
			var want []*model.Endpoint
			for _, e := range p.Endpoints {
				if e.Status == model.Current && (e.Protocol == model.IMAP || e.Protocol == model.POP3 || e.Protocol == model.SMTP) {
					want = append(want, e)
				}
			}
			for _, d := range served(p, x.day) {
				name := AutodiscoverPath(d)
				checkElements(t, name, x.files[name], autodiscoverElements)
				acc := parseAutodiscover(t, name, x.files[name])
				if acc.AccountType != "email" || acc.Action != "settings" || len(acc.Protocols) != len(want) {
					t.Errorf("%s: account %s/%s with %d protocols, want email/settings with %d", name, acc.AccountType, acc.Action, len(acc.Protocols), len(want))
					continue
				}
				for i, pr := range acc.Protocols {
					j := slices.IndexFunc(want, func(e *model.Endpoint) bool {
						return pr.Type == strings.ToUpper(string(e.Protocol)) && pr.Server == strings.ReplaceAll(e.Host, "%EMAILDOMAIN%", d) && pr.Port == e.Port
					})
					if j < 0 {
						t.Errorf("%s: protocol %d (%s %s:%d) is no current endpoint", name, i, pr.Type, pr.Server, pr.Port)
						continue
					}
					e := want[j]
					ssl, enc := "on", ""
					switch e.Security {
					case model.STARTTLS:
						enc = "TLS"
					case model.NoTLS:
						ssl = "off"
					}
					login := strings.ReplaceAll(wantUsername(e.Username), "%EMAILDOMAIN%", d)
					if e.Username == model.EmailAddress {
						login = ""
					}
					if pr.SSL != ssl || pr.Encryption != enc || pr.DomainRequired != "off" || pr.LoginName != login {
						t.Errorf("%s: protocol %d is %+v; model has %s %s:%d %s %s", name, i, pr, e.Protocol, e.Host, e.Port, e.Security, e.Username)
					}
				}
			}
		}
	}
}

type adAccount struct {
	AccountType string `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a AccountType"`
	Action      string `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Action"`
	Protocols   []struct {
		Type, Server, DomainRequired, LoginName, SPA, SSL, Encryption, AuthRequired, SMTPLast string
		Port                                                                                  int
	} `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Protocol"`
}

func parseAutodiscover(t *testing.T, name string, data []byte) adAccount {
	t.Helper()
	var r adResponse
	if err := xml.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r.Response.Account
}

// TestAutodiscoverSignIn checks how the sign-in methods come out in POX:
// SPA for Windows sign-in, AuthRequired off for servers that need none,
// SMTPLast for SMTP after POP, a per-domain host and login.
func TestAutodiscoverSignIn(t *testing.T) {
	_, files := variety(t)
	for _, tt := range []struct {
		file string
		// each protocol as Type Server:Port LoginName SPA AuthRequired SMTPLast
		want []string
	}{
		{"autodiscover/pw2.example.xml", []string{
			"POP3 pop.pw.example:995 %EMAILLOCALPART% off on ",
			"IMAP imap.pw.example:993 %EMAILLOCALPART% off on ",
			"IMAP imap.pw.example:143 %EMAILLOCALPART% off on ",
			"SMTP smtp.pw.example:587 %EMAILLOCALPART%.pw2.example off on ",
			"SMTP smtp.pw.example:25  off off on"}},
		{"autodiscover/odd.example.xml", []string{
			"IMAP kerberos.odd.example:993  on on ",
			"IMAP imap.odd.example:993  on on ",
			"SMTP smtp.odd.example:465  off off "}},
		{"autodiscover/t1.example.xml", []string{
			"IMAP mail.t1.example:993 %EMAILLOCALPART%@t1.example off on ",
			"SMTP t1.example:25 %EMAILLOCALPART%@t1.example off off "}},
	} {
		var got []string
		for _, pr := range parseAutodiscover(t, tt.file, files[tt.file]).Protocols {
			got = append(got, fmt.Sprintf("%s %s:%d %s %s %s %s", pr.Type, pr.Server, pr.Port, pr.LoginName, pr.SPA, pr.AuthRequired, pr.SMTPLast))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.file, got, tt.want)
		}
	}
}

// TestCSV parses every settings.csv back.
func TestCSV(t *testing.T) {
	for _, x := range everyKB(t) {
		checkCSV(t, x.kb, x.files)
	}
}

func checkCSV(t *testing.T, kb *model.KB, files map[string][]byte) {
	t.Helper()
	for _, p := range kb.Providers {
		name := CSVPath(p.ID)
		data := files[name]
		if !bytes.Contains(data, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\n")) {
			t.Errorf("%s: lines must end in CRLF (RFC 4180)", name)
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rows) == 0 || !slices.Equal(rows[0], CSVHeader) {
			t.Fatalf("%s: header %v, want %v", name, rows, CSVHeader)
		}
		eps := p.CurrentEndpoints()
		if len(rows)-1 != len(eps) {
			t.Fatalf("%s: %d rows, want %d", name, len(rows)-1, len(eps))
		}
		for i, e := range eps {
			r := rows[i+1]
			last, method := "", ""
			if v := e.LastVerified(); v != nil {
				last, method = v.Date.String(), string(v.Method)
			}
			want := []string{string(e.Protocol), e.Host, strconv.Itoa(e.Port), string(e.Security), strings.Join(auths(e.Auth), " "), string(e.Username), last, method, e.URL}
			if !slices.Equal(r, want) {
				t.Errorf("%s row %d = %v, want %v", name, i+1, r, want)
			}
		}
	}
}

// TestSubPath checks that links follow a base URL with a path.
func TestSubPath(t *testing.T) {
	b := bundled(t)
	files, err := Files(b.kb, Options{URLs: urls.New("https://example.org/kb/"), Today: b.day})
	if err != nil {
		t.Fatal(err)
	}
	var idx apiIndex
	if err := json.Unmarshal(files["api/v1/providers.json"], &idx); err != nil {
		t.Fatal(err)
	}
	if got := idx.Providers[0].URL; !strings.HasPrefix(got, "https://example.org/kb/api/v1/providers/") {
		t.Errorf("provider url %s does not follow the base path", got)
	}
	if got := idx.Providers[0].PageURL; !strings.HasPrefix(got, "https://example.org/kb/providers/") {
		t.Errorf("page url %s does not follow the base path", got)
	}
	vkb, _ := variety(t)
	vfiles, err := Files(vkb, Options{URLs: urls.New("https://example.org/kb/"), Today: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(vfiles["mobileconfig/pw-imap.mobileconfig"], []byte("<string>org.example.mobileconfig.pw.imap</string>")) {
		t.Error("profile identifier does not follow the base URL's host")
	}
	if _, err := Files(b.kb, Options{URLs: urls.New("/relative/"), Today: b.day}); err == nil {
		t.Error("a relative base URL is accepted")
	}
}

// TestUsernameForms covers the username and security forms the bundled
// data does not use: the local part and plain connections.
func TestUsernameForms(t *testing.T) {
	src := []*model.Source{{ID: "src", Title: "Settings", Publisher: "Example"}}
	e := &model.Endpoint{ID: "pop", Protocol: model.POP3, Host: "pop.example.com", Port: 110, Security: model.NoTLS,
		Auth: []model.Auth{model.Password, model.AppPassword}, Username: model.LocalPart, Status: model.Current, Sources: src}
	s := &model.Endpoint{ID: "smtp", Protocol: model.SMTP, Host: "smtp.example.com", Port: 587, Security: model.STARTTLS,
		Auth: []model.Auth{model.Password, model.OAuth2}, Username: model.LocalPart, Status: model.Current, Sources: src}
	kb := &model.KB{Site: model.Site{Title: "t", BaseURL: "https://example.org/"}, Providers: []*model.Provider{
		{ID: "x", Name: "X", Summary: "A test provider.", Domains: []string{"example.com"}, Endpoints: []*model.Endpoint{e, s}}}}
	files, err := Files(kb, Options{URLs: urls.New(kb.Site.BaseURL), Today: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	var cfg tbConfig
	if err := xml.Unmarshal(files["autoconfig/v1.1/example.com"], &cfg); err != nil {
		t.Fatal(err)
	}
	in, out := cfg.Provider.Incoming, cfg.Provider.Outgoing
	if len(in) != 1 || in[0].SocketType != "plain" || in[0].Username != "%EMAILLOCALPART%" || !slices.Equal(in[0].Authentication, []string{"password-cleartext"}) {
		t.Errorf("incoming %+v", in)
	}
	if len(out) != 1 || out[0].SocketType != "STARTTLS" || !slices.Equal(out[0].Authentication, []string{"password-cleartext", "OAuth2"}) {
		t.Errorf("outgoing %+v", out)
	}
	var r adResponse
	if err := xml.Unmarshal(files["autodiscover/example.com.xml"], &r); err != nil {
		t.Fatal(err)
	}
	if ps := r.Response.Account.Protocols; len(ps) != 2 || ps[0].SSL != "off" || ps[0].LoginName != "%EMAILLOCALPART%" || ps[1].Encryption != "TLS" {
		t.Errorf("autodiscover protocols %+v", ps)
	}
	var profile map[string]any
	if _, err := plist.Unmarshal(files["mobileconfig/x-pop3.mobileconfig"], &profile); err != nil {
		t.Fatal(err)
	}
	mail := profile["PayloadContent"].([]any)[0].(map[string]any)
	if mail["IncomingMailServerUseSSL"] != false || mail["OutgoingMailServerUseSSL"] != true || mail["EmailAccountType"] != "EmailTypePOP" {
		t.Errorf("profile %+v", mail)
	}
	if desc := mail["PayloadDescription"].(string); !strings.Contains(desc, "before the @") || !strings.Contains(desc, "also accepts OAuth2") {
		t.Errorf("profile description %q", desc)
	}
	if files["mobileconfig/x-imap.mobileconfig"] != nil {
		t.Error("a profile for IMAP, which the provider does not offer")
	}
	sch := compileSchema(t, files)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(files["api/v1/providers/x.json"]))
	if err := sch.Validate(inst); err != nil {
		t.Errorf("x.json: %v", err)
	}
}
