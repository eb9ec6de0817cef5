// Package markdown renders markdown to HTML for mailkb: GitHub-flavoured
// tables, automatic heading IDs and code blocks highlighted by chroma with
// CSS classes, so one stylesheet serves every page; tables scroll on narrow
// screens. Raw HTML in the source is dropped, never passed through.
package markdown

import (
	"bytes"
	"strings"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Renderer converts markdown; it is safe for concurrent use.
type Renderer struct{ md goldmark.Markdown }

// New returns a Renderer.
func New() *Renderer {
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(
			extension.Table,
			extension.Strikethrough,
			extension.Linkify,
			highlighting.NewHighlighting(
				highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
				highlighting.WithGuessLanguage(false),
			),
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)}
}

// Block renders src as a sequence of blocks. Tables come wrapped in a
// <div class="table-wrap">, which scrolls sideways on a narrow screen
// instead of widening the page.
func (r *Renderer) Block(src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	// Raw HTML is dropped and code is escaped, so every "<table>" here is
	// one goldmark wrote.
	out := strings.ReplaceAll(buf.String(), "<table>\n", "<div class=\"table-wrap\">\n<table>\n")
	return strings.ReplaceAll(out, "</table>\n", "</table>\n</div>\n"), nil
}

// Inline renders a one-paragraph src without the surrounding <p>, for
// short data fields shown inside a sentence or a table cell.
func (r *Renderer) Inline(src string) (string, error) {
	html, err := r.Block(src)
	if err != nil {
		return "", err
	}
	html = strings.TrimSpace(html)
	if inner, ok := strings.CutPrefix(html, "<p>"); ok && strings.Count(html, "<p>") == 1 {
		if inner, ok := strings.CutSuffix(inner, "</p>"); ok {
			return inner, nil
		}
	}
	return html, nil
}

// StyleSheet returns the CSS for highlighted code: light colours, and dark
// ones when the reader's system prefers a dark scheme.
func StyleSheet() (string, error) {
	var b strings.Builder
	f := chromahtml.New(chromahtml.WithClasses(true))
	if err := f.WriteCSS(&b, styles.Get("github")); err != nil {
		return "", err
	}
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	if err := f.WriteCSS(&b, styles.Get("github-dark")); err != nil {
		return "", err
	}
	b.WriteString("}\n")
	return b.String(), nil
}
