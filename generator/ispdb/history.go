package ispdb

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"mailkb/generator/model"
	"mailkb/generator/yamledit"

	"go.yaml.in/yaml/v3"
)

// historyBy is who published what the database's commits record.
const historyBy = "Thunderbird's ISP database"

// historyURL is where a person reads an entry's history.
const historyURL = "https://github.com/thunderbird/autoconfig/commits/master/ispdb/"

// ImportHistory imports the history of every entry of the ISP database
// in the git repository at repo (a clone of thunderbird/autoconfig):
// every commit that touched an entry is a dated record of what the entry
// listed, so each server becomes one endpoint for each stretch in which
// the entry listed it unchanged, in force by the commit that added it and
// gone by the commit that removed or changed it, with every commit that
// listed it as a published verification citing the commit.
//
// Entries in the database today are imported; a provider mailkb does not
// have is written whole, one it has gets the evidence added: events on the
// endpoints that say the same, new endpoints for stretches it does not
// record, and ends on the endpoints an earlier history import wrote. Where
// a hand-written endpoint records the same server differently at the same
// time, nothing is merged: the report names the difference for a person to
// judge (a dispute, or a correction). Running it again changes nothing;
// after new upstream commits it adds only what they bring.
//
// names limits the import to the entries named (hotmail.com); none means
// every entry.
func ImportHistory(ctx context.Context, repo string, names []string, opts Options) (*Report, error) {
	hs, err := readHistory(ctx, repo)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		var missing []string
		for _, n := range names {
			if !slices.ContainsFunc(hs, func(h *fileHistory) bool { return h.name == strings.TrimSuffix(n, ".xml") }) {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("the database has no entry %s", strings.Join(missing, ", "))
		}
		hs = slices.DeleteFunc(hs, func(h *fileHistory) bool {
			return !slices.ContainsFunc(names, func(n string) bool { return strings.TrimSuffix(n, ".xml") == h.name })
		})
	}
	var entries []entry
	byFile := map[string]*entryHistory{}
	for _, h := range hs {
		last := h.versions[len(h.versions)-1]
		if last.deleted() {
			continue // no longer in the database
		}
		en := readData(h.name, last.data)
		eh := &entryHistory{fileHistory: h, ins: make([]*imported, len(h.versions))}
		for i, v := range h.versions {
			if v.deleted() {
				continue
			}
			if i == len(h.versions)-1 {
				eh.ins[i] = en.in
			} else if cfg, err := Parse(v.data); err == nil {
				eh.ins[i] = convert(cfg, h.name)
			}
		}
		byFile[h.name] = eh
		entries = append(entries, en)
	}
	return run(ctx, entries, opts, func(im *importer, in *imported, res Result) (Result, error) {
		return im.history(byFile[in.file], in, res)
	})
}

// entryHistory is an entry's versions, each converted (nil where the
// entry was removed, or the version is not a document mailkb can read).
type entryHistory struct {
	*fileHistory
	ins []*imported
}

// occurrence is one stretch in which an entry listed a server unchanged.
type occurrence struct {
	srv    *server // as the first version of the stretch lists it
	first  int     // the version that first lists it
	end    int     // the version that no longer does; -1 if the last still does
	listed []int   // every version that lists it
	// firsts: in each listed version, whether it was the first server of
	// its protocol, the one the database prefers.
	firsts []bool
}

// signature is what makes two servers the same setting: everything
// mailkb records of a server but the prose.
func signature(e *model.Endpoint) string {
	auth := make([]string, len(e.Auth))
	for i, a := range e.Auth {
		auth[i] = string(a)
	}
	return strings.Join([]string{string(e.Protocol), e.Host, fmt.Sprint(e.Port), e.URL, string(e.Security),
		strings.Join(auth, ","), string(e.Username), e.EWSURL, e.OWAURL}, "|")
}

// occurrences follows an entry's servers through its versions. A version
// mailkb cannot read changes nothing (the database had it for a while;
// the servers of the versions around it stand); a removal ends every
// stretch.
func (eh *entryHistory) occurrences() []*occurrence {
	var all []*occurrence
	open := map[string]*occurrence{}
	for i, v := range eh.versions {
		in := eh.ins[i]
		if in == nil && !v.deleted() {
			continue
		}
		seen := map[string]bool{}
		firstOf := map[model.Protocol]bool{}
		if in != nil {
			for _, s := range in.servers {
				sig := signature(s.e)
				first := !firstOf[s.e.Protocol]
				firstOf[s.e.Protocol] = true
				seen[sig] = true
				o := open[sig]
				if o == nil {
					copy := *s
					e := *s.e
					copy.e = &e
					o = &occurrence{srv: &copy, first: i, end: -1}
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
	return slices.DeleteFunc(all, func(o *occurrence) bool {
		return o.end >= 0 && eh.versions[o.end].date == eh.versions[o.first].date
	})
}

// historyEndpoints turns occurrences into endpoints citing src: periods,
// status, successors, preference and one published verification for each
// commit that listed them.
func (eh *entryHistory) historyEndpoints(occs []*occurrence, src *model.Source, taken map[string]bool) ([]*model.Endpoint, map[string]*server) {
	eps := make([]*model.Endpoint, len(occs))
	added := map[string]*server{}
	for i, o := range occs {
		e := o.srv.e
		e.ID = endpointID(e, taken)
		e.Period = model.Period{From: eh.versions[o.first].date, FromBy: true}
		e.Status = model.Current
		if o.end >= 0 {
			e.Until, e.UntilBy, e.Status = eh.versions[o.end].date, true, model.Withdrawn
		}
		e.Preferred, e.PreferredDuring = eh.preference(o)
		e.Sources = []*model.Source{src}
		e.Verified = nil
		for _, vi := range o.listed {
			v := eh.versions[vi]
			e.Verified = append(e.Verified, model.Verification{Date: v.date, Method: model.Published, By: historyBy, Source: src,
				Note: commitNote(v)})
		}
		eps[i] = e
		added[e.ID] = o.srv
	}
	for i, o := range occs {
		if o.end < 0 {
			continue
		}
		// The successor is the server of the same protocol the same
		// commit brought, the same host first.
		var next *model.Endpoint
		for j, q := range occs {
			if q.first != o.end || eps[j].Protocol != eps[i].Protocol {
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
func commitNote(v version) string {
	return fmt.Sprintf("Commit %s: %s", v.short(), strings.TrimSpace(v.subject))
}

// preference says when an occurrence was its protocol's first server:
// throughout (true), never, or in the runs of versions where it was.
func (eh *entryHistory) preference(o *occurrence) (bool, []model.Period) {
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
		p := model.Period{From: eh.versions[o.listed[start]].date, FromBy: true}
		if k+1 < len(o.listed) {
			p.Until, p.UntilBy = eh.versions[o.listed[k+1]].date, true
		} else if o.end >= 0 {
			p.Until, p.UntilBy = eh.versions[o.end].date, true
		}
		if p.Until != p.From {
			out = append(out, p)
		}
	}
	return false, out
}

// history imports one entry's history: a new provider whole, else the
// evidence merged into the provider mailkb has.
func (im *importer) history(eh *entryHistory, in *imported, res Result) (Result, error) {
	occs := eh.occurrences()
	live := func() []*occurrence {
		var out []*occurrence
		for _, o := range occs {
			if o.srv.dropped == "" {
				out = append(out, o)
			}
		}
		return out
	}
	var err error
	if p := im.match(in); p != nil {
		err = im.mergeHistory(p, eh, live, in, &res)
	} else {
		err = im.createWith(in, &res, func() *model.Source { return eh.source(in) },
			func(src *model.Source) ([]*model.Endpoint, map[string]*server, string) {
				l := live()
				if len(l) == 0 {
					return nil, nil, "no server in its history is one mailkb can record (see the notes)"
				}
				eps, added := eh.historyEndpoints(l, src, map[string]bool{})
				return eps, added, ""
			})
		if res.Outcome == Created {
			res.Changes = append(res.Changes, fmt.Sprintf("its history: %s from %s to %s", count(len(eh.versions), "commit"),
				eh.versions[0].date, eh.versions[len(eh.versions)-1].date))
		}
	}
	if err != nil {
		res.Outcome, res.Reason, res.Changes = Skipped, err.Error()+"; nothing of this file was written", nil
	}
	res.Notes = append(in.notes, res.Notes...)
	for _, o := range occs {
		if o.srv.dropped != "" {
			res.Notes = append(res.Notes, fmt.Sprintf("%s, listed from %s, left out: %s", where(o.srv.e), eh.versions[o.first].date, o.srv.dropped))
		}
	}
	return res, err
}

// source is the bibliography entry for an entry and its history.
func (eh *entryHistory) source(in *imported) *model.Source {
	first, last := eh.versions[0], eh.versions[len(eh.versions)-1]
	return &model.Source{ID: "ispdb-" + in.slug, Title: sourceTitle + in.file, Publisher: sourcePublisher,
		URL: historyURL + eh.name + ".xml",
		Note: fmt.Sprintf("The entry's history in the database's git repository (Mozilla Public License 2.0), %s from %s to %s, "+
			"followed by its name through the moves of 2019 and 2022; each commit is a dated record of what it listed.",
			count(len(eh.versions), "commit"), first.date, last.date)}
}

// mergeHistory adds an entry's history to a provider mailkb has. An
// endpoint that records a stretch of the history the same way — the same
// server, encryption, sign-in and user name, at a time it was in force,
// or, for one an earlier history import wrote, from the same commit —
// gets the commits it lacks as verifications, and, if the import wrote it
// and the database no longer lists it, its end. A stretch no endpoint
// records is added, unless a hand-written endpoint records the same server
// otherwise at that time: that is a difference for a person to judge, and
// the report names it.
func (im *importer) mergeHistory(p *model.Provider, eh *entryHistory, live func() []*occurrence, in *imported, res *Result) error {
	rel := "data/providers/" + filepath.Base(p.File)
	res.Provider, res.Path = p.ID, p.File
	orig, err := im.ov.ReadFile(rel)
	if err != nil {
		res.Outcome, res.Reason = Skipped, fmt.Sprintf("cannot read %s: %v", p.File, err)
		return nil
	}
	src, addSource := in.findSource(im.kb), false
	if src == nil {
		src, addSource = eh.source(in), true
	}
	var changes, notes []string
	a, why := im.settle(rel, true, func() (*attempt, string) {
		changes, notes = nil, nil
		taken := map[string]bool{}
		for _, e := range p.Endpoints {
			taken[e.ID] = true
		}
		hist, added := eh.historyEndpoints(live(), src, taken)
		// What each history endpoint is in the file: one there, or a new one.
		final := map[*model.Endpoint]*model.Endpoint{}
		var fresh []*model.Endpoint
		for _, h := range hist {
			if m := matchEndpoint(p, h, src); m != nil {
				final[h] = m
				continue
			}
			if o := overlapping(p, h); o != nil {
				notes = append(notes, fmt.Sprintf("the database lists %s %s; %s (%s) records that server otherwise then — "+
					"not merged: compare them and record a dispute or a correction", where(h), spanText(h), o.ID, o.Pos))
				continue
			}
			final[h] = h
			fresh = append(fresh, h)
		}
		out := orig
		var err error
		edit1 := func(fn func(d *yamledit.Doc) error) {
			if err == nil {
				out, err = edit(out, fn)
			}
		}
		for _, h := range hist {
			m := final[h]
			if m == nil || m == h {
				continue
			}
			for _, v := range h.Verified {
				if hasEvent(m, v) {
					continue
				}
				edit1(func(d *yamledit.Doc) error {
					item := yamledit.FindItem(d.Root(), "endpoints", "id", m.ID)
					later := func(n *yaml.Node) bool {
						day, perr := model.ParseDate(yamledit.Get(n, "date").Value)
						return perr == nil && v.Date.Before(day)
					}
					return d.AppendItem(item, "verified", verificationFields(v), later)
				})
				changes = append(changes, fmt.Sprintf("%s: listed on %s (%s)", m.ID, v.Date, v.Note))
			}
			if !h.Until.IsZero() && m.Until.IsZero() && importedOnly(m, src) {
				kvs := [][2]string{{"until", boundary(h.Until, h.UntilBy)}, {"status", string(model.Withdrawn)}}
				if r := final[h.ReplacedBy]; r != nil {
					kvs = append(kvs, [2]string{"replaced_by", r.ID})
				}
				for _, kv := range kvs {
					edit1(func(d *yamledit.Doc) error {
						return d.SetKey(yamledit.FindItem(d.Root(), "endpoints", "id", m.ID), kv[0], kv[1])
					})
				}
				changes = append(changes, fmt.Sprintf("%s: no longer listed on %s", m.ID, h.Until))
			}
		}
		indent := p.Endpoints[0].Pos.Column - 1
		for _, h := range fresh {
			if r := final[h.ReplacedBy]; h.ReplacedBy != nil {
				h.ReplacedBy = r // nil when its successor was not merged
			}
			edit1(func(d *yamledit.Doc) error {
				return d.AppendItem(d.Root(), "endpoints", endpointFields(h, src.ID, model.Date{}, indent), nil)
			})
			changes = append(changes, fmt.Sprintf("added %s (%s, %s)", h.ID, where(h), spanText(h)))
		}
		if len(changes) > 0 && addSource {
			edit1(func(d *yamledit.Doc) error { return d.AppendItem(d.Root(), "sources", sourceFields(src, -1), nil) })
			changes = append(changes, "added source "+src.ID)
		}
		switch {
		case err != nil:
			return nil, fmt.Sprintf("cannot edit %s: %v", p.File, err)
		case len(changes) == 0:
			return nil, ""
		}
		return &attempt{rel: rel, data: out, added: added}, ""
	})
	res.Notes = append(res.Notes, notes...)
	switch {
	case a != nil:
		res.Outcome, res.Changes = Changed, changes
		im.touched[p.ID] = in.file
		return im.write(a)
	case why != "":
		res.Outcome, res.Reason = Skipped, why
	default:
		res.Outcome = Unchanged
	}
	return nil
}

// matchEndpoint finds the endpoint of p that records history endpoint h:
// the same setting, and either written by an earlier history import from
// the same commit on, or in force at a time the database listed it.
func matchEndpoint(p *model.Provider, h *model.Endpoint, src *model.Source) *model.Endpoint {
	hs, he, _ := h.Window()
	for _, e := range p.Endpoints {
		if signature(e) != signature(h) {
			continue
		}
		if importedOnly(e, src) {
			if e.From == h.From && e.FromBy == h.FromBy {
				return e
			}
			continue
		}
		s, t, ok := e.Window()
		if !ok || (s.Before(he) && hs.Before(t)) {
			return e
		}
	}
	return nil
}

// overlapping finds an endpoint of p on h's server whose period overlaps
// h's: the loader refuses two periods of one server at once.
func overlapping(p *model.Provider, h *model.Endpoint) *model.Endpoint {
	for _, e := range p.Endpoints {
		if e.Key() == h.Key() && e.Period.Overlaps(h.Period) {
			return e
		}
	}
	return nil
}

// importedOnly reports whether e cites nothing but the history's source:
// an earlier import wrote it, and the import may end it.
func importedOnly(e *model.Endpoint, src *model.Source) bool {
	return len(e.Sources) == 1 && e.Sources[0].ID == src.ID
}

// hasEvent reports whether e already records v: the same day and note,
// which names the commit.
func hasEvent(e *model.Endpoint, v model.Verification) bool {
	return slices.ContainsFunc(e.Verified, func(w model.Verification) bool { return w.Date == v.Date && w.Note == v.Note })
}

// spanText says when the database listed an endpoint.
func spanText(e *model.Endpoint) string {
	if e.Until.IsZero() {
		return "from " + e.From.String()
	}
	return fmt.Sprintf("from %s until %s", e.From, e.Until)
}
