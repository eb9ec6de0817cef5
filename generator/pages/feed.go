package pages

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"mailkb/generator/expand"
	"mailkb/generator/urls"
	"mailkb/generator/view"
	"sort"
	"time"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// feed writes the Atom feed of setting changes and verifications, newest
// first. Its dates come from the data, never the clock, so the same
// knowledge base gives the same bytes.
func (s *planner) feed() ([]byte, error) {
	site := s.kb.Site
	evs := append([]view.Event(nil), s.events...)
	sort.SliceStable(evs, func(i, j int) bool { return evs[j].Date.Before(evs[i].Date) })
	f := atomFeed{Title: site.Title + ": setting changes and verifications", ID: s.urls.Abs(s.urls.Feed()),
		Links:  []atomLink{{Href: s.urls.Abs(s.urls.Feed()), Rel: "self", Type: "application/atom+xml"}, {Href: s.urls.Abs(s.urls.History())}},
		Author: atomAuthor{Name: site.Title}}
	f.Updated = "1970-01-01T00:00:00Z"
	if len(evs) > 0 {
		f.Updated = stamp(evs[0].Date.Start())
	}
	for _, e := range evs {
		link := s.urls.Abs(s.urls.Provider(e.Provider))
		if e.Endpoint != nil {
			link = s.urls.Abs(s.urls.Host(e.Endpoint.Host))
		}
		summary := fmt.Sprintf("%s, %s: %s.", e.Name, e.Date.Human(), e.Title)
		for _, s := range e.Sources {
			summary += " Source: " + s.Title + " (" + s.Publisher + ")."
		}
		f.Entries = append(f.Entries, atomEntry{Title: e.Name + ": " + e.Title,
			ID: s.urls.Abs(s.urls.History()) + "#" + expand.Anchor(e.Key), Updated: stamp(e.Date.Start()),
			Link: atomLink{Href: link}, Summary: summary})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// sitemap lists the pages at paths, sorted.
func sitemap(u urls.URLs, paths []string) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range paths {
		buf.WriteString("  <url><loc>")
		xml.EscapeText(&buf, []byte(u.Abs(p)))
		buf.WriteString("</loc></url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

// robots is robots.txt: everything may be crawled, and the sitemap says
// what there is. Embeds carry their own noindex.
func robots(u urls.URLs) []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + u.Abs(u.Sitemap()) + "\n")
}
