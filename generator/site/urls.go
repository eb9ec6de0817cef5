package site

import (
	"net/url"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// URLs builds the site's public, stable paths (the URL contract). Every
// path starts with the base path of the site's base_url, so the site can
// be served from a sub-folder.
type URLs struct {
	origin string // scheme://host of base_url
	base   string // path of base_url, without the final /
}

func newURLs(baseURL string) URLs {
	u, err := url.Parse(baseURL)
	if err != nil {
		return URLs{}
	}
	return URLs{origin: u.Scheme + "://" + u.Host, base: strings.TrimSuffix(u.Path, "/")}
}

// rebase puts the site's base path before the site paths that markdown
// links to ("/history/" written in a guide is /kb/history/ on a site
// published under /kb/). goldmark writes every link as href="…", and
// values from shortcodes are still tokens here, already based.
func (u URLs) rebase(html string) string {
	if u.base == "" {
		return html
	}
	var b strings.Builder
	for {
		i := strings.Index(html, `href="/`)
		if i < 0 {
			b.WriteString(html)
			return b.String()
		}
		i += len(`href="`)
		b.WriteString(html[:i])
		html = html[i:]
		if !strings.HasPrefix(html, "//") {
			b.WriteString(u.base)
		}
	}
}

// Abs makes a site path absolute, for feeds, sitemaps and canonical links.
func (u URLs) Abs(p string) string { return u.origin + p }

func (u URLs) Path(p string) string              { return u.base + p }
func (u URLs) Home() string                      { return u.Path("/") }
func (u URLs) Providers() string                 { return u.Path("/providers/") }
func (u URLs) Provider(p *model.Provider) string { return u.Path("/providers/" + p.ID + "/") }
func (u URLs) Clients() string                   { return u.Path("/clients/") }
func (u URLs) Client(c *model.Client) string     { return u.Path("/clients/" + c.ID + "/") }
func (u URLs) Guides() string                    { return u.Path("/guides/") }
func (u URLs) Hosts() string                     { return u.Path("/hosts/") }
func (u URLs) Host(h string) string              { return u.Path("/hosts/" + h + "/") }
func (u URLs) History() string                   { return u.Path("/history/") }
func (u URLs) Sources() string                   { return u.Path("/sources/") }
func (u URLs) Feed() string                      { return u.Path("/feed.xml") }
func (u URLs) Stylesheet() string                { return u.Path("/css/site.css") }
func (u URLs) Script(name string) string         { return u.Path("/js/" + name) }
func (u URLs) Search() string                    { return u.Path("/search/") }
func (u URLs) SearchIndex() string               { return u.Path("/search/index.json") }
func (u URLs) Sitemap() string                   { return u.Path("/sitemap.xml") }

// AsOf is the page with a provider's quick-reference table as it stood
// during one year.
func (u URLs) AsOf(p *model.Provider, year int) string {
	return u.Path("/providers/" + p.ID + "/as-of/" + strconv.Itoa(year) + "/")
}

// Guide is the path of one guide page.
func (u URLs) Guide(c *model.Client, p *model.Provider, proto model.Protocol) string {
	return u.Path("/guides/" + c.ID + "/" + p.ID + "/" + string(proto) + "/")
}

// Source is the anchor of a source in the bibliography.
func (u URLs) Source(s *model.Source) string { return u.Sources() + "#src-" + s.ID }
