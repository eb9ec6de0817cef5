package view

import (
	"html/template"
	"maps"
	"slices"
	"sort"
	"time"

	"mailkb/generator/model"
	"mailkb/generator/urls"
)

// AsOfYear is a provider's quick-reference table as it stood during one
// calendar year: one table for each stretch of the year in which the
// published settings did not change (most years have one).
type AsOfYear struct {
	Provider   *model.Provider
	Year       int
	Spans      []AsOfSpan
	Events     []Event // the provider's dated changes and checks that year
	Prev, Next int     // neighbouring years with a page; 0 when none
}

// AsOfSpan is one stretch of a year with unchanging settings.
type AsOfSpan struct {
	From, Until model.Date        // Until is exclusive; zero when the span runs to the year's end (or today)
	Table       *Table            // rows in protocol order; empty when nothing was in force
	HTML        template.HTML     // Table rendered by the settings-table partial (by the pages package)
	Other       []*model.Endpoint // the other ways in (Exchange, EWS …) in force
}

// AsOfYears lists the years that get an as-of page for p: from the year of
// its first dated endpoint to today's. A provider whose endpoints no source
// dates gets none.
func AsOfYears(p *model.Provider, today time.Time) []int {
	first := 0
	for _, e := range p.Endpoints {
		if start, _, ok := e.Window(today); ok && (first == 0 || start.Year() < first) {
			first = start.Year()
		}
	}
	if first == 0 || first > today.Year() {
		return nil
	}
	years := make([]int, 0, today.Year()-first+1)
	for y := first; y <= today.Year(); y++ {
		years = append(years, y)
	}
	return years
}

// asOfChanges are the days on which a provider's settings can change,
// sorted, each with its date as precisely as the data gives it.
type Changes struct {
	days  []time.Time
	dates map[time.Time]model.Date
}

// ChangesOf finds where p's endpoints' windows start or end. A change
// keeps the precision its data has ("February 2009"): an endpoint's from
// or until as written, else the day its evidence gives; where several
// fall on one day, the most precise wins.
func ChangesOf(p *model.Provider, today time.Time) Changes {
	c := Changes{dates: map[time.Time]model.Date{}}
	add := func(t time.Time, d model.Date) {
		if known, seen := c.dates[t]; !seen || d.Precision > known.Precision {
			c.dates[t] = d
		}
	}
	for _, e := range p.Endpoints {
		s, until, ok := e.Window(today)
		if !ok {
			continue
		}
		from, to := model.DateOf(s), model.DateOf(until)
		if !e.From.IsZero() {
			from = e.From
		}
		if !e.Until.IsZero() {
			to = e.Until
		}
		add(s, from)
		add(until, to)
	}
	for t := range c.dates {
		c.days = append(c.days, t)
	}
	sort.Slice(c.days, func(i, j int) bool { return c.days[i].Before(c.days[j]) })
	return c
}

// within returns the change days strictly after start and before end.
func (c Changes) within(start, end time.Time) []time.Time {
	lo := sort.Search(len(c.days), func(i int) bool { return c.days[i].After(start) })
	hi := sort.Search(len(c.days), func(i int) bool { return !c.days[i].Before(end) })
	return c.days[lo:max(lo, hi)]
}

// YearOf works out year's spans for p, given its placed endpoints tl,
// their changes, its events (oldest first) and how the site makes a table. Settings change where an
// endpoint's window starts or ends; each change inside the year starts a
// new span, and spans whose rows are the same are merged. Changes keep the
// precision of their data (changesOf), so a span never claims a day no
// source gives.
func YearOf(p *model.Provider, tl *model.Timeline, changes Changes, year int, events []Event, table func(rows []*model.Endpoint, day time.Time) *Table, today time.Time) *AsOfYear {
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	if tomorrow := today.AddDate(0, 0, 1); tomorrow.Before(end) {
		end = tomorrow
	}
	days := append([]time.Time{start}, changes.within(start, end)...)
	dateOf := func(day time.Time) model.Date {
		if day.Equal(start) {
			return model.Date{Y: year, M: 1, D: 1, Precision: model.Day}
		}
		return changes.dates[day]
	}

	y := &AsOfYear{Provider: p, Year: year}
	for _, day := range days {
		var rows, other []*model.Endpoint
		var lastKnown map[*model.Endpoint]bool
		for _, proto := range model.Protocols {
			if !proto.MailServer() {
				other = append(other, tl.InForce(proto, day)...)
				continue
			}
			es := tl.InForce(proto, day)
			if len(es) == 0 {
				// Between the first and last evidence a page never says
				// "no server": it shows what was last known, marked so.
				es = tl.LastKnown(proto, day)
				for _, e := range es {
					if lastKnown == nil {
						lastKnown = map[*model.Endpoint]bool{}
					}
					lastKnown[e] = true
				}
			}
			rows = append(rows, es...)
		}
		if n := len(y.Spans); n > 0 && slices.Equal(y.Spans[n-1].Table.Rows, rows) && maps.Equal(y.Spans[n-1].Table.LastKnown, lastKnown) &&
			slices.Equal(y.Spans[n-1].Other, other) {
			continue
		}
		if n := len(y.Spans); n > 0 {
			y.Spans[n-1].Until = dateOf(day)
		}
		t := table(rows, day)
		t.AsOf, t.LastKnown = dateOf(day), lastKnown
		y.Spans = append(y.Spans, AsOfSpan{From: t.AsOf, Table: t, Other: other})
	}
	for _, e := range events {
		if e.Date.Y == year {
			y.Events = append(y.Events, e)
		}
	}
	return y
}

// YearLinks are the as-of pages for one year on the history timeline.
type YearLinks struct {
	Year   int
	Events []Event
	AsOf   []AsOfLink
}

// AsOfLink names one provider's as-of page.
type AsOfLink struct {
	Provider *model.Provider
	URL      string
}

// TimelineYears groups events (oldest first) by year, each with the
// as-of pages of the providers that have one for it.
func TimelineYears(kb *model.KB, events []Event, u urls.URLs, today time.Time) []YearLinks {
	var out []YearLinks
	for _, e := range events {
		if n := len(out); n == 0 || out[n-1].Year != e.Date.Y {
			out = append(out, YearLinks{Year: e.Date.Y})
		}
		out[len(out)-1].Events = append(out[len(out)-1].Events, e)
	}
	years := make([][]int, len(kb.Providers))
	for i, p := range kb.Providers {
		years[i] = AsOfYears(p, today)
	}
	for i := range out {
		for j, p := range kb.Providers {
			if slices.Contains(years[j], out[i].Year) {
				out[i].AsOf = append(out[i].AsOf, AsOfLink{p, u.AsOf(p, out[i].Year)})
			}
		}
	}
	return out
}
