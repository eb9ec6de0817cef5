package ispdbentry

import (
	"fmt"
	"slices"
	"strings"

	"mailkb/generator/gitlog"
	"mailkb/generator/model"
)

// historyBy is who published what the database's commits record.
const historyBy = "Thunderbird's ISP database"

// History is an entry through the database's history: its file's
// versions, each read (nil where the commit removed the file, or the
// version is not a document mailkb can read).
type History struct {
	*gitlog.File
	entries []*Entry
}

// NewHistory reads every version of f; last is its newest version, read
// already (nil if it cannot be).
func NewHistory(f *gitlog.File, last *Entry) *History {
	h := &History{File: f, entries: make([]*Entry, len(f.Versions))}
	for i, v := range f.Versions {
		if v.Deleted() {
			continue
		}
		if i == len(f.Versions)-1 {
			h.entries[i] = last
		} else if in, err := Read(v.Data, f.Name); err == nil {
			h.entries[i] = in
		}
	}
	return h
}

// Occurrence is one stretch in which an entry listed a server unchanged.
type Occurrence struct {
	Server *Server // as the first version of the stretch lists it
	First  int     // the version that first lists it
	end    int     // the version that no longer does; -1 if the last still does
	listed []int   // every version that lists it
	// firsts: in each listed version, whether it was the first server of
	// its protocol, the one the database prefers.
	firsts []bool
}

// Signature is what makes two servers the same setting: everything
// mailkb records of a server but the prose.
func Signature(e *model.Endpoint) string {
	auth := make([]string, len(e.Auth))
	for i, a := range e.Auth {
		auth[i] = string(a)
	}
	return strings.Join([]string{string(e.Protocol), e.Host, fmt.Sprint(e.Port), e.URL, string(e.Security),
		strings.Join(auth, ","), string(e.Username), e.EWSURL, e.OWAURL}, "|")
}

// Occurrences follows an entry's servers through its versions. A version
// mailkb cannot read changes nothing (the database had it for a while;
// the servers of the versions around it stand); a removal ends every
// stretch.
func (h *History) Occurrences() []*Occurrence {
	var all []*Occurrence
	open := map[string]*Occurrence{}
	for i, v := range h.Versions {
		in := h.entries[i]
		if in == nil && !v.Deleted() {
			continue
		}
		seen := map[string]bool{}
		firstOf := map[model.Protocol]bool{}
		if in != nil {
			for _, s := range in.Servers {
				sig := Signature(s.Endpoint)
				first := !firstOf[s.Endpoint.Protocol]
				firstOf[s.Endpoint.Protocol] = true
				seen[sig] = true
				o := open[sig]
				if o == nil {
					copy := *s
					e := *s.Endpoint
					copy.Endpoint = &e
					o = &Occurrence{Server: &copy, First: i, end: -1}
					open[sig] = o
					all = append(all, o)
				}
				o.listed = append(o.listed, i)
				o.firsts = append(o.firsts, first)
			}
		}
		for sig, o := range open {
			if !seen[sig] {
				o.end = i
				delete(open, sig)
			}
		}
	}
	// A stretch that ends the day it starts (two commits in one day, the
	// second undoing part of the first) was never in force on any day.
	return slices.DeleteFunc(all, func(o *Occurrence) bool {
		return o.end >= 0 && h.Versions[o.end].Date == h.Versions[o.First].Date
	})
}

// Endpoints turns occurrences into endpoints citing src, with ids not in
// taken: periods, status, successors, preference and one published
// verification for each commit that listed them. added maps each id to
// the occurrence's server.
func (h *History) Endpoints(occs []*Occurrence, src *model.Source, taken map[string]bool) (eps []*model.Endpoint, added map[string]*Server) {
	eps = make([]*model.Endpoint, len(occs))
	added = map[string]*Server{}
	for i, o := range occs {
		e := o.Server.Endpoint
		e.ID = EndpointID(e, taken)
		e.Period = model.Period{From: h.Versions[o.First].Date, FromBy: true}
		e.Status = model.Current
		if o.end >= 0 {
			e.Until, e.UntilBy, e.Status = h.Versions[o.end].Date, true, model.Withdrawn
		}
		e.Preferred, e.PreferredDuring = h.preference(o)
		e.Sources = []*model.Source{src}
		e.Verified = nil
		for _, vi := range o.listed {
			v := h.Versions[vi]
			e.Verified = append(e.Verified, model.Verification{Date: v.Date, Method: model.Published, By: historyBy, Source: src,
				Note: commitNote(v)})
		}
		eps[i] = e
		added[e.ID] = o.Server
	}
	for i, o := range occs {
		if o.end < 0 {
			continue
		}
		// The successor is the server of the same protocol the same
		// commit brought, the same host first.
		var next *model.Endpoint
		for j, q := range occs {
			if q.First != o.end || eps[j].Protocol != eps[i].Protocol {
				continue
			}
			if next == nil || (eps[j].Host == eps[i].Host && next.Host != eps[i].Host) {
				next = eps[j]
			}
		}
		eps[i].ReplacedBy = next
	}
	return eps, added
}

// commitNote names a commit as a verification's note.
func commitNote(v gitlog.Version) string {
	return fmt.Sprintf("Commit %s: %s", v.Short(), strings.TrimSpace(v.Subject))
}

// preference says when an occurrence was its protocol's first server:
// throughout (true), never, or in the runs of versions where it was.
func (h *History) preference(o *Occurrence) (bool, []model.Period) {
	if !slices.Contains(o.firsts, false) {
		return true, nil
	}
	var out []model.Period
	for k := 0; k < len(o.listed); k++ {
		if !o.firsts[k] {
			continue
		}
		start := k
		for k+1 < len(o.listed) && o.firsts[k+1] {
			k++
		}
		p := model.Period{From: h.Versions[o.listed[start]].Date, FromBy: true}
		if k+1 < len(o.listed) {
			p.Until, p.UntilBy = h.Versions[o.listed[k+1]].Date, true
		} else if o.end >= 0 {
			p.Until, p.UntilBy = h.Versions[o.end].Date, true
		}
		if p.Until != p.From {
			out = append(out, p)
		}
	}
	return false, out
}
