package site

import (
	"html/template"

	"mailkb/generator/diagram"
	"mailkb/generator/model"
)

// providerDiagrams draws a provider's current servers and, where its
// preferred SMTP server uses STARTTLS, the submission dialogue. The SVG is
// built by generator/diagram from the data alone, with its text escaped,
// so it is safe to place as HTML.
func providerDiagrams(p *model.Provider) *Diagrams {
	var incoming, outgoing []*model.Endpoint
	for _, e := range model.MailServers(p.CurrentEndpoints()) {
		if e.Protocol == model.SMTP {
			outgoing = append(outgoing, e)
		} else {
			incoming = append(incoming, e)
		}
	}
	d := &Diagrams{Connections: template.HTML(diagram.Connections(p.Name, incoming, outgoing, diagram.WithID("servers-"+p.ID)))}
	if len(outgoing) > 0 {
		d.Submission = template.HTML(diagram.Submission(outgoing[0], diagram.WithID("smtp-"+p.ID)))
	}
	if d.Connections == "" && d.Submission == "" {
		return nil
	}
	return d
}
