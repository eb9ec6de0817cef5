package pages

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"mailkb/generator/expand"
	"mailkb/generator/model"
	"mailkb/generator/urls"
	"mailkb/generator/view"
)

// funcs are the helpers templates may call.
func (s *planner) funcs() template.FuncMap {
	return template.FuncMap{
		// md and mdInline render markdown from data fields; raw HTML in it
		// is dropped by the renderer, so the result is safe to mark as HTML.
		"md": func(text string) (template.HTML, error) {
			h, err := s.md.Block(text)
			return template.HTML(h), err
		},
		"mdInline": func(text string) (template.HTML, error) {
			h, err := s.md.Inline(text)
			return template.HTML(h), err
		},
		"period":       view.PeriodText,
		"checkedHow":   view.CheckedHow,
		"lastVerified": func(e *model.Endpoint) *model.Verification { return e.LastVerified() },
		"successor":    view.CurrentSuccessor,
		"abs":          s.urls.Abs,
		"anchor":       expand.Anchor,
		"year":         func(d model.Date) int { return d.Y },
		"authLabels":   view.AuthLabels,
		"hostLink":     s.hostLink,
		"settingsRow":  s.settingsRow,
		"historyRow":   s.historyRow,
		"eventItem":    s.eventItem,
		"chrome":       s.chrome,
		"domainPeriod": view.DomainPeriod,
		"lowerFirst":   view.Lower,
		"hasSuffix":    strings.HasSuffix,
		// signsInOnPage: the methods are all ones the provider's own page
		// handles (OAuth2), none typed into the program.
		"signsInOnPage": func(as []model.Auth) bool {
			return len(as) > 0 && !slices.ContainsFunc(as, func(a model.Auth) bool { return a != model.OAuth2 })
		},
		"protoLabels": func(ps []model.Protocol) string {
			out := make([]string, len(ps))
			for i, p := range ps {
				out[i] = p.Label()
			}
			return strings.Join(out, ", ")
		},
		"join":        strings.Join,
		"jsonLD":      jsonLD,
		"protocolsOf": view.ProtocolsOf,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key, value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"guideFor": func(c *model.Client) []*view.Guide {
			return s.guidesFor(func(g *view.Guide) bool { return g.Client == c })
		},
	}
}

// hostLink shows an endpoint's host: a link to its page with a copy
// button, or, for a host made from the user's domain, the pattern and an
// example.
func (s *planner) hostLink(e *model.Endpoint) template.HTML {
	if e.HostIsTemplate() {
		example := model.FillPlaceholders(e.Host, model.ExampleLocalPart, e.ExampleDomain())
		return template.HTML(`<code>` + html.EscapeString(e.Host) + `</code> <small>(` + html.EscapeString(model.DomainPlaceholder) +
			` is the part of your address after the @: for an address at ` + html.EscapeString(e.ExampleDomain()) + `, <code>` + html.EscapeString(example) + `</code>)</small>`)
	}
	h := html.EscapeString(e.Host)
	// Only a value in use gets a Copy button: one copies what to type.
	copy := ""
	if e.Status == model.Current {
		copy = ` data-copy="` + h + `"`
	}
	return template.HTML(`<a class="host" href="` + html.EscapeString(s.urls.Host(e.Host)) + `"` + copy + `><code>` + h + `</code></a>`)
}

// settingsRow renders one row of a settings table once per endpoint and
// marks, however many tables show it.
func (s *planner) settingsRow(e *model.Endpoint, preferred, lastKnown bool) (template.HTML, error) {
	key := fmt.Sprintf("%s/%s|%v|%v", e.Provider.ID, e.ID, preferred, lastKnown)
	h, err := s.partial("settings-row", key, func() any {
		return struct {
			Endpoint             *model.Endpoint
			Preferred, LastKnown bool
		}{e, preferred, lastKnown}
	})
	return template.HTML(h), err
}

// historyRow renders one server's row of a provider's record, once.
func (s *planner) historyRow(e *model.Endpoint) (template.HTML, error) {
	h, err := s.partial("endpoint-history-row", e.Provider.ID+"/"+e.ID, func() any {
		return struct {
			Endpoint *model.Endpoint
			URLs     urls.URLs
		}{e, s.urls}
	})
	return template.HTML(h), err
}

// eventItem renders one event of a timeline, once.
func (s *planner) eventItem(e view.Event) (template.HTML, error) {
	h, err := s.partial("event-item", e.Key, func() any {
		return struct {
			Event view.Event
			URLs  urls.URLs
		}{e, s.urls}
	})
	return template.HTML(h), err
}

// chrome renders a piece of every page's frame (the head's links, the
// header, the footer) once a build: it shows only site-wide data, and
// whether the page is the search page, which has no search box of its own.
func (s *planner) chrome(name string, p *Page) (template.HTML, error) {
	search := p.Kind == "search"
	h, err := s.partial(name, strconv.FormatBool(search), func() any {
		return struct {
			Site   model.Site
			URLs   urls.URLs
			Search bool
		}{p.Site, p.URLs, search}
	})
	return template.HTML(h), err
}
