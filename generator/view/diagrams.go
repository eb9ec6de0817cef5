package view

import (
	"html/template"
	"time"

	"mailkb/generator/diagram"
	"mailkb/generator/model"
)

// ProviderDiagrams draws a provider's current servers and, where its
// preferred SMTP server uses STARTTLS, the submission dialogue. The SVG is
// built by generator/diagram from the data alone, with its text escaped,
// so it is safe to place as HTML.
func ProviderDiagrams(p *model.Provider, today time.Time) *Diagrams {
	var incoming, outgoing []*model.Endpoint
	for _, e := range model.MailServers(p.CurrentEndpoints()) {
		if e.Protocol == model.SMTP {
			outgoing = append(outgoing, e)
		} else {
			incoming = append(incoming, e)
		}
	}
	d := &Diagrams{Connections: template.HTML(diagram.Connections(p.Name, incoming, outgoing, diagram.WithID("servers-"+p.ID))),
		Timeline: template.HTML(diagram.Timeline(p, today, diagram.WithID("timeline-"+p.ID)))}
	if len(outgoing) > 0 {
		d.Submission = template.HTML(diagram.Submission(outgoing[0], diagram.WithID("smtp-"+p.ID)))
	}
	if d.Connections == "" && d.Submission == "" && d.Timeline == "" {
		return nil
	}
	return d
}

// Figure is one provider's drawing on a page that shows several.
type Figure struct {
	Provider *model.Provider
	SVG      template.HTML
}

// HistoryFigures draws, for the history page, the timeline of each
// provider whose history the data tells in eras: the hand-written ones.
// A site of hundreds of imported providers keeps their drawings on their
// own pages.
func HistoryFigures(kb *model.KB, today time.Time) []Figure {
	var out []Figure
	for _, p := range kb.Providers {
		if len(p.Eras) == 0 {
			continue
		}
		if svg := diagram.Timeline(p, today, diagram.WithID("history-"+p.ID)); svg != "" {
			out = append(out, Figure{p, template.HTML(svg)})
		}
	}
	return out
}

// Diagrams are a provider page's inline SVG drawings.
type Diagrams struct {
	Connections, Submission template.HTML
	Timeline                template.HTML // eras and servers on a year axis
}
