package site

import (
	"slices"

	"mailkb/generator/model"
)

// Embed is what the embed templates receive: one provider's current
// quick-reference table, or one protocol of it.
type Embed struct {
	Site     model.Site
	URLs     URLs
	Provider *model.Provider
	Protocol model.Protocol // "" for every protocol
	Table    *Table
	Verified *model.Verification // newest verification of the rows
}

// EmbedPage is the path of the iframe page for all of a provider's current
// settings; its fragment is EmbedPage + "fragment.html".
func (u URLs) EmbedPage(p *model.Provider) string { return u.EmbedPath(p, "") }

// EmbedPath is the path of a provider's embed (protocol "" for all of
// them): the iframe page is at the path, the HTML fragment beside it.
func (u URLs) EmbedPath(p *model.Provider, proto model.Protocol) string {
	if proto == "" {
		return u.Path("/embed/" + p.ID + "/")
	}
	return u.Path("/embed/" + p.ID + "/" + string(proto) + "/")
}

// protocolsOf lists the distinct protocols of endpoints, in their order.
func protocolsOf(es []*model.Endpoint) []model.Protocol {
	var out []model.Protocol
	for _, e := range es {
		if !slices.Contains(out, e.Protocol) {
			out = append(out, e.Protocol)
		}
	}
	return out
}

// embedJobs renders a provider's embeds: the iframe page and the
// self-contained fragment, for all current endpoints and for each protocol.
// They stay out of the sitemap: the provider page is the canonical one.
func (b *builder) embedJobs(p *model.Provider) []func() error {
	current := model.MailServers(p.CurrentEndpoints())
	protos := append([]model.Protocol{""}, protocolsOf(current)...)
	var jobs []func() error
	for _, proto := range protos {
		rows := current
		if proto != "" {
			rows = nil
			for _, e := range current {
				if e.Protocol == proto {
					rows = append(rows, e)
				}
			}
		}
		data := &Embed{Site: b.kb.Site, URLs: b.urls, Provider: p, Protocol: proto, Table: b.table(rows, b.today), Verified: lastVerified(rows)}
		title := "Mail server settings for " + p.Name
		if proto != "" {
			title = proto.Label() + " settings for " + p.Name
		}
		for _, kind := range []string{"embed", "embed-fragment"} {
			path := b.urls.EmbedPath(p, proto)
			if kind == "embed-fragment" {
				path += "fragment.html"
			}
			pg := b.page(kind, title, path)
			pg.Embed, pg.Provider, pg.NoIndex = data, p, true
			pg.memoKey = b.memoKey(kind, b.providerKey(p))
			jobs = append(jobs, func() error {
				if b.reuse(pg.Path, pg.memoKey) {
					return nil
				}
				return b.emit(pg)
			})
		}
	}
	return jobs
}
