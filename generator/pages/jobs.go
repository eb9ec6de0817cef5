package pages

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"sync"

	"mailkb/generator/expand"
	"mailkb/generator/model"
	"mailkb/generator/parallel"
	"mailkb/generator/search"
	"mailkb/generator/view"
)

// jobs lists a job for every page and the feed. Pages are independent
// once guides and articles are planned, so they may be made in any order
// and at once; output stays byte-identical because files are named by
// path and lists are sorted.
func (s *planner) jobs(entries []search.Entry) []*Job {
	var jobs []*Job
	for _, g := range s.guides {
		jobs = append(jobs, s.guideJob(g))
	}
	for _, a := range s.articles {
		jobs = append(jobs, s.articleJob(a))
	}
	for _, p := range s.kb.Providers {
		jobs = append(jobs, s.providerJob(p))
		jobs = append(jobs, s.embedJobs(p)...)
		jobs = append(jobs, s.asOfJobs(p)...)
	}
	for _, c := range s.kb.Clients {
		path := s.urls.Client(c)
		jobs = append(jobs, s.pageJob(path, func(w io.Writer, d Digests) {
			fmt.Fprintf(w, "%s|%s|%s", c.ID, s.guidesKey(), s.namesKey())
		}, func() (*Page, error) {
			pg := s.page("client", c.Name, path, Crumb{"Clients", s.urls.Clients()})
			pg.Client, pg.Guides, pg.Description = c, s.guidesFor(func(g *view.Guide) bool { return g.Client == c }), "Setting up mail in "+c.Name+": supported protocols and guides."
			return pg, nil
		}))
	}
	for _, h := range s.hosts {
		path := s.urls.Host(h.Name)
		jobs = append(jobs, s.pageJob(path, func(w io.Writer, d Digests) {
			fmt.Fprintf(w, "%s|%s|%s", h.Name, s.namesKey(), s.hostProvidersKey(h, d))
		}, func() (*Page, error) {
			pg := s.page("host", h.Name, path, Crumb{"Hosts", s.urls.Hosts()})
			pg.Host, pg.Description = h, "What the mail server name "+h.Name+" is, when it was valid and what replaced it."
			return pg, nil
		}))
	}
	jobs = append(jobs, s.listJobs(entries)...)
	jobs = append(jobs, s.pageJob(s.urls.Home(), s.wholeKey, s.homePage))
	jobs = append(jobs, &Job{Name: "feed", Reads: func(w io.Writer, d Digests) { io.WriteString(w, s.dataKey(d)) }, Make: func() ([]File, error) {
		feed, err := s.feed()
		return []File{{s.urls.File(s.urls.Feed()), feed}}, err
	}})
	return jobs
}

// pageJob is the job of the page at path, made by make.
func (s *planner) pageJob(path string, reads func(io.Writer, Digests), make func() (*Page, error)) *Job {
	return &Job{Name: s.urls.File(path), Path: path, InSitemap: true, Entry: s.entryOf[path], Reads: reads,
		Make: func() ([]File, error) {
			pg, err := make()
			if err != nil {
				return nil, err
			}
			return s.render(pg)
		}}
}

// listJobs are the pages that list others, the 404 page and the search
// page. Each reads only what it lists, so an edit that leaves a list as
// it was does not make it again.
func (s *planner) listJobs(entries []search.Entry) []*Job {
	type list struct {
		kind, title, path string
		reads             func(io.Writer, Digests)
	}
	none := func(io.Writer, Digests) {} // site-wide data only, which every job reads
	lists := []list{
		{"providers", "Providers", s.urls.Providers(), s.wholeKey},
		{"clients", "Mail clients", s.urls.Clients(), none},
		{"guides", "Setup guides", s.urls.Guides(), func(w io.Writer, _ Digests) { io.WriteString(w, s.guidesKey()) }},
		{"hosts", "Server names", s.urls.Hosts(), func(w io.Writer, _ Digests) {
			for _, x := range s.hosts {
				fmt.Fprintf(w, "%s|%v|%v\n", x.Name, x.Current(), x.Published())
			}
		}},
		{"history", "History of settings", s.urls.History(), s.historyKey},
		{"sources", "Sources", s.urls.Sources(), none},
		{"404", "Page not found", s.urls.NotFound(), none},
		{"search", "Search", s.urls.Search(), func(w io.Writer, _ Digests) {
			for _, e := range entries {
				for _, f := range append([]string{e.Kind, e.Title, e.URL, e.Text}, append(e.Terms, e.See...)...) {
					io.WriteString(w, f)
					io.WriteString(w, "\x00")
				}
				io.WriteString(w, "\n")
			}
		}},
	}
	var jobs []*Job
	for _, l := range lists {
		j := s.pageJob(l.path, l.reads, func() (*Page, error) {
			pg := s.page(l.kind, l.title, l.path)
			pg.Guides, pg.Hosts, pg.Events, pg.Sources, pg.Articles = s.guides, s.hosts, s.events, s.kb.Sources, s.articleList()
			switch l.kind {
			case "history":
				pg.Timeline = s.timeline()
				pg.Figures = view.HistoryFigures(s.kb, s.today)
			case "search":
				pg.Search, pg.Description = search.Groups(entries), "Find a provider, a server name (old or new), a mail program or a guide."
			}
			return pg, nil
		})
		if l.kind == "404" {
			j.InSitemap, j.Entry = false, nil
		}
		jobs = append(jobs, j)
	}
	return jobs
}

func (s *planner) homePage() (*Page, error) {
	pg := s.page("home", s.kb.Site.Title, s.urls.Home())
	pg.Crumbs = nil
	pg.Guides, pg.Articles, pg.Events = s.guides, s.articleList(), recent(s.events, 10)
	pg.Description = s.kb.Site.Description
	if s.home != nil {
		r, err := s.renderBody(s.home, expand.Scope{AsOf: s.today}, false)
		if err != nil {
			return nil, err
		}
		pg.Body = r.HTML
		if s.home.Description != "" {
			pg.Description = s.home.Description
		}
	}
	return pg, nil
}

// recent returns the n newest events, newest first.
func recent(evs []view.Event, n int) []view.Event {
	out := make([]view.Event, 0, n)
	for i := len(evs) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, evs[i])
	}
	return out
}

func (s *planner) articleJob(a *article) *Job {
	j := s.pageJob(a.URL, func(w io.Writer, d Digests) {
		fmt.Fprintf(w, "%x|%s", a.src.Digest, s.namesKey())
		if a.scope.Provider != nil {
			fmt.Fprintf(w, "|%s", d.Data(a.scope.Provider.File))
		}
	}, func() (*Page, error) {
		r, err := s.renderBody(a.src, a.scope, false)
		if err != nil {
			return nil, err
		}
		pg := s.page("article", a.Title, a.URL)
		pg.Body, pg.Description, pg.Provider = r.HTML, a.src.Description, a.scope.Provider
		return pg, nil
	})
	j.Source = a.src
	return j
}

func (s *planner) providerJob(p *model.Provider) *Job {
	path := s.urls.Provider(p)
	return s.pageJob(path, func(w io.Writer, d Digests) {
		fmt.Fprintf(w, "%s|%s|%s", d.Data(p.File), s.guidesKey(), s.namesKey())
	}, func() (*Page, error) {
		if err := s.historyRows(p); err != nil {
			return nil, err
		}
		pg := s.page("provider", "Mail server settings for "+p.Name, path, Crumb{"Providers", s.urls.Providers()})
		pg.Provider = p
		pg.Description = fmt.Sprintf("Current IMAP, POP3 and SMTP settings for %s, with their history, sources and the errors in old guides.", p.Name)
		current := p.CurrentEndpoints()
		pg.Table = s.table(model.MailServers(current), s.today)
		pg.OtherWays = model.OtherWaysIn(current)
		for _, f := range p.Facts {
			if f.Period.Contains(s.today) {
				pg.Facts = append(pg.Facts, f)
			} else {
				pg.PastFacts = append(pg.PastFacts, f)
			}
		}
		var firsts []*model.Endpoint
		for _, proto := range model.Protocols {
			if proto.MailServer() {
				if es := p.InForce(proto, s.today, s.today); len(es) > 0 && es[0].Status == model.Current {
					firsts = append(firsts, es[0])
				}
			}
		}
		pg.Checklist = view.NewChecklist(p, firsts, s.today)
		pg.Exports = s.exportLinks(p)
		pg.Guides = s.guidesFor(func(g *view.Guide) bool { return g.Provider == p })
		pg.Events = s.eventsOf[p]
		pg.Sources = p.Citations()
		pg.Years = view.AsOfYears(p, s.today)
		pg.Diagrams = view.ProviderDiagrams(p, s.today)
		return pg, nil
	})
}

// historyRows renders the rows of a provider's record and its events on
// every core before its page puts them together: a provider of thousands of servers
// would otherwise make one long job that the whole build waits for.
func (s *planner) historyRows(p *model.Provider) error {
	if len(p.Endpoints) < 64 {
		return nil // the page renders a short record faster itself
	}
	evs := s.eventsOf[p]
	errs := make([]error, len(p.Endpoints)+len(evs))
	parallel.For(len(errs), parallel.Cores(), func(i int) {
		if i < len(p.Endpoints) {
			_, errs[i] = s.historyRow(p.Endpoints[i])
		} else {
			_, errs[i] = s.eventItem(evs[i-len(p.Endpoints)])
		}
	})
	return errors.Join(errs...)
}

// guideJob renders one guide, with the current guides for the same
// provider and protocol linked when this one is historical.
func (s *planner) guideJob(g *view.Guide) *Job {
	return s.pageJob(g.URL, func(w io.Writer, d Digests) {
		fmt.Fprintf(w, "%s|%x|%s", d.Data(g.Provider.File), g.Source.Digest, s.guidesKey())
	}, func() (*Page, error) {
		r, err := s.renderBody(g.Source, guideScope(g), true)
		if err != nil {
			return nil, err
		}
		pg := s.page("guide", g.Title, g.URL, Crumb{"Guides", s.urls.Guides()}, Crumb{g.Client.Name, s.urls.Client(g.Client)})
		pg.Guide, pg.Provider, pg.Client, pg.Body, pg.Historical = g, g.Provider, g.Client, r.HTML, g.Historical
		pg.Description = g.Source.Description
		if pg.Description == "" {
			pg.Description = fmt.Sprintf("Step by step: %s in %s with %s.", g.Provider.Name, g.Client.Name, g.Protocol.Label())
		}
		pg.Incoming = g.Provider.InForce(g.Protocol, g.AsOf, s.today)
		if g.Protocol != model.HTTPMail {
			pg.Outgoing = g.Provider.InForce(model.SMTP, g.AsOf, s.today)
		}
		if !g.Historical {
			pg.Ways = view.WaysFor(s.urls, g.Client, g.Provider, g.Protocol, g.AsOf, s.today)
			pg.Checklist = view.NewChecklist(g.Provider, view.GuideServers(g.Provider, g.Protocol, g.AsOf, s.today), g.AsOf)
		}
		if !r.HasSettings {
			pg.Table = s.table(append(append([]*model.Endpoint{}, pg.Incoming...), pg.Outgoing...), g.AsOf)
		}
		for _, o := range s.currentGuides[view.GuideKey{Provider: g.Provider, Protocol: g.Protocol}] {
			if o != g && o.Works(s.today) {
				pg.Guides = append(pg.Guides, o)
			}
		}
		// The same program's guide first.
		sort.SliceStable(pg.Guides, func(i, j int) bool { return pg.Guides[i].Client == g.Client && pg.Guides[j].Client != g.Client })
		return pg, nil
	})
}

// asOfJobs are p's year pages. Every year asks about the same endpoints:
// they are placed, and their changes found, once for all the years, when
// the first year page is made.
func (s *planner) asOfJobs(p *model.Provider) []*Job {
	years := view.AsOfYears(p, s.today)
	placed := sync.OnceValues(func() (*model.Timeline, view.Changes) {
		return p.Timeline(s.today), view.ChangesOf(p, s.today)
	})
	var jobs []*Job
	for i, year := range years {
		path := s.urls.AsOf(p, year)
		jobs = append(jobs, s.pageJob(path, func(w io.Writer, d Digests) {
			fmt.Fprintf(w, "%d|%s", year, d.Data(p.File))
		}, func() (*Page, error) {
			tl, changes := placed()
			y := view.YearOf(p, tl, changes, year, s.eventsOf[p], s.table, s.today)
			for i := range y.Spans {
				t := y.Spans[i].Table
				// Many years show the same table: render each one once.
				h, err := s.partial("settings-table", t.Key(), func() any { return t })
				if err != nil {
					return nil, err
				}
				y.Spans[i].HTML = template.HTML(h)
			}
			if i > 0 {
				y.Prev = years[i-1]
			}
			if i+1 < len(years) {
				y.Next = years[i+1]
			}
			title := fmt.Sprintf("Mail server settings for %s in %d", p.Name, year)
			pg := s.page("as-of", title, path, Crumb{"Providers", s.urls.Providers()}, Crumb{p.Name, s.urls.Provider(p)})
			pg.Provider, pg.AsOf = p, y
			pg.Description = fmt.Sprintf("The servers, ports and encryption %s published for mail programs in %d, from mailkb's dated record.", p.Name, year)
			return pg, nil
		}))
	}
	return jobs
}

// embedJobs are a provider's embeds: the iframe page and the
// self-contained fragment, for all current endpoints and for each
// protocol. They stay out of the sitemap: the provider page is the
// canonical one.
func (s *planner) embedJobs(p *model.Provider) []*Job {
	current := model.MailServers(p.CurrentEndpoints())
	protos := append([]model.Protocol{""}, view.ProtocolsOf(current)...)
	var jobs []*Job
	for _, proto := range protos {
		rows := current
		if proto != "" {
			rows = slices.DeleteFunc(slices.Clone(current), func(e *model.Endpoint) bool { return e.Protocol != proto })
		}
		title := "Mail server settings for " + p.Name
		if proto != "" {
			title = proto.Label() + " settings for " + p.Name
		}
		for _, kind := range []string{"embed", "embed-fragment"} {
			path := s.urls.Embed(p, proto)
			if kind == "embed-fragment" {
				path = s.urls.EmbedFragment(p, proto)
			}
			j := s.pageJob(path, func(w io.Writer, d Digests) { io.WriteString(w, d.Data(p.File)) }, func() (*Page, error) {
				pg := s.page(kind, title, path)
				pg.Provider, pg.NoIndex = p, true
				pg.Embed = &Embed{Site: s.kb.Site, URLs: s.urls, Provider: p, Protocol: proto, Table: s.table(rows, s.today), Verified: view.LastVerified(rows)}
				return pg, nil
			})
			j.InSitemap, j.Entry = false, nil
			jobs = append(jobs, j)
		}
	}
	return jobs
}

// timeline is the history page's events by year, worked out once.
func (s *planner) timeline() []view.YearLinks {
	s.keys.timelineOnce.Do(func() { s.keys.timeline = view.TimelineYears(s.kb, s.events, s.urls, s.today) })
	return s.keys.timeline
}
