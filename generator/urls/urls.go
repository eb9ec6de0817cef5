// Package urls is the site's URL contract: the public path of every page
// and file mailkb publishes, under the base path of data/site.yaml's
// base_url, and the output file that serves each one. Other sites link to
// and embed these paths, so they change only on purpose; every view, the
// exports, lint and the dev server take them from here.
package urls

import (
	"net/url"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// URLs builds the site's paths. Every path starts with the base path of
// base_url, so the site can be served from a sub-folder. The zero value
// is a site at the root of no origin.
type URLs struct {
	origin string // scheme://host of base_url
	host   string // its host name, without a port
	base   string // its path, without the final /
}

// New returns the URLs of a site published at baseURL. A base URL that
// does not parse gives the zero URLs; the loader refuses one first.
func New(baseURL string) URLs {
	u, err := url.Parse(baseURL)
	if err != nil {
		return URLs{}
	}
	return URLs{origin: u.Scheme + "://" + u.Host, host: u.Hostname(), base: strings.TrimSuffix(u.Path, "/")}
}

// Base is the base path: "" for a site at the root, else like "/kb".
func (u URLs) Base() string { return u.base }

// Hostname is the host name of the base URL, without a port.
func (u URLs) Hostname() string { return u.host }

// Abs makes a site path absolute, for feeds, sitemaps, canonical links and
// the exported files.
func (u URLs) Abs(p string) string { return u.origin + p }

// Path puts the base path before a path from the site's root.
func (u URLs) Path(p string) string { return u.base + p }

// File is the output file, relative to the output folder, that serves
// site path p: a path ending in / is served by its index.html.
func (u URLs) File(p string) string {
	file := strings.TrimPrefix(strings.TrimPrefix(p, u.base), "/")
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	return file
}

// Rebase puts the base path before the site paths that rendered markdown
// links to ("/history/" written in a guide is /kb/history/ on a site
// published under /kb/). goldmark writes every link as href="…".
func (u URLs) Rebase(html string) string {
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

// The pages.

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
func (u URLs) Search() string                    { return u.Path("/search/") }
func (u URLs) NotFound() string                  { return u.Path("/404.html") }

// Article is the page of a content file under content/articles/.
func (u URLs) Article(slug string) string { return u.Path("/articles/" + slug + "/") }

// Page is the page of a content file at the top of content/.
func (u URLs) Page(slug string) string { return u.Path("/" + slug + "/") }

// AsOf is the page with a provider's quick-reference table as it stood
// during one year.
func (u URLs) AsOf(p *model.Provider, year int) string {
	return u.Path("/providers/" + p.ID + "/as-of/" + strconv.Itoa(year) + "/")
}

// Guide is the page of one client × provider × protocol guide.
func (u URLs) Guide(c *model.Client, p *model.Provider, proto model.Protocol) string {
	return u.Path("/guides/" + c.ID + "/" + p.ID + "/" + string(proto) + "/")
}

// Source is the anchor of a source in the bibliography.
func (u URLs) Source(s *model.Source) string { return u.Sources() + "#src-" + s.ID }

// Embed is the iframe page of a provider's current settings (protocol ""
// for all of them); EmbedFragment is the self-contained HTML fragment
// beside it.
func (u URLs) Embed(p *model.Provider, proto model.Protocol) string {
	if proto == "" {
		return u.Path("/embed/" + p.ID + "/")
	}
	return u.Path("/embed/" + p.ID + "/" + string(proto) + "/")
}

// EmbedFragment is the HTML fragment of an embed; see Embed.
func (u URLs) EmbedFragment(p *model.Provider, proto model.Protocol) string {
	return u.Embed(p, proto) + "fragment.html"
}

// Site-wide files.

func (u URLs) Feed() string              { return u.Path("/feed.xml") }
func (u URLs) Sitemap() string           { return u.Path("/sitemap.xml") }
func (u URLs) Robots() string            { return u.Path("/robots.txt") }
func (u URLs) Stylesheet() string        { return u.Path("/css/site.css") }
func (u URLs) Script(name string) string { return u.Path("/js/" + name) }
func (u URLs) SearchIndex() string       { return u.Path("/search/index.json") }

// The exported files (see package export and docs/api.md).

func (u URLs) APISchema() string    { return u.Path("/api/v1/schema.json") }
func (u URLs) APIProviders() string { return u.Path("/api/v1/providers.json") }

// ProviderJSON is a provider's JSON file: current settings, history,
// facts and sources.
func (u URLs) ProviderJSON(p *model.Provider) string {
	return u.Path("/api/v1/providers/" + p.ID + ".json")
}

// SettingsCSV is a provider's quick-reference table as CSV.
func (u URLs) SettingsCSV(p *model.Provider) string {
	return u.Path("/providers/" + p.ID + "/settings.csv")
}

// Autoconfig is a mail domain's Thunderbird autoconfig file, where
// Thunderbird's own service keeps it.
func (u URLs) Autoconfig(domain string) string { return u.Path("/autoconfig/v1.1/" + domain) }

// Autodiscover is a mail domain's Microsoft Autodiscover response.
func (u URLs) Autodiscover(domain string) string { return u.Path("/autodiscover/" + domain + ".xml") }

// Mobileconfig is a provider's Apple configuration profile for one
// incoming protocol.
func (u URLs) Mobileconfig(p *model.Provider, proto model.Protocol) string {
	return u.Path("/mobileconfig/" + p.ID + "-" + string(proto) + ".mobileconfig")
}
