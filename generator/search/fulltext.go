package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The full-text index (format in docs/search.md). The build reads every
// rendered page, cuts it into sections and writes, beside
// /search/index.json:
//
//   - search/t/<n>.json, the terms in sorted runs of about
//     textChunkTarget bytes, each term with its postings: for every page
//     that has it, the page's weight for the term and the sections it is
//     in. A query loads only the runs its words fall in.
//   - search/p/<n>.json, one per page: its URL, title, kind and each
//     section's anchor, heading and opening words, loaded only for the
//     results shown.
//
// A term's weight in a page is a BM25 sum over the page's fields, so that a
// word in the title or a heading counts for more than one in the body and
// a hundred mentions count for little more than ten; the browser adds the
// terms' inverse document frequencies. Fields are measured against fixed
// typical lengths rather than the site's averages, so a page's weights
// depend on the page alone: a Session reads again only the pages an edit
// changed, and a build need not hold every page's terms at once.

// searchField is a part of a page with its own weight.
type searchField int

const (
	fieldTitle    searchField = iota // the page's name (indexedPage.Name)
	fieldKeywords                    // names the page is found by: domains, former names, platforms
	fieldHeadings                    // headings (the h1 too), questions, first cells of anchored rows
	fieldBody
	fieldPairs // neighbouring words of the name and the headings (bigrams)
	fieldCount
)

// fieldBoost is what a match in each field is worth against the body. Two
// query words side by side in a heading or the name are nearly as telling
// as the name itself.
var fieldBoost = [fieldCount]float64{fieldTitle: 5, fieldKeywords: 2.5, fieldHeadings: 1.5, fieldBody: 1, fieldPairs: 4}

// BM25's constants: how fast repeats saturate, and how much a field longer
// than typical is discounted. A page with many headings is not a worse
// place for a phrase one of them has, so pairs are not discounted.
const bm25K1 = 1.2

var bm25B = [fieldCount]float64{fieldTitle: 0.75, fieldKeywords: 0.75, fieldHeadings: 0.75, fieldBody: 0.75, fieldPairs: 0}

// typicalLength is each field's length in tokens on a typical page, where
// BM25 neither favours nor discounts it: about the averages of the bundled
// site's pages (5.6, 8.9, 19.5 and 364 tokens).
var typicalLength = [fieldCount]float64{fieldTitle: 6, fieldKeywords: 10, fieldHeadings: 20, fieldBody: 400, fieldPairs: 1}

// Section levels in postings: how a section has the term.
const (
	inBody     = 1
	inKeywords = 2
	inHeading  = 3
)

const (
	// maxPostingSections keeps the sections a posting lists to the ones
	// with the term in a heading first, then the earliest: enough to point
	// at the best place, and "com" on a long page does not list them all.
	maxPostingSections = 12
	// textChunkTarget is the size of a run of terms: small enough that a
	// query loads little, large enough that a small site has few files.
	textChunkTarget = 16 << 10
	// excerptRunes is how much of a section's text its page's file keeps
	// for the result's excerpt.
	excerptRunes = 240
	// weightScale turns weights into small integers for the JSON.
	weightScale = 10
)

// indexedPage is a page ready for the index: its sections, the keywords
// that find it and a factor on all its weights.
type indexedPage struct {
	searchPage
	// Name is what the page is about, as a reader would type it: the
	// entry's title (Outlook.com, not "Mail server settings for
	// Outlook.com"), else the h1. A query that is the name ranks the page
	// first.
	Name     string
	Keywords []string
	Boost    float64 // 1; less for pages that should not come first (a mistaken host name)
}

// termStat is what one page has of a term: how often it is in each field,
// and the sections that hold it as section×4+level, in page order.
type termStat struct {
	tf       [fieldCount]int32
	sections []int32
	inName   bool // one of the primary tokens of the page's name
}

// pageTerms is one page's terms and the length of each of its fields.
// Each term's stat is an index into stats: one slice, not an allocation
// per term.
type pageTerms struct {
	terms  map[string]int32
	stats  []termStat
	length [fieldCount]int
}

func countTerms(p *indexedPage) *pageTerms {
	pt := &pageTerms{terms: make(map[string]int32, 256), stats: make([]termStat, 0, 256)}
	stat := func(t string) *termStat {
		i, ok := pt.terms[t]
		if !ok {
			i = int32(len(pt.stats))
			pt.stats = append(pt.stats, termStat{})
			pt.terms[t] = i
		}
		return &pt.stats[i]
	}
	count := func(t string, f searchField, section, level int) {
		st := stat(t)
		st.tf[f]++
		pt.length[f]++
		code := int32(section*4 + level)
		switch n := len(st.sections); {
		case n == 0 || st.sections[n-1]/4 != int32(section):
			st.sections = append(st.sections, code)
		case st.sections[n-1] < code:
			st.sections[n-1] = code
		}
	}
	add := func(text string, f searchField, section, level int) {
		eachToken(text, func(t string) { count(t, f, section, level) })
		if level == inHeading {
			for _, pair := range bigrams(text) {
				count(pair, fieldPairs, section, level)
			}
		}
	}
	if len(p.Sections) > 0 {
		add(strings.Join(p.Keywords, " \n "), fieldKeywords, 0, inKeywords)
		add(p.Name, fieldTitle, 0, inHeading)
	}
	for i, s := range p.Sections {
		add(s.Heading, fieldHeadings, i, inHeading)
		add(s.Text, fieldBody, i, inBody)
	}
	for _, t := range primaryTokens(p.Name) {
		if i, ok := pt.terms[t]; ok {
			pt.stats[i].inName = true
		}
	}
	return pt
}

// nameLength is how many distinct terms a page's name has: a query that
// finds them all in it has typed the name.
func nameLength(name string) int {
	seen := map[string]bool{}
	for _, t := range primaryTokens(name) {
		seen[t] = true
	}
	return len(seen)
}

// textIndex is the built index: files by path under the index's folder,
// and what index.json says about them.
type textIndex struct {
	Files    map[string][]byte
	Manifest textManifest
}

// textManifest is the "text" member of /search/index.json.
type textManifest struct {
	Pages  int      `json:"pages"`  // how many pages are indexed (for inverse document frequency)
	Chunks []string `json:"chunks"` // the first term of each run, in order: run n is t/<n>.json
	Names  []int    `json:"names"`  // per page, the number of terms in its name
	Build  string   `json:"build"`  // a digest of the files, to keep a browser's cache from mixing builds
}

// pageEntry is what one page gives the index, kept compact: a Session
// keeps one per page between builds.
type pageEntry struct {
	fragment   []byte // its file, p/<n>.json
	nameLength int
	// terms are the page's terms, each ended by a newline (no token has
	// one), and postings, for each in turn, the end of its part of tails:
	// ",weight,sections×2+named,section…", the posting less the page.
	terms    string
	tails    []byte
	tailEnds []uint32
}

// indexPage works out everything a page gives the index: its terms with
// their weights and sections, and its file.
func indexPage(p *indexedPage) (*pageEntry, error) {
	pt := countTerms(p)
	e := &pageEntry{nameLength: nameLength(p.Name), tailEnds: make([]uint32, 0, len(pt.terms))}
	var terms strings.Builder
	for t, i := range pt.terms {
		st := &pt.stats[i]
		w := 0.0
		for f := range fieldCount {
			if n := float64(st.tf[f]); n > 0 {
				norm := 1 - bm25B[f] + bm25B[f]*float64(pt.length[f])/typicalLength[f]
				w += fieldBoost[f] * n * (bm25K1 + 1) / (n + bm25K1*norm)
			}
		}
		secs := postingSections(st.sections)
		named := 0
		if st.inName {
			named = 1
		}
		terms.WriteString(t)
		terms.WriteByte('\n')
		e.tails = append(e.tails, ',')
		e.tails = strconv.AppendInt(e.tails, int64(max(int(math.Round(w*p.Boost*weightScale)), 1)), 10)
		e.tails = append(e.tails, ',')
		e.tails = strconv.AppendInt(e.tails, int64(len(secs)*2+named), 10)
		for _, s := range secs {
			e.tails = append(e.tails, ',')
			e.tails = strconv.AppendInt(e.tails, int64(s), 10)
		}
		e.tailEnds = append(e.tailEnds, uint32(len(e.tails)))
	}
	e.terms = terms.String()
	var err error
	e.fragment, err = pageFragment(p)
	return e, err
}

// textMerger joins pages' entries, in page order, into the index.
type textMerger struct {
	postings  map[string]*termPostings
	fragments [][]byte
	names     []int
}

// termPostings are a term's postings so far, encoded: for each page the
// difference from the previous page's number, then its tail.
type termPostings struct {
	last    int
	encoded []byte
}

func newTextMerger() *textMerger { return &textMerger{postings: map[string]*termPostings{}} }

// add appends the next page.
func (m *textMerger) add(e *pageEntry) {
	page := len(m.fragments)
	m.fragments = append(m.fragments, e.fragment)
	m.names = append(m.names, e.nameLength)
	rest, start := e.terms, uint32(0)
	for _, end := range e.tailEnds {
		nl := strings.IndexByte(rest, '\n')
		term := rest[:nl]
		rest = rest[nl+1:]
		tp := m.postings[term]
		if tp == nil {
			tp = &termPostings{}
			m.postings[strings.Clone(term)] = tp
		} else {
			tp.encoded = append(tp.encoded, ',')
		}
		tp.encoded = strconv.AppendInt(tp.encoded, int64(page-tp.last), 10)
		tp.encoded = append(tp.encoded, e.tails[start:end]...)
		tp.last, start = page, end
	}
}

// files writes the runs of terms, in term order, and the pages' files.
func (m *textMerger) files() (*textIndex, error) {
	idx := &textIndex{Files: map[string][]byte{}, Manifest: textManifest{Pages: len(m.fragments), Names: m.names}}
	terms := make([]string, 0, len(m.postings))
	for t := range m.postings {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	digest := sha256.New()
	var chunk bytes.Buffer
	flush := func() {
		if chunk.Len() == 0 {
			return
		}
		chunk.WriteString("}\n")
		data := bytes.Clone(chunk.Bytes())
		idx.Files["t/"+strconv.Itoa(len(idx.Manifest.Chunks)-1)+".json"] = data
		digest.Write(data)
		chunk.Reset()
	}
	for _, t := range terms {
		key, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		encoded := m.postings[t].encoded
		if chunk.Len() > 0 && chunk.Len()+len(key)+len(encoded)+3 > textChunkTarget {
			flush()
		}
		if chunk.Len() == 0 {
			idx.Manifest.Chunks = append(idx.Manifest.Chunks, t)
			chunk.WriteByte('{')
		} else {
			chunk.WriteByte(',')
		}
		chunk.Write(key)
		chunk.WriteString(":[")
		chunk.Write(encoded)
		chunk.WriteByte(']')
	}
	flush()
	for i, f := range m.fragments {
		idx.Files["p/"+strconv.Itoa(i)+".json"] = f
		digest.Write(f)
	}
	idx.Manifest.Build = hex.EncodeToString(digest.Sum(nil)[:6])
	return idx, nil
}

// postingSections keeps at most maxPostingSections of a term's sections
// (section×4+level, in page order): those with the term in a heading
// first, then the earliest.
func postingSections(secs []int32) []int32 {
	if len(secs) <= maxPostingSections {
		return secs
	}
	kept := make([]int32, 0, maxPostingSections)
	for level := int32(inHeading); level >= inBody && len(kept) < maxPostingSections; level-- {
		for _, s := range secs {
			if s%4 == level && len(kept) < maxPostingSections {
				kept = append(kept, s)
			}
		}
	}
	slices.Sort(kept)
	return kept
}

// pageFragment is a page's file: what a result shows.
func pageFragment(p *indexedPage) ([]byte, error) {
	sections := make([][3]string, len(p.Sections))
	for i, s := range p.Sections {
		sections[i] = [3]string{s.Anchor, s.Heading, openingWords(s.Text, excerptRunes)}
	}
	data, err := json.Marshal(struct {
		URL      string      `json:"u"`
		Title    string      `json:"t"`
		Kind     string      `json:"k"`
		Sections [][3]string `json:"s"`
	}{p.URL, p.Title, p.Kind, sections})
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// openingWords cuts text to at most n runes, at a word boundary, marking the
// cut with an ellipsis.
func openingWords(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	cut := 0
	for i := range text {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	if sp := strings.LastIndexByte(text[:cut], ' '); sp > 0 {
		cut = sp
	}
	return text[:cut] + "…"
}
