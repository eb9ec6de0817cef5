package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"flag"
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

	"mailkb/generator/loader"
	"mailkb/generator/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// buildDay pins "today", as the site's tests do.
var buildDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func bundled(t *testing.T) (*model.KB, map[string][]byte) {
	t.Helper()
	kb, err := loader.Load("../..", loader.WithToday(buildDay))
	if err != nil {
		t.Fatalf("bundled knowledge base does not load:\n%v", err)
	}
	files, err := Files(kb, Options{BaseURL: kb.Site.BaseURL, Today: buildDay})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return kb, files
}

// TestGolden compares the outlook-com exports of every format with
// reviewed copies.
func TestGolden(t *testing.T) {
	_, files := bundled(t)
	for _, name := range []string{
		"api/v1/providers.json",
		"api/v1/providers/outlook-com.json",
		"api/v1/schema.json",
		"providers/outlook-com/settings.csv",
		"autoconfig/v1.1/hotmail.com",
		"mobileconfig/outlook-com-imap.mobileconfig",
		"mobileconfig/outlook-com-pop3.mobileconfig",
		"autodiscover/hotmail.com.xml",
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
	kb, files := bundled(t)
	want := map[string]bool{"api/v1/schema.json": true, "api/v1/providers.json": true}
	for _, p := range kb.Providers {
		want[ProviderJSONPath(p.ID)] = true
		want[CSVPath(p.ID)] = true
		for _, proto := range []model.Protocol{model.IMAP, model.POP3} {
			if HasMobileconfig(p, proto) {
				want[MobileconfigPath(p.ID, proto)] = true
			}
		}
		if !HasClientConfig(p) {
			t.Errorf("bundled provider %s has no complete current configuration", p.ID)
		}
		for _, d := range p.Domains {
			want[AutoconfigPath(d)] = true
			want[AutodiscoverPath(d)] = true
		}
	}
	for name := range want {
		if files[name] == nil {
			t.Errorf("missing %s", name)
		}
	}
	for name := range files {
		if !want[name] {
			t.Errorf("unexpected file %s", name)
		}
	}
	for _, name := range []string{"mobileconfig/outlook-com-imap.mobileconfig", "mobileconfig/outlook-com-pop3.mobileconfig",
		"mobileconfig/microsoft-365-imap.mobileconfig", "mobileconfig/microsoft-365-pop3.mobileconfig",
		"autoconfig/v1.1/outlook.com", "autoconfig/v1.1/onmicrosoft.com", "autodiscover/live.co.uk.xml"} {
		if files[name] == nil {
			t.Errorf("missing %s", name)
		}
	}
}

// TestDeterministic exports twice and compares every byte.
func TestDeterministic(t *testing.T) {
	_, a := bundled(t)
	_, b := bundled(t)
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
	kb, files := bundled(t)
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
		t.Errorf("validated %d JSON files, want %d", n, len(kb.Providers)+1)
	}

	broken := []struct {
		name string
		edit func(m map[string]any)
	}{
		{"missing field", func(m map[string]any) { delete(m, "endpoints") }},
		{"unknown field", func(m map[string]any) { m["extra"] = 1 }},
		{"bad protocol", func(m map[string]any) { endpoint0(m)["protocol"] = "jmap" }},
		{"bad date", func(m map[string]any) { endpoint0(m)["until"] = "2009-13" }},
		{"port as string", func(m map[string]any) { endpoint0(m)["port"] = "995" }},
		{"bad kind", func(m map[string]any) { m["kind"] = "providers" }},
	}
	for _, b := range broken {
		var m map[string]any
		if err := json.Unmarshal(files["api/v1/providers/outlook-com.json"], &m); err != nil {
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

func endpoint0(m map[string]any) map[string]any {
	return m["endpoints"].([]any)[0].(map[string]any)
}

// TestJSONContent checks the provider file against the model: current
// settings in preference order, full history, sources that resolve.
func TestJSONContent(t *testing.T) {
	kb, files := bundled(t)
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
	var oc apiProvider
	if err := json.Unmarshal(files["api/v1/providers/outlook-com.json"], &oc); err != nil {
		t.Fatal(err)
	}
	for _, e := range oc.Endpoints {
		if e.ID == "pop3-live-com" {
			if e.From == nil || *e.From != "2009-02" || e.Until != nil || e.Status != "retired" || e.ReplacedBy == nil ||
				*e.ReplacedBy != "pop-office365" || len(e.Verified) != 4 {
				t.Errorf("pop3-live-com exported as %+v", e)
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
}

// autoconfigElements are the config-v1.1 elements mailkb may write, with
// their parents.
var autoconfigElements = map[string]string{
	"clientConfig": "", "emailProvider": "clientConfig", "domain": "emailProvider", "displayName": "emailProvider",
	"displayShortName": "emailProvider", "incomingServer": "emailProvider", "outgoingServer": "emailProvider",
	"hostname": "server", "port": "server", "socketType": "server", "authentication": "server", "username": "server",
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

// modelAuth is the set of autoconfig values an endpoint's methods come to.
func normAuth(as []model.Auth) []string {
	var out []string
	for _, a := range as {
		v := "password-cleartext"
		if a == model.OAuth2 {
			v = "OAuth2"
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

var socketTypes = map[model.Security]string{model.TLS: "SSL", model.STARTTLS: "STARTTLS", model.NoTLS: "plain"}
var placeholders = map[model.Username]string{model.EmailAddress: "%EMAILADDRESS%", model.LocalPart: "%EMAILLOCALPART%"}

// TestAutoconfigRoundTrip parses every autoconfig file back and compares
// its servers, ports, socket types, usernames and authentication with the
// model's current endpoints.
func TestAutoconfigRoundTrip(t *testing.T) {
	kb, files := bundled(t)
	for _, p := range kb.Providers {
		for _, d := range p.Domains {
			name := AutoconfigPath(d)
			checkElements(t, name, files[name], autoconfigElements)
			var cfg tbConfig
			if err := xml.Unmarshal(files[name], &cfg); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			ep := cfg.Provider
			if cfg.Version != "1.1" || ep.ID != p.ID || !slices.Equal(ep.Domains, p.Domains) || ep.DisplayName != p.Name || ep.DisplayShortName == "" {
				t.Errorf("%s: clientConfig %s, provider %q, %d domains, name %q", name, cfg.Version, ep.ID, len(ep.Domains), ep.DisplayName)
			}
			compare := func(kind string, got []tbServer, want []*model.Endpoint) {
				if len(got) != len(want) {
					t.Errorf("%s: %d %s servers, want %d", name, len(got), kind, len(want))
					return
				}
				for i, s := range got {
					e := want[i]
					auth := append([]string(nil), s.Authentication...)
					sort.Strings(auth)
					if s.Type != string(e.Protocol) || s.Hostname != e.Host || s.Port != e.Port || s.SocketType != socketTypes[e.Security] ||
						s.Username != placeholders[e.Username] || !slices.Equal(auth, normAuth(e.Auth)) {
						t.Errorf("%s: %s server %d is %+v; model has %s %s:%d %s %v %s", name, kind, i, s, e.Protocol, e.Host, e.Port, e.Security, e.Auth, e.Username)
					}
				}
			}
			compare("incoming", ep.Incoming, append(current(p, model.IMAP), current(p, model.POP3)...))
			compare("outgoing", ep.Outgoing, current(p, model.SMTP))
			if len(ep.Documentation) != 1 || ep.Documentation[0].URL != "https://mailkb.example/providers/"+p.ID+"/" {
				t.Errorf("%s: documentation %+v", name, ep.Documentation)
			}
		}
	}
	var oc tbConfig
	if err := xml.Unmarshal(files["autoconfig/v1.1/hotmail.com"], &oc); err != nil {
		t.Fatal(err)
	}
	if en := oc.Provider.Enable; len(en) != 1 || en[0].VisitURL != "https://outlook.live.com/" || len(en[0].Instruction) != 1 ||
		!strings.Contains(en[0].Instruction[0], "Sync email") {
		t.Errorf("outlook-com: enable = %+v; want the POP/IMAP switch with its URL and menu path", en)
	}
	if in := oc.Provider.Incoming; len(in) == 0 || in[0].Type != "imap" || in[0].Authentication[0] != "OAuth2" {
		t.Errorf("outlook-com: first incoming server %+v; want IMAP with OAuth2", in)
	}
	var m365 tbConfig
	if err := xml.Unmarshal(files["autoconfig/v1.1/office365.com"], &m365); err != nil {
		t.Fatal(err)
	}
	if len(m365.Provider.Enable) != 0 {
		t.Errorf("microsoft-365 has no access fact, but its autoconfig has enable %+v", m365.Provider.Enable)
	}
}

// TestAutoconfigFixtures checks the writer's values against the sample
// ISPDB files: the same hosts, ports, socket types, usernames and
// authentication that Thunderbird's own database gives.
func TestAutoconfigFixtures(t *testing.T) {
	_, files := bundled(t)
	for _, tt := range []struct{ fixture, ours string }{
		{"hotmail.com.xml", "autoconfig/v1.1/hotmail.com"},
		{"office365.com.xml", "autoconfig/v1.1/office365.com"},
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "ispdb", tt.fixture))
		if err != nil {
			t.Skipf("ISPDB fixtures not available: %v", err)
		}
		var want, got tbConfig
		if err := xml.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(files[tt.ours], &got); err != nil {
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
			t.Errorf("%s: servers\n%s\nwant (ISPDB %s)\n%s", tt.ours, strings.Join(g, "\n"), tt.fixture, strings.Join(w, "\n"))
		}
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)

// TestMobileconfig parses every profile back as a property list and checks
// its keys against the model.
func TestMobileconfig(t *testing.T) {
	kb, files := bundled(t)
	uuids := map[string]string{}
	n := 0
	for _, p := range kb.Providers {
		for _, proto := range []model.Protocol{model.IMAP, model.POP3} {
			name := MobileconfigPath(p.ID, proto)
			data := files[name]
			if data == nil {
				continue
			}
			n++
			var profile map[string]any
			format, err := plist.Unmarshal(data, &profile)
			if err != nil || format != plist.XMLFormat {
				t.Fatalf("%s: not an XML property list (format %d): %v", name, format, err)
			}
			in, out := current(p, proto)[0], current(p, model.SMTP)[0]
			content, _ := profile["PayloadContent"].([]any)
			if len(content) != 1 {
				t.Fatalf("%s: PayloadContent has %d payloads", name, len(content))
			}
			mail, _ := content[0].(map[string]any)
			accountType := map[model.Protocol]string{model.IMAP: "EmailTypeIMAP", model.POP3: "EmailTypePOP"}[proto]
			ident := "example.mailkb.mobileconfig." + p.ID + "." + string(proto)
			checks := []struct {
				dict      map[string]any
				key       string
				want      any
				where     string
				wantEqual bool
			}{
				{profile, "PayloadType", "Configuration", "profile", true},
				{profile, "PayloadVersion", uint64(1), "profile", true},
				{profile, "PayloadIdentifier", ident, "profile", true},
				{profile, "PayloadRemovalDisallowed", false, "profile", true},
				{mail, "PayloadType", "com.apple.mail.managed", "mail", true},
				{mail, "PayloadVersion", uint64(1), "mail", true},
				{mail, "PayloadIdentifier", ident + ".mail", "mail", true},
				{mail, "EmailAccountType", accountType, "mail", true},
				{mail, "IncomingMailServerHostName", in.Host, "mail", true},
				{mail, "IncomingMailServerPortNumber", uint64(in.Port), "mail", true},
				{mail, "IncomingMailServerUseSSL", in.Security == model.TLS || in.Security == model.STARTTLS, "mail", true},
				{mail, "IncomingMailServerAuthentication", "EmailAuthPassword", "mail", true},
				{mail, "OutgoingMailServerHostName", out.Host, "mail", true},
				{mail, "OutgoingMailServerPortNumber", uint64(out.Port), "mail", true},
				{mail, "OutgoingMailServerUseSSL", out.Security == model.TLS || out.Security == model.STARTTLS, "mail", true},
				{mail, "OutgoingMailServerAuthentication", "EmailAuthPassword", "mail", true},
			}
			for _, c := range checks {
				if got := c.dict[c.key]; got != c.want {
					t.Errorf("%s: %s %s = %#v, want %#v", name, c.where, c.key, got, c.want)
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
				uuids[u] = name + " " + where
			}
			desc, _ := mail["PayloadDescription"].(string)
			if !hasAuth(in.Auth, model.Password, model.AppPassword) && !strings.Contains(desc, "OAuth2") {
				t.Errorf("%s: the server needs OAuth2, but the description does not say so: %q", name, desc)
			}
		}
	}
	if n != 4 {
		t.Errorf("checked %d profiles, want 4 (two providers × IMAP, POP3)", n)
	}
}

// The Autodiscover response as a client reads it.
type adResponse struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006 Autodiscover"`
	Response struct {
		Account struct {
			AccountType string `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a AccountType"`
			Action      string `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Action"`
			Protocols   []struct {
				Type, Server, DomainRequired, LoginName, SPA, SSL, Encryption, AuthRequired string
				Port                                                                        int
			} `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Protocol"`
		} `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Account"`
	} `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Response"`
}

var autodiscoverElements = map[string]string{
	"Autodiscover": "", "Response": "Autodiscover", "Account": "Response", "AccountType": "Account", "Action": "Account",
	"Protocol": "Account", "Type": "Protocol", "Server": "Protocol", "Port": "Protocol", "DomainRequired": "Protocol",
	"LoginName": "Protocol", "SPA": "Protocol", "SSL": "Protocol", "Encryption": "Protocol", "AuthRequired": "Protocol",
}

// TestAutodiscover parses every response back and compares it with the
// model.
func TestAutodiscover(t *testing.T) {
	kb, files := bundled(t)
	for _, p := range kb.Providers {
		want := append(append(current(p, model.IMAP), current(p, model.POP3)...), current(p, model.SMTP)...)
		for _, d := range p.Domains {
			name := AutodiscoverPath(d)
			checkElements(t, name, files[name], autodiscoverElements)
			var r adResponse
			if err := xml.Unmarshal(files[name], &r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			acc := r.Response.Account
			if acc.AccountType != "email" || acc.Action != "settings" || len(acc.Protocols) != len(want) {
				t.Errorf("%s: account %s/%s with %d protocols, want email/settings with %d", name, acc.AccountType, acc.Action, len(acc.Protocols), len(want))
				continue
			}
			for i, pr := range acc.Protocols {
				e := want[i]
				ssl, enc := "on", ""
				switch e.Security {
				case model.STARTTLS:
					enc = "TLS"
				case model.NoTLS:
					ssl = "off"
				}
				if pr.Type != strings.ToUpper(string(e.Protocol)) || pr.Server != e.Host || pr.Port != e.Port || pr.SSL != ssl || pr.Encryption != enc ||
					pr.SPA != "off" || pr.AuthRequired != "on" || pr.DomainRequired != "off" || (e.Username == model.EmailAddress && pr.LoginName != "") {
					t.Errorf("%s: protocol %d is %+v; model has %s %s:%d %s %s", name, i, pr, e.Protocol, e.Host, e.Port, e.Security, e.Username)
				}
			}
		}
	}
}

// TestCSV parses every settings.csv back.
func TestCSV(t *testing.T) {
	kb, files := bundled(t)
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
			want := []string{string(e.Protocol), e.Host, strconv.Itoa(e.Port), string(e.Security), strings.Join(auths(e.Auth), " "), string(e.Username), last, method}
			if !slices.Equal(r, want) {
				t.Errorf("%s row %d = %v, want %v", name, i+1, r, want)
			}
		}
	}
}

// TestSubPath checks that links follow a base URL with a path.
func TestSubPath(t *testing.T) {
	kb, err := loader.Load("../..", loader.WithToday(buildDay))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files(kb, Options{BaseURL: "https://example.org/kb/", Today: buildDay})
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
	if !bytes.Contains(files["mobileconfig/outlook-com-imap.mobileconfig"], []byte("<string>org.example.mobileconfig.outlook-com.imap</string>")) {
		t.Error("profile identifier does not follow the base URL's host")
	}
	if _, err := Files(kb, Options{BaseURL: "/relative/", Today: buildDay}); err == nil {
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
	files, err := Files(kb, Options{BaseURL: kb.Site.BaseURL, Today: buildDay})
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
	if len(out) != 1 || out[0].SocketType != "STARTTLS" || !slices.Equal(out[0].Authentication, []string{"OAuth2", "password-cleartext"}) {
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
