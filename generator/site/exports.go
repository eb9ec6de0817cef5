package site

import (
	"mailkb/generator/export"
	"mailkb/generator/model"
)

// ExportLink is one file of a provider's exports, for its page.
type ExportLink struct {
	Label, URL, Note string
}

// exportLinks lists the files generator/export writes for p that a
// reader can use, asking export which exist, so the page never links a
// file that was not written or leaves out one that was.
func (b *builder) exportLinks(p *model.Provider) []ExportLink {
	links := []ExportLink{
		{Label: "JSON", URL: b.urls.Path("/" + export.ProviderJSONPath(p.ID)), Note: "current settings, the full history, facts and sources"},
		{Label: "CSV", URL: b.urls.Path("/" + export.CSVPath(p.ID)), Note: "the quick-reference table"},
	}
	if domains := export.Domains(p, b.today); export.HasClientConfig(p) && len(domains) > 0 {
		d := domains[0]
		links = append(links,
			ExportLink{Label: "Thunderbird autoconfig", URL: b.urls.Path("/" + export.AutoconfigPath(d)), Note: "for " + d + " and each of the provider's domains"},
			ExportLink{Label: "Microsoft Autodiscover", URL: b.urls.Path("/" + export.AutodiscoverPath(d)), Note: "for " + d + " and each of the provider's domains"})
	}
	for _, proto := range []model.Protocol{model.IMAP, model.POP3} {
		if export.HasMobileconfig(p, proto) {
			links = append(links, ExportLink{Label: "Apple configuration profile (" + proto.Label() + ")", URL: b.urls.Path("/" + export.MobileconfigPath(p.ID, proto)),
				Note: "for iPhone, iPad and Mac"})
		}
	}
	return links
}
