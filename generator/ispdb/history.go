package ispdb

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
// record, and, on the endpoints an import wrote, what the history knows
// better — the day the database first listed a server the plain import
// recorded undated, when it was the first choice, and ends. Where an
// endpoint records the same server differently at the same time, nothing
// is merged: the report names the difference for a person to judge (a
// dispute, or a correction). Running it again changes nothing; after new
// upstream commits it adds only what they bring. A provider it wrote, or
// completed, the plain import of the same database finds unchanged.
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

// mergeHistory adds an entry's history to a provider mailkb has (see
// pairUp for which endpoint records which stretch). An endpoint that
// records a stretch gets the commits it lacks as verifications; one the
// import wrote gets what the history knows and the import did not: the
// day the database first listed it, where the plain import could not know
// it (and with it the stretches in which it was the first choice), and,
// if the database no longer lists it, its end. A stretch no endpoint
// records is added.
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
	// The column of the endpoints' keys, for the nested lists an edit writes.
	indent := p.Endpoints[0].Pos.Column - 1
	var changes, notes []string
	a, why := im.settle(rel, true, func() (*attempt, string) {
		taken := map[string]bool{}
		for _, e := range p.Endpoints {
			taken[e.ID] = true
		}
		hist, added := eh.Endpoints(live(), src, taken)
		pr := pairUp(p, hist, src, indent, im.today.Start())
		changes, notes = nil, pr.notes
		out := orig
		var err error
		edit := func(fn func(d *yamledit.Doc) error) {
			if err == nil {
				out, err = provideryaml.Edit(out, fn)
			}
		}
		setKey := func(id, key, value string) {
			edit(func(d *yamledit.Doc) error {
				return provideryaml.SetEndpointKey(d, yamledit.FindItem(d.Root(), "endpoints", "id", id), key, value)
			})
		}
		for _, h := range hist {
			m := pr.final[h]
			if m == nil || m == h {
				continue
			}
			if pr.dated[m] {
				setKey(m.ID, "from", provideryaml.Boundary(h.From, h.FromBy))
				changes = append(changes, fmt.Sprintf("%s: in force by %s, when the database first listed it", m.ID, h.From))
			}
			if pr.preference[m] {
				setKey(m.ID, "preferred", provideryaml.Preference(h, indent))
				changes = append(changes, fmt.Sprintf("%s: %s", m.ID, preferenceText(h)))
			}
			for _, v := range h.Verified {
				if hasEvent(m, v) {
					continue
				}
				edit(func(d *yamledit.Doc) error {
					item := yamledit.FindItem(d.Root(), "endpoints", "id", m.ID)
					later := func(n *yaml.Node) bool {
						day, perr := model.ParseDate(yamledit.Get(n, "date").Value)
						return perr == nil && v.Date.Before(day)
					}
					return d.AppendItem(item, "verified", provideryaml.VerificationFields(v), later)
				})
				changes = append(changes, fmt.Sprintf("%s: listed on %s (%s)", m.ID, v.Date, v.Note))
			}
			if ends(h, m, src) {
				setKey(m.ID, "until", provideryaml.Boundary(h.Until, h.UntilBy))
				setKey(m.ID, "status", string(model.Withdrawn))
				if r := pr.final[h.ReplacedBy]; r != nil {
					setKey(m.ID, "replaced_by", r.ID)
				}
				changes = append(changes, fmt.Sprintf("%s: no longer listed on %s", m.ID, h.Until))
			}
		}
		for _, h := range pr.fresh {
			if r := pr.final[h.ReplacedBy]; h.ReplacedBy != nil {
				h.ReplacedBy = r // nil when its successor was not merged
			}
			if err == nil {
				out, err = provideryaml.AppendEndpoint(out, provideryaml.EndpointFields(h, src.ID, model.Date{}, indent))
			}
			changes = append(changes, fmt.Sprintf("added %s (%s, %s)", h.ID, ispdbentry.Where(h), spanText(h)))
		}
		if len(changes) > 0 && addSource {
			edit(func(d *yamledit.Doc) error {
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
	return im.record(res, p, in, a, why, changes)
}

// pairing is how an entry's history meets a provider's endpoints.
type pairing struct {
	// final maps each history endpoint to the endpoint that records it:
	// one of the provider's, itself when it is added, nil when it is not
	// merged.
	final map[*model.Endpoint]*model.Endpoint
	// dated are the endpoints of the provider that get their from from
	// the history; preference, those that get their preference too.
	dated, preference map[*model.Endpoint]bool
	fresh             []*model.Endpoint // added, in the history's order
	notes             []string          // what is left for a person
}

// pairUp matches the history endpoints hist with p's endpoints (see
// matchEndpoint) and decides what the merge writes. The plain import
// records what the database lists without a from — it cannot know since
// when — and marks the first server of each protocol preferred, for that
// undated period, which reaches back without end; the history dates such
// an endpoint from the commit that first listed its stretch and puts its
// own preference, which knows when the server was first, in place of the
// import's (see markedOtherwise for a mark a person wrote, which stays).
// A stretch no endpoint records is added, unless the provider then records
// its server otherwise (the loader refuses two periods of one server at
// once): that is a difference for a person to judge. A stretch that would
// be the first choice while another endpoint is, is added without the
// mark. indent is the column of the endpoints' keys; today is the
// import's day (see model.Endpoint.Window).
func pairUp(p *model.Provider, hist []*model.Endpoint, src *model.Source, indent int, today time.Time) *pairing {
	pr := &pairing{final: map[*model.Endpoint]*model.Endpoint{}, dated: map[*model.Endpoint]bool{}, preference: map[*model.Endpoint]bool{}}
	latest := map[string]*model.Endpoint{}
	for _, h := range hist {
		latest[ispdbentry.Signature(h)] = h
	}
	// view is the provider's endpoints as the merge leaves them, against
	// which a stretch to add is checked.
	view := slices.Clone(p.Endpoints)
	for _, h := range hist {
		m := matchEndpoint(p, h, src, latest, today)
		if m == nil {
			continue
		}
		pr.final[h] = m
		after := *m
		if importedOnly(m, src) && m.From.IsZero() {
			pr.dated[m] = true
			after.From, after.FromBy = h.From, h.FromBy
			switch why := markedOtherwise(m, h); {
			case len(m.PreferredDuring) > 0:
				// Preferred periods are a person's: the plain import writes none.
			case why != "":
				pr.notes = append(pr.notes, fmt.Sprintf("%s (%s) is %s — its preference is left as it is", m.ID, m.Pos, why))
			case provideryaml.Preference(m, indent) != provideryaml.Preference(h, indent):
				pr.preference[m] = true
				after.Preferred, after.PreferredDuring = h.Preferred, h.PreferredDuring
			}
		}
		if ends(h, m, src) {
			after.Until, after.UntilBy = h.Until, h.UntilBy
		}
		view[slices.Index(p.Endpoints, m)] = &after
	}
	for _, h := range hist {
		if pr.final[h] != nil {
			continue
		}
		if o := overlapping(view, h); o != nil {
			pr.notes = append(pr.notes, fmt.Sprintf("the database lists %s %s; %s (%s) records that server otherwise then%s — "+
				"not merged: compare them and record a dispute or a correction", ispdbentry.Where(h), spanText(h), o.ID, o.Pos, differences(o, h)))
			continue
		}
		if o := preferredThen(view, h); o != nil {
			pr.notes = append(pr.notes, fmt.Sprintf("the database lists %s %s first among its %s servers; %s (%s) is preferred then — "+
				"%s is added without preferred", ispdbentry.Where(h), spanText(h), h.Protocol, o.ID, o.Pos, h.ID))
			h.Preferred, h.PreferredDuring = false, nil
		}
		pr.final[h] = h
		pr.fresh = append(pr.fresh, h)
		view = append(view, h)
	}
	return pr
}

// matchEndpoint finds the endpoint of p that records history endpoint h:
// the same setting, and either written by an import — by an earlier
// history import from the same commit on, or by the plain import, undated
// and current, for the latest stretch of the setting (latest maps each
// signature to it) — or, written by hand, in force at a time the database
// listed it.
func matchEndpoint(p *model.Provider, h *model.Endpoint, src *model.Source, latest map[string]*model.Endpoint, today time.Time) *model.Endpoint {
	hs, he, _ := h.Window(today)
	sig := ispdbentry.Signature(h)
	for _, e := range p.Endpoints {
		if ispdbentry.Signature(e) != sig {
			continue
		}
		if importedOnly(e, src) {
			if (e.From == h.From && e.FromBy == h.FromBy) ||
				(e.From.IsZero() && e.Until.IsZero() && e.Status == model.Current && latest[sig] == h) {
				return e
			}
			continue
		}
		s, t, ok := e.Window(today)
		if !ok || (s.Before(he) && hs.Before(t)) {
			return e
		}
	}
	return nil
}

// ends reports whether the merge ends m, which records h: the database no
// longer lists h, and the import wrote m, open.
func ends(h, m *model.Endpoint, src *model.Source) bool {
	return !h.Until.IsZero() && m.Until.IsZero() && importedOnly(m, src)
}

// overlapping finds an endpoint of es on h's server whose period overlaps
// h's: the loader refuses two periods of one server at once.
func overlapping(es []*model.Endpoint, h *model.Endpoint) *model.Endpoint {
	for _, e := range es {
		if e.Key() == h.Key() && e.Period.Overlaps(h.Period) {
			return e
		}
	}
	return nil
}

// preferredThen finds an endpoint of es of h's protocol that is preferred
// at a time h is: the loader refuses two first choices at once.
func preferredThen(es []*model.Endpoint, h *model.Endpoint) *model.Endpoint {
	for _, e := range es {
		if e.Protocol != h.Protocol {
			continue
		}
		for _, a := range preferredPeriods(e) {
			for _, b := range preferredPeriods(h) {
				if a.Overlaps(b) {
					return e
				}
			}
		}
	}
	return nil
}

// preferredPeriods are the stretches in which e is preferred: its period,
// or each preferred period within it.
func preferredPeriods(e *model.Endpoint) []model.Period {
	if e.Preferred {
		return []model.Period{e.Period}
	}
	out := make([]model.Period, 0, len(e.PreferredDuring))
	for _, p := range e.PreferredDuring {
		if !e.From.IsZero() && (p.From.IsZero() || p.From.Before(e.From)) {
			p.From = e.From
		}
		if !e.Until.IsZero() && (p.Until.IsZero() || e.Until.Before(p.Until)) {
			p.Until = e.Until
		}
		out = append(out, p)
	}
	return out
}

// markedOtherwise says how the preference of m, undated and written by
// an import, disagrees with the history of the stretch h it records: the
// plain import marks the server first of its protocol in the version it
// read, whichever that was, preferred for the whole (undated) period; a
// mark that no version of the stretch gives a person wrote. "" when it
// agrees.
func markedOtherwise(m, h *model.Endpoint) string {
	switch {
	case m.Preferred && !h.Preferred && len(h.PreferredDuring) == 0:
		return "marked preferred; the database never lists it first of its protocol"
	case !m.Preferred && h.Preferred:
		return "not marked preferred; the database lists it first of its protocol in every version"
	}
	return ""
}

// preferenceText says when the database listed h first of its protocol.
func preferenceText(h *model.Endpoint) string {
	switch {
	case h.Preferred:
		return "preferred, first of its protocol in every version that lists it"
	case len(h.PreferredDuring) == 0:
		return "not preferred, never first of its protocol"
	}
	spans := make([]string, len(h.PreferredDuring))
	for i, p := range h.PreferredDuring {
		spans[i] = spanText(&model.Endpoint{Period: p})
	}
	return "preferred " + strings.Join(spans, ", ") + ", when the database listed it first of its protocol"
}

// differences says how e records h's server otherwise: each value that
// differs, as e has it and as the database lists it.
func differences(e, h *model.Endpoint) string {
	var out []string
	add := func(what, mine, theirs string) {
		if mine != theirs {
			out = append(out, fmt.Sprintf("%s %s, the database %s", what, mine, theirs))
		}
	}
	add("security", string(e.Security), string(h.Security))
	add("auth", provideryaml.Auth(e.Auth), provideryaml.Auth(h.Auth))
	add("username", string(e.Username), string(h.Username))
	add("url", e.URL, h.URL)
	add("ews_url", e.EWSURL, h.EWSURL)
	add("owa_url", e.OWAURL, h.OWAURL)
	if len(out) == 0 {
		return ""
	}
	return ": " + strings.Join(out, "; ")
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
