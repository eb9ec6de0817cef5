package site

import (
	"encoding/json"
	"mailkb/generator/search"
	"slices"
	"strings"
	"testing"
)

// The tests below check what a reader gets from pages of the golden
// knowledge base (testdata/goldenkb), whose every value the test knows:
// the wording of year stretches, structured data, Open Graph tags and
// search. The same rules are checked on the bundled data, from its model,
// in realkb_test.go.

func TestAsOfPages(t *testing.T) {
	files := renderGolden(t)
	tests := []struct {
		page      string
		want, not []string
	}{
		{"providers/wren/as-of/2009/index.html",
			[]string{"From 1 January 2009 until February 2009", "From February 2009", "pop3.wren.example", "smtp.wren.example",
				`href="/kb/providers/wren/as-of/2008/"`, `href="/kb/providers/wren/as-of/2010/"`},
			[]string{"imap.wren.example", "pop.wren.example"}},
		{"providers/wren/as-of/2012/index.html",
			[]string{"From 1 January 2012 until September 2012", "From September 2012", "pop3.wren.example", "pop.wren.example", "imap.wren.example"},
			nil},
		{"providers/wren/as-of/2026/index.html",
			[]string{"pop.wren.example", "imap.wren.example", "smtp.wren.example"},
			[]string{"pop3.wren.example", `as-of/2027/`}},
		{"providers/kestrel/as-of/2024/index.html",
			[]string{"imap.kestrel.example", "smtp.kestrel.example"},
			[]string{`as-of/2023/`}},
	}
	for _, tt := range tests {
		page := string(files[tt.page])
		if page == "" {
			t.Errorf("no %s", tt.page)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", tt.page, w)
			}
		}
		tables := settingsTables([]byte(page), -1)
		for _, n := range tt.not {
			if strings.Contains(tables, n) || strings.HasPrefix(n, "as-of") && strings.Contains(page, n) {
				t.Errorf("%s has %q", tt.page, n)
			}
		}
	}
	if files["providers/kestrel/as-of/2023/index.html"] != nil {
		t.Error("an as-of page before the first evidence of any server")
	}
}

// TestPreferredOverTime: in a year in which a second SMTP port came and
// became the first choice, the stretch with one port marks nothing (a tag
// on the only server says nothing) and the stretch with two marks the new
// first choice.
func TestPreferredOverTime(t *testing.T) {
	page := renderGolden(t)["providers/wren/as-of/2009/index.html"]
	tables := tablePattern.FindAll(page, -1)
	if len(tables) != 2 {
		t.Fatalf("%d tables in 2009, want one before and one after February", len(tables))
	}
	if row := preferredRow.Find(tables[0]); row != nil {
		t.Errorf("stretch 1 (one SMTP port) marks %q preferred", pageText(row))
	}
	if row := preferredRow.Find(tables[1]); row == nil || !strings.Contains(pageText(row), "SMTP") || !strings.Contains(string(row), "<code>587</code>") {
		t.Errorf("stretch 2: preferred row %q, want SMTP on 587", pageText(row))
	}
}

func TestStructuredDataOfAGuide(t *testing.T) {
	files := renderGolden(t)
	howTo := jsonLDOf(t, files["guides/newmail/wren/imap/index.html"])["HowTo"]
	steps, _ := howTo["step"].([]any)
	if len(steps) != 5 {
		t.Fatalf("%d HowTo steps, want the guide's 5 numbered items", len(steps))
	}
	if first := steps[0].(map[string]any)["text"].(string); !strings.HasPrefix(first, "Open File → New account and choose Configure manually") {
		t.Errorf("first step = %q", first)
	}
	faq := jsonLDOf(t, files["providers/wren/index.html"])["FAQPage"]
	q := faq["mainEntity"].([]any)[0].(map[string]any)
	answer := q["acceptedAnswer"].(map[string]any)["text"].(string)
	if q["name"] != "Which port do I send on?" || !strings.HasPrefix(answer, "587 with STARTTLS") {
		t.Errorf("first FAQ = %v / %q", q["name"], answer)
	}
}

func TestOpenGraphOfAGuide(t *testing.T) {
	page := string(renderGolden(t)["guides/newmail/wren/imap/index.html"])
	for _, want := range []string{
		`<meta property="og:type" content="article">`,
		`<meta property="og:title" content="Wren Mail in New Mailer (IMAP)">`,
		`<meta property="og:url" content="https://golden.example/kb/guides/newmail/wren/imap/">`,
		`<meta property="og:site_name" content="Golden KB">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("guide lacks %s", want)
		}
	}
}

// TestHistoricalGuide: a guide for a program of the past shows the
// settings of its last day, says they no longer work and links today's.
func TestHistoricalGuide(t *testing.T) {
	files := renderGolden(t)
	page := string(files["guides/oldmail/wren/pop3/index.html"])
	for _, want := range []string{"Historical guide", "pop3.wren.example", `href="/kb/guides/newmail/wren/pop3/"`, "587 or 25"} {
		if !strings.Contains(page, want) {
			t.Errorf("Old Mailer's POP3 guide lacks %q", want)
		}
	}
	if strings.Contains(string(files["guides/newmail/wren/pop3/index.html"]), "Historical guide") {
		t.Error("the current guide calls itself historical")
	}
	if files["guides/oldmail/kestrel/pop3/index.html"] != nil {
		t.Error("a guide for a program that was retired before the provider had servers")
	}
}

// TestSearchIndex checks that old and mistyped host names lead to their
// replacements, as the search page shows them.
func TestSearchIndex(t *testing.T) {
	files := renderGolden(t)
	var idx struct {
		Entries []search.Entry `json:"entries"`
	}
	if err := json.Unmarshal(files["search/index.json"], &idx); err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]search.Entry{}
	for _, e := range idx.Entries {
		byTitle[e.Title] = e
	}
	tests := []struct{ host, replacement string }{
		{"pop3.wren.example", "/kb/hosts/pop.wren.example/"},
		{"pop3.wren.exmaple", "/kb/hosts/pop3.wren.example/"}, // an erratum leads to the right value
	}
	for _, tt := range tests {
		e, ok := byTitle[tt.host]
		if !ok || e.URL != "/kb/hosts/"+tt.host+"/" {
			t.Errorf("no host entry for %s", tt.host)
			continue
		}
		if !slices.Contains(e.See, tt.replacement) {
			t.Errorf("%s: see also %v, want %s", tt.host, e.See, tt.replacement)
		}
	}
	if page := string(files["search/index.html"]); !strings.Contains(page, `<a href="/kb/hosts/pop3.wren.example/"><code>pop3.wren.example</code></a>`) {
		t.Error("the search page's plain list lacks pop3.wren.example")
	}
}

// TestJSONLDCannotCloseTheScript puts markup in data that ends up in
// JSON-LD and checks that it stays inside the script element, escaped.
func TestJSONLDCannotCloseTheScript(t *testing.T) {
	kb := smallKB()
	kb["data/providers/acme.yaml"] += `faq:
  - id: evil
    question: "Does </script><script>alert(1)</script> work?"
    answer: "No & never <b>bold</b>."
    sources: [s1]
`
	files, err := Render(Options{Root: writeKB(t, kb), Now: buildDay})
	if err != nil {
		t.Fatal(err)
	}
	page := files["providers/acme/index.html"]
	if strings.Contains(string(page), "<script>alert(1)") {
		t.Fatal("a FAQ question closed the JSON-LD script element")
	}
	faq := jsonLDOf(t, page)["FAQPage"]
	q := faq["mainEntity"].([]any)[0].(map[string]any)
	if q["name"] != "Does </script><script>alert(1)</script> work?" {
		t.Errorf("question = %q, want it intact after decoding", q["name"])
	}
}
