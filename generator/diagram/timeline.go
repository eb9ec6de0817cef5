package diagram

import (
	"fmt"
	"math"
	"strings"
	"time"

	"mailkb/generator/model"
)

// Timeline layout, in SVG units.
const (
	tlLabelW = 120.0 // the row names on the left
	tlPlotW  = 600.0
	tlRowH   = 26.0
	tlBarH   = 18.0
	tlAxisH  = 24.0
)

// tlBar is one bar on a timeline row.
type tlBar struct {
	start, end time.Time
	label      string // written inside the bar when it fits
	title      string // the bar's tooltip and its sentence in <desc>
	class      string
	open       bool // the end (or start) is not known exactly
}

type tlRow struct {
	name  string
	lanes [][]tlBar // overlapping bars stack in lanes
}

// Timeline draws a provider's history on a year axis, from the first year
// its data places anything to today: its eras as bands, then a row for
// each mail protocol with a bar for every server in the years it was in
// force, labelled with its host where the bar has room. An era whose ends
// the data does not give is placed between the eras around it; a bar whose
// end is not known exactly is drawn open (dashed). The <desc> says the
// same in words. It returns "" when nothing can be placed.
func Timeline(p *model.Provider, today time.Time, opts ...Option) string {
	c := configure(opts)
	end := time.Date(today.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	var rows []tlRow
	eras, undated := eraBars(p, today, end)
	if len(eras) > 0 {
		rows = append(rows, tlRow{name: "Eras", lanes: stack(eras)})
	}
	for _, proto := range model.Protocols {
		if !proto.MailServer() {
			continue
		}
		var bars []tlBar
		for _, e := range p.Endpoints {
			if e.Protocol != proto {
				continue
			}
			s, t, ok := e.Window(today)
			if !ok {
				continue
			}
			t = minTime(t, end)
			open := !e.EndKnown() && e.Status != model.Current
			bars = append(bars, tlBar{start: s, end: t, label: e.HostLabel(), class: "tl-bar tl-" + string(e.Status), open: open,
				title: fmt.Sprintf("%s %s port %d, %s", proto.Label(), e.HostLabel(), e.Port, strings.ToLower(spanWords(s, t, end, open)))})
		}
		if len(bars) > 0 {
			rows = append(rows, tlRow{name: proto.Label(), lanes: stack(bars)})
		}
	}
	first := end
	for _, r := range rows {
		for _, lane := range r.lanes {
			for _, b := range lane {
				first = minTime(first, b.start)
			}
		}
	}
	if len(rows) == 0 || !first.Before(end) {
		return ""
	}
	from := time.Date(first.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	x := func(t time.Time) float64 {
		return tlLabelW + tlPlotW*float64(t.Sub(from))/float64(end.Sub(from))
	}
	height := tlAxisH + 8
	for _, r := range rows {
		height += tlRowH * float64(len(r.lanes))
	}
	width := tlLabelW + tlPlotW + 12

	var s strings.Builder
	desc := timelineDesc(p, rows)
	if len(undated) > 0 {
		desc += " Not drawn, as the sources date neither end: " + strings.Join(undated, "; ") + "."
	}
	openSVG(&s, c, width, height, fmt.Sprintf("%s's settings over the years", p.Name), desc)
	years := end.Year() - from.Year()
	step := int(math.Ceil(float64(years) * 34 / tlPlotW)) // room for "2009"
	for y := from.Year(); y < end.Year(); y++ {
		t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		fmt.Fprintf(&s, `<path class="tl-tick" stroke="currentColor" d="M%.1f %.0fV%.0f"/>`, x(t), tlAxisH-6, height)
		if (y-from.Year())%step == 0 {
			fmt.Fprintf(&s, `<text class="note" x="%.1f" y="%.0f">%d</text>`, x(t)+2, tlAxisH-10, y)
		}
	}
	y := tlAxisH
	for _, r := range rows {
		fmt.Fprintf(&s, `<text x="8" y="%.0f">%s</text>`, y+tlRowH/2+5, esc(r.name))
		for _, lane := range r.lanes {
			for _, b := range lane {
				x0, x1 := x(b.start), x(b.end)
				w := max(x1-x0, 2)
				class := b.class
				if b.open {
					class += " tl-open"
				}
				fmt.Fprintf(&s, `<g><title>%s</title><rect class="%s" fill="none" stroke="currentColor" x="%.1f" y="%.1f" width="%.1f" height="%.0f" rx="3"/>`,
					esc(b.title), class, x0, y+(tlRowH-tlBarH)/2, w, tlBarH)
				if float64(len(b.label))*textChar+8 <= w {
					fmt.Fprintf(&s, `<text class="tl-label" x="%.1f" y="%.1f">%s</text>`, x0+4, y+tlRowH/2+4, esc(b.label))
				}
				s.WriteString("</g>")
			}
			y += tlRowH
		}
	}
	s.WriteString("</svg>")
	return s.String()
}

// eraBars places a provider's eras in the order written. An era without
// a start begins where the one before ends, if the data dates that end
// (the first, where the provider's first dated server does); one without
// an end runs to the next dated start, or to today, drawn open. An era
// the data places nowhere is left out of the drawing and named in undated.
func eraBars(p *model.Provider, today, end time.Time) (bars []tlBar, undated []string) {
	n := len(p.Eras)
	starts, ends := make([]time.Time, n), make([]time.Time, n)
	for i, e := range p.Eras {
		switch {
		case !e.From.IsZero():
			starts[i] = e.From.Start()
		case i > 0 && !p.Eras[i-1].Until.IsZero():
			starts[i] = p.Eras[i-1].Until.Start()
		case i == 0:
			for _, ep := range p.Endpoints {
				if s, _, ok := ep.Window(today); ok && (starts[i].IsZero() || s.Before(starts[i])) {
					starts[i] = s
				}
			}
		}
		ends[i] = end
		if !e.Until.IsZero() {
			ends[i] = e.Until.Start()
			continue
		}
		for _, next := range p.Eras[i+1:] {
			if !next.From.IsZero() {
				ends[i] = next.From.Start()
				break
			}
		}
	}
	for i, e := range p.Eras {
		if starts[i].IsZero() || !starts[i].Before(ends[i]) {
			undated = append(undated, e.Name)
			continue
		}
		open := e.From.IsZero() || (e.Until.IsZero() && ends[i].Before(end))
		title := e.Name + ": " + strings.ToLower(spanWords(starts[i], minTime(ends[i], end), end, false))
		if open {
			title += " (the sources do not date where it begins or ends; drawn up to the dates around it)"
		}
		bars = append(bars, tlBar{start: starts[i], end: minTime(ends[i], end), label: e.Name, title: title,
			class: fmt.Sprintf("tl-era tl-era-%d", i%4), open: open})
	}
	return bars, undated
}

// stack puts bars that overlap in time on lanes of their own.
func stack(bars []tlBar) [][]tlBar {
	var lanes [][]tlBar
	for _, b := range bars {
		placed := false
		for i, lane := range lanes {
			if !overlapsAny(lane, b) {
				lanes[i] = append(lanes[i], b)
				placed = true
				break
			}
		}
		if !placed {
			lanes = append(lanes, []tlBar{b})
		}
	}
	return lanes
}

func overlapsAny(lane []tlBar, b tlBar) bool {
	for _, o := range lane {
		if o.start.Before(b.end) && b.start.Before(o.end) {
			return true
		}
	}
	return false
}

// spanWords says when a bar runs: "From 2009 to 2014", "Since 2024".
func spanWords(s, t, end time.Time, open bool) string {
	from := s.Format("January 2006")
	switch {
	case !t.Before(end):
		return "Since " + from
	case open:
		return fmt.Sprintf("From %s until some time after %s", from, t.AddDate(0, 0, -1).Format("January 2006"))
	}
	return fmt.Sprintf("From %s to %s", from, t.Format("January 2006"))
}

func timelineDesc(p *model.Provider, rows []tlRow) string {
	var parts []string
	for _, r := range rows {
		var items []string
		for _, lane := range r.lanes {
			for _, b := range lane {
				items = append(items, b.title)
			}
		}
		parts = append(parts, r.name+": "+strings.Join(items, "; ")+".")
	}
	return p.Name + ", year by year. " + strings.Join(parts, " ")
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
