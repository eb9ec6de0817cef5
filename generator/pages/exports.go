package pages

import (
	"io"
	"mailkb/generator/export"
	"mailkb/generator/model"
	"slices"
)

// exportLinks lists the files generator/export writes for p that a
// reader can use, asking export which exist, so the page never links a
// file that was not written or leaves out one that was.
func (s *planner) exportLinks(p *model.Provider) []ExportLink {
	links := []ExportLink{
		{Label: "JSON", URL: s.urls.ProviderJSON(p), Note: "current settings, the full history, facts and sources"},
		{Label: "CSV", URL: s.urls.SettingsCSV(p), Note: "the quick-reference table"},
	}
	if domains := export.Domains(p, s.today); export.HasClientConfig(p) && len(domains) > 0 {
		d := domains[0]
		links = append(links,
			ExportLink{Label: "Thunderbird autoconfig", URL: s.urls.Autoconfig(d), Note: "for " + d + " and each of the provider's domains"},
			ExportLink{Label: "Microsoft Autodiscover", URL: s.urls.Autodiscover(d), Note: "for " + d + " and each of the provider's domains"})
	}
	profiles := 0
	for _, proto := range []model.Protocol{model.IMAP, model.POP3} {
		if export.HasMobileconfig(p, proto) {
			profiles++
			links = append(links, ExportLink{Label: "Apple configuration profile (" + proto.Label() + ")", URL: s.urls.Mobileconfig(p, proto),
				Note: "for iPhone, iPad and Mac"})
		}
	}
	// A reader who looks for a profile is told why there is none.
	if profiles == 0 && slices.ContainsFunc(p.CurrentEndpoints(), func(e *model.Endpoint) bool { return e.Protocol == model.IMAP || e.Protocol == model.POP3 }) {
		links = append(links, ExportLink{Label: "Apple configuration profile",
			Note: "not offered: a profile sets an account up to sign in with a password, which " + p.Name + "'s servers do not accept; on iPhone, iPad and Mac add the account as its guides show"})
	}
	return links
}

// exports is the job of the machine-readable files (package export),
// made when the site is planned: their names are part of what the site
// serves, which lint checks links against.
func (s *planner) exports() (*Job, error) {
	exported, err := export.Files(s.kb, export.Options{URLs: s.urls, Today: s.today})
	if err != nil {
		return nil, err
	}
	files := make([]File, 0, len(exported))
	for name, data := range exported {
		files = append(files, File{name, data})
	}
	return &Job{Name: "exports", Reads: func(w io.Writer, d Digests) { io.WriteString(w, s.dataKey(d)) },
		Make: func() ([]File, error) { return files, nil }}, nil
}
