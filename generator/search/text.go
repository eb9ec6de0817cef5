package search

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// searchPage is the text of one rendered page as the full-text search sees
// it: the main content cut into sections, each of which a result can point
// into.
type searchPage struct {
	URL, Kind, Title string
	Sections         []*searchSection
}

// searchSection is a stretch of a page from one heading or anchored element
// to the next. The first section holds the page's h1 as its heading.
type searchSection struct {
	Anchor  string // the id a result links to; "" for the top of the page
	Heading string // what the section is called: a heading, a question, a table row's first cell
	Text    string // the rest of its text
}

// skippedElements hold nothing a reader searches for: scripts, drawings
// (their text repeats the page's), controls and navigation.
var skippedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Svg: true, atom.Template: true, atom.Noscript: true,
	atom.Button: true, atom.Form: true, atom.Nav: true, atom.Iframe: true, atom.Select: true, atom.Textarea: true,
}

// inlineElements do not separate words; every other tag does.
var inlineElements = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Cite: true, atom.Code: true,
	atom.Data: true, atom.Del: true, atom.Dfn: true, atom.Em: true, atom.I: true, atom.Ins: true, atom.Kbd: true,
	atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strong: true,
	atom.Sub: true, atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true,
}

// headingLevel is 1 to 6 for h1 to h6, else 0.
func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// namesContainer reports whether an element may name the anchored element
// it opens: a FAQ's summary, a dispute's heading, an erratum row's first
// cell, a source's title.
func namesContainer(a atom.Atom) bool {
	switch a {
	case atom.Summary, atom.Th, atom.Td, atom.Strong, atom.Dt, atom.Caption:
		return true
	}
	return headingLevel(a) > 0
}

// openElement is an element the extractor is inside of.
type openElement struct {
	tag atom.Atom
	// resume is the section to go back to when the element closes, if it
	// opened one of its own.
	resume *sectionText
}

// sectionText collects a section's text while the page is read.
type sectionText struct {
	anchor    string
	heading   strings.Builder
	text      strings.Builder
	container bool   // opened by an element with an id: its first naming child names it
	label     string // the element's aria-label: its name when no child names it
}

// pageKind is a rendered page's kind, from its body's kind-… class.
func pageKind(page []byte) string {
	at := bytes.Index(page, []byte("<body"))
	if at < 0 {
		return ""
	}
	tag := page[at:]
	if end := bytes.IndexByte(tag, '>'); end >= 0 {
		tag = tag[:end]
	}
	_, class, found := bytes.Cut(tag, []byte(`class="`))
	class, _, _ = bytes.Cut(class, []byte(`"`))
	for _, c := range strings.Fields(string(class)) {
		if k, ok := strings.CutPrefix(c, "kind-"); ok && found {
			return k
		}
	}
	return ""
}

// mainContent is what a rendered page has between <main …> and </main>;
// nil when it has no main element. Text cannot hold a literal </main>:
// the templates and the markdown renderer escape it.
func mainContent(page []byte) []byte {
	start := bytes.Index(page, []byte("<main"))
	end := bytes.LastIndex(page, []byte("</main>"))
	if start < 0 || end < start {
		return nil
	}
	open := bytes.IndexByte(page[start:end], '>')
	if open < 0 {
		return nil
	}
	return page[start+open+1 : end]
}

// extractSearchPage reads a rendered page: its kind, and its main
// element's text, cut into sections at each heading and at each element
// with an id (FAQ entries, troubleshooting, disputes, errata rows,
// sources). A heading without an id points at the nearest heading above
// it that has one. ok is false for a page without a main element.
func extractSearchPage(url string, page []byte) (p searchPage, ok bool) {
	p.URL, p.Kind = url, pageKind(page)
	main := mainContent(page)
	if main == nil {
		return p, false
	}
	z := html.NewTokenizer(bytes.NewReader(main))
	var (
		sections  []*sectionText
		cur       *sectionText
		stack     []openElement
		skip      atom.Atom // the skipped element being inside of
		skipDepth int
		naming    int       // depth of the element whose text names the current section, 0 if none
		anchors   [7]string // the id of the latest heading at each level
		levelOf   []int     // heading level of each section, 0 for containers
		newSec    = func(anchor string, container bool, level int) {
			cur = &sectionText{anchor: anchor, container: container}
			sections = append(sections, cur)
			levelOf = append(levelOf, level)
		}
	)
	newSec("", false, 0)
	inherited := func(level int) string {
		for l := level - 1; l >= 1; l-- {
			if anchors[l] != "" {
				return anchors[l]
			}
		}
		return ""
	}
	space := func() {
		if naming > 0 {
			cur.heading.WriteByte(' ')
		} else {
			cur.text.WriteByte(' ')
		}
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		var tag atom.Atom
		var id, label string // the attributes read here
		switch tt {
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			tag, id, label = tagParts(z.Raw(), tt == html.StartTagToken)
		}
		if skipDepth > 0 {
			switch {
			case tt == html.StartTagToken && tag == skip:
				skipDepth++
			case tt == html.EndTagToken && tag == skip:
				skipDepth--
			}
			continue
		}
		switch tt {
		case html.TextToken:
			if naming > 0 {
				cur.heading.Write(z.Text())
			} else {
				cur.text.Write(z.Text())
			}
		case html.SelfClosingTagToken:
			space()
		case html.StartTagToken:
			if skippedElements[tag] {
				skip, skipDepth = tag, 1
				continue
			}
			if isVoid(tag) {
				space()
				continue
			}
			if !inlineElements[tag] {
				space()
			}
			open := openElement{tag: tag}
			level := headingLevel(tag)
			switch {
			case naming > 0:
			case cur.container && cur.heading.Len() == 0 && strings.TrimSpace(cur.text.String()) == "" && namesContainer(tag):
				naming = len(stack) + 1
			case level > 0:
				anchor := id
				if anchor == "" {
					anchor = inherited(level)
				}
				anchors[level] = id
				for l := level + 1; l < len(anchors); l++ {
					anchors[l] = ""
				}
				newSec(anchor, false, level)
				naming = len(stack) + 1
			case id != "" || (tag == atom.Aside && label != ""):
				open.resume = cur
				if id == "" {
					id = cur.anchor
				}
				newSec(id, true, 0)
				cur.label = label
			}
			stack = append(stack, open)
		case html.EndTagToken:
			i := len(stack) - 1
			for i >= 0 && stack[i].tag != tag {
				i--
			}
			if i < 0 {
				continue // an end tag that closes nothing open
			}
			if !inlineElements[tag] {
				space()
			}
			for j := len(stack) - 1; j >= i; j-- {
				if naming == j+1 {
					naming = 0
				}
				// A heading's section runs on to the next heading; an
				// anchored element's ends with it.
				if r := stack[j].resume; r != nil {
					cur = r
				}
			}
			stack = stack[:i]
		}
	}
	for i, s := range sections {
		sec := &searchSection{Anchor: s.anchor, Heading: collapseSpace(s.heading.String()), Text: collapseSpace(s.text.String())}
		if sec.Heading == "" {
			sec.Heading = s.label
		}
		if levelOf[i] == 1 && p.Title == "" {
			p.Title = sec.Heading
		}
		if sec.Heading == "" && sec.Text == "" {
			continue
		}
		p.Sections = append(p.Sections, sec)
	}
	return p, true
}

// isVoid reports whether an element has no end tag.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// collapseSpace trims s and turns each run of white space into one space.
func collapseSpace(s string) string {
	var out strings.Builder
	out.Grow(len(s))
	for _, w := range strings.Fields(s) {
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(w)
	}
	return out.String()
}

// tagParts reads a tag's name and, for a start tag, its id and
// aria-label from the tag's raw bytes (<name attr="value" …> or </name>):
// the tokenizer's TagName and TagAttr copy every name and value, and a
// page has thousands of tags of which a few have these attributes. It
// reads the tag as the tokenizer does; TestTagParts and FuzzTagParts
// compare the two.
func tagParts(raw []byte, attrs bool) (tag atom.Atom, id, label string) {
	i := 1 // after <
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	start := i
	for i < len(raw) && !tagSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
		i++
	}
	tag = atom.Lookup(lowerASCII(raw[start:i]))
	if !attrs {
		return tag, "", ""
	}
	var seenID, seenLabel bool
	for {
		for i < len(raw) && (tagSpace(raw[i]) || raw[i] == '/') {
			i++
		}
		if i >= len(raw) || raw[i] == '>' {
			return tag, id, label
		}
		k := i
		i++ // a name's first character may be anything, = included
		for i < len(raw) && !tagSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' && raw[i] != '=' {
			i++
		}
		key := raw[k:i]
		for i < len(raw) && tagSpace(raw[i]) {
			i++
		}
		var val []byte
		if i < len(raw) && raw[i] == '=' {
			i++
			for i < len(raw) && tagSpace(raw[i]) {
				i++
			}
			if i < len(raw) && (raw[i] == '"' || raw[i] == '\'') {
				q := raw[i]
				i++
				v := i
				for i < len(raw) && raw[i] != q {
					i++
				}
				val = raw[v:min(i, len(raw))]
				if i < len(raw) {
					i++
				}
			} else {
				v := i
				for i < len(raw) && !tagSpace(raw[i]) && raw[i] != '>' {
					i++
				}
				val = raw[v:i]
			}
		}
		// A repeated attribute counts once, the first time, as in HTML.
		switch {
		case bytes.EqualFold(key, []byte("id")) && !seenID:
			id, seenID = unescapeAttr(val), true
		case bytes.EqualFold(key, []byte("aria-label")) && !seenLabel:
			label, seenLabel = unescapeAttr(val), true
		}
	}
}

// tagSpace is the white space that separates a tag's parts.
func tagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// lowerASCII lowers a tag name, copying it only when it has capitals.
func lowerASCII(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			out := bytes.Clone(b)
			for j := i; j < len(out); j++ {
				if 'A' <= out[j] && out[j] <= 'Z' {
					out[j] += 'a' - 'A'
				}
			}
			return out
		}
	}
	return b
}

// unescapeAttr is an attribute's value as text.
func unescapeAttr(v []byte) string {
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	return html.UnescapeString(string(v))
}
