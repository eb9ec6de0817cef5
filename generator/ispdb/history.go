package ispdb

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"mailkb/generator/gitlog"
	"mailkb/generator/ispdbentry"
	"mailkb/generator/model"
	"mailkb/generator/provideryaml"
	"mailkb/generator/yamledit"

	"go.yaml.in/yaml/v3"
)

// historyURL is where a person reads an entry's history.
const historyURL = "https://github.com/thunderbird/autoconfig/commits/master/ispdb/"

// database is where the entries are in the repository's history. An entry
// is followed by its name only — X, ispdb/X and ispdb/X.xml are one entry
// (the database moved and renamed its files in 2019 and 2022) — never by
// git's similarity-based rename detection, which stitches unrelated
// providers' files together.
var database = gitlog.Layout{What: "a git clone of the ISP database", Name: entryName, Paths: entryPaths}

// entryName is the entry a path of the repository holds: X at the top
// (before 2019), ispdb/X or ispdb/X.xml after. Files outside the database
// (README, tools/) and names that no domain look-up reaches (a space in
// "gmail.com pop") are not entries.
func entryName(p string) (string, bool) {
	dir, file := path.Split(p)
	if dir != "" && dir != "ispdb/" {
		return "", false
	}
	name := strings.TrimSuffix(file, ".xml")
	// At the top, before the move into ispdb/, the entries shared the
	// folder with README and the like: an entry is named like a domain.
	if name == "" || strings.HasPrefix(name, ".") || strings.ContainsAny(name, " \t") ||
		(dir == "" && !strings.Contains(name, ".")) || strings.HasSuffix(strings.ToLower(file), ".md") {
		return "", false
	}
	return name, true
}

// entryPaths are the files that may hold entry name, the newest layout
// first: it wins where a commit briefly has two.
func entryPaths(name string) []string {
	return []string{"ispdb/" + name + ".xml", "ispdb/" + name, name + ".xml", name}
}

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
	hs, err := gitlog.Read(ctx, repo, database)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		var missing []string
		for _, n := range names {
			if !slices.ContainsFunc(hs, func(h *gitlog.File) bool { return h.Name == strings.TrimSuffix(n, ".xml") }) {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("the database has no entry %s", strings.Join(missing, ", "))
		}
		hs = slices.DeleteFunc(hs, func(h *gitlog.File) bool {
			return !slices.ContainsFunc(names, func(n string) bool { return strings.TrimSuffix(n, ".xml") == h.Name })
		})
	}
	var entries []entry
	byFile := map[string]*ispdbentry.History{}
	for _, h := range hs {
		last := h.Versions[len(h.Versions)-1]
		if last.Deleted() {
			continue // no longer in the database
		}
		en := readData(h.Name, last.Data)
		byFile[h.Name] = ispdbentry.NewHistory(h, en.in)
		entries = append(entries, en)
	}
	return run(ctx, entries, opts, func(im *importer, in *ispdbentry.Entry, res Result) (Result, error) {
		return im.history(byFile[in.File], in, res)
	})
}

// history imports one entry's history: a new provider whole, else the
// evidence merged into the provider mailkb has.
func (im *importer) history(eh *ispdbentry.History, in *ispdbentry.Entry, res Result) (Result, error) {
	occs := eh.Occurrences()
	live := func() []*ispdbentry.Occurrence {
		var out []*ispdbentry.Occurrence
		for _, o := range occs {
			if o.Server.Dropped == "" {
				out = append(out, o)
			}
		}
		return out
	}
	var err error
	if p := im.match(in); p != nil {
		err = im.mergeHistory(p, eh, live, in, &res)
	} else {
		err = im.createWith(in, &res, func() *model.Source { return historySource(eh, in) },
			func(src *model.Source) ([]*model.Endpoint, map[string]*ispdbentry.Server, string) {
				l := live()
				if len(l) == 0 {
					return nil, nil, "no server in its history is one mailkb can record (see the notes)"
				}
				eps, added := eh.Endpoints(l, src, map[string]bool{})
				return eps, added, ""
			})
		if res.Outcome == Created {
			res.Changes = append(res.Changes, fmt.Sprintf("its history: %s from %s to %s", count(len(eh.Versions), "commit"),
				eh.Versions[0].Date, eh.Versions[len(eh.Versions)-1].Date))
		}
	}
	if err != nil {
		res.Outcome, res.Reason, res.Changes = Skipped, err.Error()+"; nothing of this file was written", nil
	}
	res.Notes = append(in.Notes, res.Notes...)
	for _, o := range occs {
		if o.Server.Dropped != "" {
			res.Notes = append(res.Notes, fmt.Sprintf("%s, listed from %s, left out: %s", ispdbentry.Where(o.Server.Endpoint), eh.Versions[o.First].Date, o.Server.Dropped))
		}
	}
	return res, err
}

// historySource is the bibliography entry for an entry and its history.
func historySource(eh *ispdbentry.History, in *ispdbentry.Entry) *model.Source {
	first, last := eh.Versions[0], eh.Versions[len(eh.Versions)-1]
	return in.Source(historyURL+eh.Name+".xml",
		fmt.Sprintf("The entry's history in the database's git repository (Mozilla Public License 2.0), %s from %s to %s, "+
			"followed by its name through the moves of 2019 and 2022; each commit is a dated record of what it listed.",
			count(len(eh.Versions), "commit"), first.Date, last.Date))
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
func (im *importer) mergeHistory(p *model.Provider, eh *ispdbentry.History, live func() []*ispdbentry.Occurrence, in *ispdbentry.Entry, res *Result) error {
	rel := "data/providers/" + filepath.Base(p.File)
	res.Provider, res.Path = p.ID, p.File
	orig, err := im.session.ReadFile(rel)
	if err != nil {
		res.Outcome, res.Reason = Skipped, fmt.Sprintf("cannot read %s: %v", p.File, err)
		return nil
	}
	src, addSource := in.FindSource(im.session.KB()), false
	if src == nil {
		src, addSource = historySource(eh, in), true
	}
	var changes, notes []string
	a, why := im.settle(rel, true, func() (*attempt, string) {
		changes, notes = nil, nil
		taken := map[string]bool{}
		for _, e := range p.Endpoints {
			taken[e.ID] = true
		}
		hist, added := eh.Endpoints(live(), src, taken)
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
					"not merged: compare them and record a dispute or a correction", ispdbentry.Where(h), spanText(h), o.ID, o.Pos))
				continue
			}
			final[h] = h
			fresh = append(fresh, h)
		}
		out := orig
		var err error
		edit1 := func(fn func(d *yamledit.Doc) error) {
			if err == nil {
				out, err = provideryaml.Edit(out, fn)
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
					return d.AppendItem(item, "verified", provideryaml.VerificationFields(v), later)
				})
				changes = append(changes, fmt.Sprintf("%s: listed on %s (%s)", m.ID, v.Date, v.Note))
			}
			if !h.Until.IsZero() && m.Until.IsZero() && importedOnly(m, src) {
				kvs := [][2]string{{"until", provideryaml.Boundary(h.Until, h.UntilBy)}, {"status", string(model.Withdrawn)}}
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
				return d.AppendItem(d.Root(), "endpoints", provideryaml.EndpointFields(h, src.ID, model.Date{}, indent), nil)
			})
			changes = append(changes, fmt.Sprintf("added %s (%s, %s)", h.ID, ispdbentry.Where(h), spanText(h)))
		}
		if len(changes) > 0 && addSource {
			edit1(func(d *yamledit.Doc) error {
				return d.AppendItem(d.Root(), "sources", provideryaml.SourceFields(src, -1), nil)
			})
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
		im.touched[p.ID] = in.File
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
		if ispdbentry.Signature(e) != ispdbentry.Signature(h) {
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
