package benchcorpus

import (
	"fmt"
	"path"
	"strings"
)

// DistinctProviders is how many providers a distinct corpus has: enough
// for the data tables of its articles to differ, few enough that its
// pages are nearly all articles.
const DistinctProviders = 5

// distinctOverhead is what a distinct corpus builds besides its articles:
// each provider's pages (no guides: it has no clients) and the site-wide
// pages (home, lists, history, sources, search, 404).
const distinctOverhead = DistinctProviders*(pagesPerProvider-2*Clients) + 10

// Articles returns how many articles a distinct corpus of about n pages has.
func Articles(n int) int { return max(1, n-distinctOverhead) }

// ArticleSlug names article i, the same in every tree of the corpus.
func ArticleSlug(i int) string { return fmt.Sprintf("p%05d", i) }

// WriteDistinct creates under dir a knowledge base of about n pages, nearly
// all of them articles that each have a markdown source of their own —
// unlike Write, whose guide sources render once per provider — so a build
// of it does the work one source per page costs. Every article has prose,
// lists, a blockquote, a GFM table, a highlighted YAML block and the
// settings table of one of a few providers, all varying with the article.
//
// Under dir/hugo it writes a Hugo site of the same articles and provider
// data, whose settings shortcode renders the provider's current servers, so
// the two generators can be timed on equal work. The same n always gives
// the same bytes.
func WriteDistinct(n int, dir, templatesDir string) error {
	files := map[string]string{
		"data/site.yaml":         "title: Bench corpus\nbase_url: https://bench.example/\n",
		"data/sources.yaml":      sources(),
		"hugo/hugo.toml":         hugoConfig,
		"hugo/content/_index.md": "---\ntitle: Bench corpus\n---\nA synthetic site, built by Hugo.\n",
	}
	for name, body := range hugoLayouts {
		files[path.Join("hugo/layouts", name)] = body
	}
	for i := range DistinctProviders {
		p := provider(i)
		files[fmt.Sprintf("data/providers/p%05d.yaml", i)] = p
		files[fmt.Sprintf("hugo/data/providers/p%05d.yaml", i)] = p
	}
	for i := range Articles(n) {
		a := article(i)
		files["content/articles/"+ArticleSlug(i)+".md"] = a
		files["hugo/content/articles/"+ArticleSlug(i)+".md"] = a
	}
	return writeFiles(dir, templatesDir, files)
}

// words are what article text is made of; an article picks them by a
// generator seeded with its index, so no two articles read alike.
var words = strings.Fields(`account address alias archive backup band beacon border bridge buffer
cable cache channel cipher client cluster column copper courier current cursor
delta domain draft echo engine folder format frame gateway harbour header
index inbox kernel ladder lantern ledger letter limit marble margin meadow
message mirror module needle network object orbit packet parcel pillar pocket
portal quota raven record relay ribbon router saddle sender signal socket
spool stamp store string switch tablet thread ticket timber token tunnel
upload valley vector vessel window winter yard zenith`)

// rng is a splitmix64 generator: a few lines, the same sequence on every
// platform and Go version, unlike math/rand's unspecified streams.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

func (r *rng) word() string { return words[r.intn(len(words))] }

// phrase returns n words separated by spaces.
func (r *rng) phrase(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = r.word()
	}
	return strings.Join(ws, " ")
}

// sentence returns a capitalised sentence of 6 to 15 words.
func (r *rng) sentence() string {
	s := r.phrase(6 + r.intn(10))
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// paragraph returns 3 to 6 sentences.
func (r *rng) paragraph() string {
	ss := make([]string, 3+r.intn(4))
	for i := range ss {
		ss[i] = r.sentence()
	}
	return strings.Join(ss, " ")
}

// article writes the source of article i: front matter naming one of the
// providers, and a body of about forty lines of every block kind the
// renderers handle, ending with the provider's settings table.
func article(i int) string {
	r := rng(i)
	var b strings.Builder
	topic := r.phrase(2)
	fmt.Fprintf(&b, "---\ntitle: \"Article %d: the %s\"\ndescription: Notes on the %s, number %d.\nprovider: p%05d\nweight: %d\n---\n",
		i, topic, topic, i, i%DistinctProviders, i)
	fmt.Fprintf(&b, "%s\n\n%s **%s** and *%s*.\n\n", r.paragraph(), r.sentence(), r.word(), r.word())
	fmt.Fprintf(&b, "## The %s\n\n", r.phrase(2))
	for range 3 + r.intn(3) {
		fmt.Fprintf(&b, "- %s `%s-%d`\n", r.phrase(3+r.intn(4)), r.word(), r.intn(1000))
	}
	b.WriteString("\n")
	for k := range 3 + r.intn(3) {
		fmt.Fprintf(&b, "%d. %s\n", k+1, r.sentence())
	}
	fmt.Fprintf(&b, "\n> %s\n> %s\n\n", r.sentence(), r.sentence())
	b.WriteString("| # | Item | Count | Note |\n|---|---|---|---|\n")
	for row := range 4 + r.intn(4) {
		fmt.Fprintf(&b, "| %d | %s | %d | %s |\n", row+1, r.word(), r.intn(10000), r.phrase(2))
	}
	fmt.Fprintf(&b, "\n```yaml\n# article %d\n%s:\n  name: %s\n  size: %d\n  enabled: %t\n  tags: [%s, %s]\n", i, r.word(), r.phrase(2), r.intn(100000), r.intn(2) == 0, r.word(), r.word())
	for range 2 + r.intn(3) {
		fmt.Fprintf(&b, "  %s_%d: \"%s\"\n", r.word(), r.intn(100), r.phrase(3))
	}
	b.WriteString("```\n\n")
	fmt.Fprintf(&b, "%s\n\n{{< settings >}}\n", r.paragraph())
	return b.String()
}

// hugoConfig keeps Hugo to what mailkb does with the same sources:
// goldmark with GFM tables, no typographer (mailkb has none), chroma with
// CSS classes, no taxonomies and no RSS (mailkb's feed is of data events,
// not pages).
const hugoConfig = `baseURL = "https://bench.example/"
title = "Bench corpus"
locale = "en"
disableKinds = ["taxonomy", "term", "rss"]

[markup.goldmark.extensions]
  table = true
  strikethrough = true
  linkify = true
  definitionList = false
  footnote = false
  taskList = false
  [markup.goldmark.extensions.typographer]
    disable = true

[markup.goldmark.renderer]
  unsafe = false

[markup.highlight]
  noClasses = false
  guessSyntax = false
`

// hugoLayouts are the Hugo site's templates, keyed by path under
// layouts/: a page with a head, a nav, the title and the content, a list
// of articles on the home and section pages, and the settings table.
var hugoLayouts = map[string]string{
	"_default/baseof.html": `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
{{- with .Description }}
<meta name="description" content="{{ . }}">
{{- end }}
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<header><nav aria-label="Site"><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a> · <a href="{{ relURL "articles/" }}">Articles</a></nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
`,
	"_default/single.html": `{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
{{ end }}
`,
	"_default/list.html": `{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }} — {{ . }}{{ end }}</li>{{ end }}</ul>
{{ end }}
`,
	"_default/home.html": `{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ .Content }}
<section aria-labelledby="articles"><h2 id="articles">Articles</h2>
<ul>{{ range site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }} — {{ . }}{{ end }}</li>{{ end }}</ul></section>
{{ end }}
`,
	// The provider's current servers are the endpoints with no until, as
	// in mailkb's settings table of an article.
	"shortcodes/settings.html": `{{- $id := .Page.Params.provider -}}
{{- $p := index hugo.Data.providers $id -}}
{{- if not $p }}{{ errorf "%s: provider %q is not in data/providers; give one that is" .Page.File.Path $id }}{{ end -}}
<div class="table-wrap">
<table class="settings">
<caption>Current settings for {{ $p.name }}</caption>
<thead><tr><th scope="col">Protocol</th><th scope="col">Server</th><th scope="col">Port</th><th scope="col">Encryption</th></tr></thead>
<tbody>
{{- range $p.endpoints }}{{ if not .until }}
<tr><th scope="row">{{ upper .protocol }}</th><td data-label="Server"><code>{{ .host }}</code></td><td data-label="Port"><code>{{ .port }}</code></td><td data-label="Encryption">{{ .security }}</td></tr>
{{- end }}{{ end }}
</tbody>
</table>
</div>
`,
}
