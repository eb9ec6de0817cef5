// Package ispdb has one job: import Thunderbird's ISP database (ISPDB), the
// config-v1.1.xml files of the autoconfig project or their history in its
// git repository, into a knowledge base. Each entry, as ispdbentry reads
// it, is matched with the provider it describes: a provider mailkb does
// not have gets a file of its own; for one it has, what changed is
// recorded as history (a changed server ends the old endpoint's period and
// starts a new one) by editing the YAML bytes, so hand-written comments
// survive. Nothing is written that would leave the knowledge base failing
// to load or failing ./build.sh check: a server check takes for a mistake
// is recorded as unusual, in the database's words, or else left out.
package ispdb

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"mailkb/generator/autoconfig"
	"mailkb/generator/ispdbentry"
	"mailkb/generator/kbwrite"
	"mailkb/generator/lint"
	"mailkb/generator/model"
)

// Options configures Import.
type Options struct {
	Root     string    // the knowledge base folder (holds data/)
	Today    time.Time // the day written as from and until, and in headers
	DryRun   bool      // report what would be written, write nothing
	Progress io.Writer // gets a line per file; nil for none
	// Waiting is called once when another command is writing the
	// knowledge base and Import waits for it; nil for silence.
	Waiting func()
}

// Files expands the command's arguments: a file stands for itself, a
// folder for the ISPDB files directly in it. Those are its .xml files in
// name order, then, also in name order, its other files whose content is
// XML: older checkouts of the database name the files without the
// extension (gmx.net), and a folder gathered from several may hold both.
// Hidden files, sub-folders and files that are not XML (a README) are not
// ISPDB files and are passed over.
func Files(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: no such file or folder", a)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, err
		}
		var xmls, others []string
		for _, e := range entries {
			name := e.Name()
			path := filepath.Join(a, name)
			switch {
			case strings.HasPrefix(name, ".") || !e.Type().IsRegular():
			case ispdbentry.IsXMLName(name):
				xmls = append(xmls, path)
			case looksLikeXML(path):
				others = append(others, path)
			}
		}
		if len(xmls)+len(others) == 0 {
			return nil, fmt.Errorf("%s: no .xml files (nor XML files without the extension) in this folder; give the ISPDB's ispdb/ folder or files", a)
		}
		sort.Strings(xmls)
		sort.Strings(others)
		out = append(append(out, xmls...), others...)
	}
	return out, nil
}

// looksLikeXML reports whether the file starts, after a byte order mark
// and white space, with a <.
func looksLikeXML(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	return autoconfig.LooksLikeXML(head[:n])
}

// Import imports each file into the knowledge base at opts.Root, one after
// the other, so that a later file sees what an earlier one wrote. It holds
// the knowledge base's lock for the whole run, so that no other command
// writes between the check of a file and its write, or between two files
// (a dry run holds it too, so that what it reports is what a run would
// do). A problem with one file is reported in its Result; the error is for
// what stops the run: a knowledge base that does not load, or a failed
// write.
func Import(ctx context.Context, files []string, opts Options) (*Report, error) {
	// Every file is read first, so that a domain can go to the entry it
	// names whichever file comes first (see run).
	given := map[string]bool{}
	for _, f := range files {
		given[filepath.Clean(f)] = true
	}
	entries := make([]entry, len(files))
	for i, f := range files {
		entries[i] = read(f, given)
	}
	return run(ctx, entries, opts, func(im *importer, in *ispdbentry.Entry, res Result) (Result, error) { return im.file(in, res) })
}

// run imports entries one after the other under the knowledge base's
// lock, each with importOne, so that a later entry sees what an earlier
// one wrote.
func run(ctx context.Context, entries []entry, opts Options, importOne func(*importer, *ispdbentry.Entry, Result) (Result, error)) (*Report, error) {
	today := model.DateOf(opts.Today)
	session, err := kbwrite.Open(ctx, opts.Root, kbwrite.Options{Today: today, DryRun: opts.DryRun, Waiting: opts.Waiting})
	if err != nil {
		return nil, err
	}
	defer session.Close()
	im := &importer{session: session, today: today, owners: ownersOf(session.KB()), touched: map[string]string{}}
	namedBy := map[string]int{} // domain → the last file that names it
	for i, en := range entries {
		if en.in != nil {
			for d := range en.in.Primary {
				namedBy[d] = i
			}
		}
	}
	rep := &Report{DryRun: opts.DryRun}
	for i, en := range entries {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "[%d/%d] %s\n", i+1, len(entries), en.res.File)
		}
		if en.in == nil {
			rep.Results = append(rep.Results, en.res)
			continue
		}
		// A domain that a later file names (its first domain, its id or
		// its file name) is that file's, even if this one lists it too:
		// outlook.com.xml is the database's entry for outlook.com, which
		// hotmail.com.xml also lists.
		im.elsewhere = map[string]string{}
		for _, d := range en.in.Domains {
			if j, ok := namedBy[d]; ok && j > i && !en.in.Primary[d] {
				im.elsewhere[d] = entries[j].in.File
			}
		}
		res, err := importOne(im, en.in, en.res)
		rep.Results = append(rep.Results, res)
		if err != nil {
			return rep, fmt.Errorf("%w; stopped at file %d of %d, %s (the files before it were imported)", err, i+1, len(entries), res.File)
		}
	}
	return rep, session.CheckAll()
}

// entry is one file as read: what it says, or the result that says why
// there is nothing to import.
type entry struct {
	in  *ispdbentry.Entry
	res Result
}

// read reads and converts one file; given holds every file of the run.
func read(path string, given map[string]bool) entry {
	res := Result{File: filepath.Base(path)}
	// An extension-less file beside the same name with .xml is the older
	// copy of one entry (the database renamed its files); the .xml one is
	// the entry, and importing both would record the old copy's domains
	// and servers as if they were current.
	if !ispdbentry.IsXMLName(path) && given[filepath.Clean(path)+".xml"] {
		res.Outcome, res.Reason = Skipped, "an older copy of "+res.File+".xml (the same entry without the extension); that file is imported instead"
		return entry{res: res}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		res.Outcome, res.Reason = Skipped, fmt.Sprintf("cannot read it: %v", err)
		return entry{res: res}
	}
	return readData(res.File, data)
}

// readData converts one file's bytes; file is its name.
func readData(file string, data []byte) entry {
	res := Result{File: file}
	in, err := ispdbentry.Read(data, res.File)
	if err != nil {
		res.Outcome, res.Reason = Malformed, err.Error()+"; fix the XML or leave the file out"
		return entry{res: res}
	}
	if len(in.Domains) == 0 {
		res.Outcome, res.Reason, res.Notes = Skipped, "it lists no valid mail domain", in.Notes
		return entry{res: res}
	}
	return entry{in: in, res: res}
}

type importer struct {
	session *kbwrite.Session // holds the lock; reads, checks and writes the files
	today   model.Date
	owners  domainOwners // the domains of the knowledge base as the session has left it
	// touched maps a provider id to the file that created or changed it in
	// this run.
	touched map[string]string
	// elsewhere maps a domain of the entry being imported that a later
	// file of the run names to that file; the domain is left to it.
	elsewhere map[string]string
}

// file imports what one ISPDB file says.
func (im *importer) file(in *ispdbentry.Entry, res Result) (Result, error) {
	var err error
	if p := im.match(in); p != nil {
		err = im.update(p, in, &res)
	} else {
		err = im.create(in, &res)
	}
	if err != nil {
		// The write failed: the report must not say the file was created
		// or changed.
		res.Outcome, res.Reason, res.Changes = Skipped, err.Error()+"; nothing of this file was written", nil
	}
	res.Notes = append(in.Notes, res.Notes...)
	for _, s := range in.Servers {
		switch {
		case s.Dropped != "":
			res.Notes = append(res.Notes, fmt.Sprintf("%s left out: %s", s.Label(), s.Dropped))
		case s.Endpoint.Unusual != "":
			res.Notes = append(res.Notes, fmt.Sprintf("%s recorded as unusual, as the database gives it (./build.sh check would take it for a mistake: %s)", s.Label(), s.Refused))
		}
	}
	return res, err
}

// match finds the provider the file describes: one that lists a domain
// naming it (hotmail.com.xml is outlook-com, which lists hotmail.com), or
// lists another of its domains and shares a server with it, else the one
// with its id if that shares a server. A provider that lists only a
// secondary domain of the file and none of its servers is another
// provider (cox.net is both its own entry and a domain of yahoo.com.xml):
// the file gets a provider of its own, without that domain.
func (im *importer) match(in *ispdbentry.Entry) *model.Provider {
	for _, d := range in.Domains {
		if p := im.owners[d]; p != nil && (in.Primary[d] || sharesServer(p, in)) {
			return p
		}
	}
	if p := im.session.KB().Provider(in.IDSlug); p != nil && sharesServer(p, in) {
		return p
	}
	return nil
}

// sharesServer reports whether p has a current endpoint on the protocol,
// host and port of one of the file's servers.
func sharesServer(p *model.Provider, in *ispdbentry.Entry) bool {
	for _, e := range p.Endpoints {
		if e.Status == model.Current && in.Find(e.Key()) != nil {
			return true
		}
	}
	return false
}

// freeSlug returns the id a new provider gets: in.Slug, or, when another
// provider has it (two entries with one id and nothing else in common),
// the file's name, its first domain, or a number added.
func (im *importer) freeSlug(in *ispdbentry.Entry) string {
	taken := func(id string) bool {
		if im.session.KB().Provider(id) != nil {
			return true
		}
		_, err := im.session.ReadFile("data/providers/" + id + ".yaml")
		return err == nil
	}
	for _, id := range in.IDCandidates() {
		if id != "" && !taken(id) {
			return id
		}
	}
	for n := 2; ; n++ {
		if id := fmt.Sprintf("%s-%d", in.Slug, n); !taken(id) {
			return id
		}
	}
}

// attempt is one way of writing a file, and the endpoints it adds.
type attempt struct {
	rel   string                        // slash path of the provider file
	data  []byte                        // its new content
	added map[string]*ispdbentry.Server // endpoint id → the server it comes from
	kb    *model.KB                     // the knowledge base with the file, once valid
}

// settle builds an attempt, validates it with the loader and lint, and
// builds it again until ./build.sh check accepts it. A server whose
// endpoint check refuses (a port that does not fit its encryption, say) is
// what the database publishes, so it is first recorded as unusual, with
// the file's own words for it; one that check refuses even so is left
// out. Errors the file already had (existing is true when it exists) are
// not the import's doing and do not stop it. It returns nil and no reason
// when there is nothing to write.
func (im *importer) settle(rel string, existing bool, build func() (*attempt, string)) (*attempt, string) {
	before := map[string]bool{}
	if existing {
		for _, f := range im.session.Errors(im.session.KB(), rel) {
			before[f.Message] = true
		}
	}
	for {
		a, why := build()
		if a == nil {
			return nil, why
		}
		kb, err := im.session.Validate(rel, a.data)
		if err != nil {
			return nil, "the result would not load, so nothing was written:\n" + err.Error()
		}
		var refused []string
		seen := map[*ispdbentry.Server]bool{} // a server steps once per build, however many findings it has
		for _, f := range im.session.Errors(kb, rel) {
			if before[f.Message] {
				continue
			}
			s := a.serverAt(kb, f.Pos)
			switch {
			case s == nil:
				refused = append(refused, f.String())
				continue
			case seen[s]:
				continue
			case s.Endpoint.Unusual == "" && answeredByUnusual(f):
				// The finding says what is wrong, then what to do about
				// it; the report needs only the first.
				s.Endpoint.Unusual = s.Oddity
				s.Refused, _, _ = strings.Cut(f.Message, "; ")
			case s.Endpoint.Unusual != "":
				s.Dropped = "./build.sh check refuses it even as unusual: " + f.Message
			default:
				s.Dropped = "./build.sh check refuses it: " + f.Message
			}
			seen[s] = true
		}
		if len(refused) > 0 {
			return nil, "./build.sh check would refuse the result, so nothing was written:\n" + strings.Join(refused, "\n")
		}
		if len(seen) == 0 {
			a.kb = kb
			return a, ""
		}
	}
}

// answeredByUnusual reports whether a finding of ./build.sh check is one a
// provider can really publish, which `unusual` answers: a port and
// encryption that do not fit, a host one slip from another of its hosts.
// A host under no top-level domain, or one the knowledge base's errata
// call wrong, is a mistake, and is left out.
func answeredByUnusual(f lint.Finding) bool {
	return f.Rule == "port-security" || f.Rule == "host-typo" && strings.Contains(f.Message, "one slip away")
}

// serverAt returns the server whose added endpoint is at pos.
func (a *attempt) serverAt(kb *model.KB, pos model.Pos) *ispdbentry.Server {
	for _, p := range kb.Providers {
		for _, e := range p.Endpoints {
			if e.Pos == pos {
				return a.added[e.ID]
			}
		}
	}
	return nil
}

// write records a valid attempt: on disk unless this is a dry run, and in
// what later files are validated against.
func (im *importer) write(a *attempt) error {
	if err := im.session.Write(a.rel, a.data, a.kb); err != nil {
		return err
	}
	im.owners = ownersOf(a.kb)
	return nil
}

// create writes a provider file for a provider mailkb does not have.
// Domains another provider lists are left out: a mail domain belongs to
// one provider.
func (im *importer) create(in *ispdbentry.Entry, res *Result) error {
	return im.createWith(in, res, func() *model.Source { return in.NewSource(im.today) }, func(*model.Source) ([]*model.Endpoint, map[string]*ispdbentry.Server, string) {
		live := in.Live()
		switch {
		case in.Elements == 0:
			return nil, nil, "it lists no incoming or outgoing server"
		case len(live) == 0:
			return nil, nil, "no server in it is one mailkb can record (see the notes)"
		}
		added := map[string]*ispdbentry.Server{}
		taken, seen := map[string]bool{}, map[model.Protocol]bool{}
		var eps []*model.Endpoint
		for _, s := range live {
			e := *s.Endpoint
			e.ID = ispdbentry.EndpointID(&e, taken)
			// The ISPDB lists a protocol's servers in order of preference.
			e.Preferred = !seen[e.Protocol]
			seen[e.Protocol] = true
			eps = append(eps, &e)
			added[e.ID] = s
		}
		return eps, added, ""
	})
}

// createWith writes a new provider file for in, with the endpoints
// endpoints makes (each build of the settle loop makes them again, without
// the servers check refused) citing a source newSource makes when the
// knowledge base has none for the file.
func (im *importer) createWith(in *ispdbentry.Entry, res *Result, newSource func() *model.Source,
	endpoints func(src *model.Source) ([]*model.Endpoint, map[string]*ispdbentry.Server, string)) error {
	var kept []string
	byOwner := map[string][]string{}
	var owners []string
	for _, d := range in.Domains {
		if f := im.elsewhere[d]; f != "" {
			res.Notes = append(res.Notes, elsewhereNote(d, f))
			continue
		}
		if o := im.owners[d]; o != nil {
			if byOwner[o.ID] == nil {
				owners = append(owners, o.ID)
			}
			byOwner[o.ID] = append(byOwner[o.ID], d)
			continue
		}
		kept = append(kept, d)
	}
	for _, o := range owners {
		ds, verb := byOwner[o], "is"
		if len(ds) > 1 {
			verb = "are"
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%s %s %s listed by provider %s; left out (a mail domain belongs to one provider)",
			plural(len(ds), "domain"), strings.Join(ds, ", "), verb, o))
	}
	if len(kept) == 0 {
		res.Outcome, res.Reason = Skipped, "every domain it lists belongs to another provider"
		return nil
	}
	in.Domains = kept
	if in.Slug != in.IDSlug && in.IDSlug != "" {
		res.Notes = append(res.Notes, fmt.Sprintf("its emailProvider id %q names neither the file nor one of its domains; "+
			"the provider is named after the file", in.ID))
	}
	if s := im.freeSlug(in); s != in.Slug {
		res.Notes = append(res.Notes, fmt.Sprintf("provider id %s is another provider's; this one is %s", in.Slug, s))
		in.Slug = s
	}
	rel := "data/providers/" + in.Slug + ".yaml"
	res.Provider, res.Path = in.Slug, im.session.FileName(rel)
	var add *model.Source
	src := in.FindSource(im.session.KB())
	if src == nil {
		add = newSource()
		src = add
	}
	var eps []*model.Endpoint
	a, why := im.settle(rel, false, func() (*attempt, string) {
		var added map[string]*ispdbentry.Server
		var why string
		eps, added, why = endpoints(src)
		if eps == nil {
			return nil, why
		}
		a := &attempt{rel: rel, added: added}
		a.data = in.Render(eps, add, src.ID, im.today)
		return a, ""
	})
	if a == nil {
		res.Outcome, res.Reason = Skipped, why
		return nil
	}
	res.Outcome = Created
	res.Changes = []string{fmt.Sprintf("%s (%s), %s", count(len(eps), "endpoint"), endpointList(eps), count(len(in.Domains), "domain"))}
	if in.Enable != nil {
		res.Changes = append(res.Changes, "a fact on switching access on")
	}
	im.touched[in.Slug] = in.File
	return im.write(a)
}

// count writes n things: 1 domain, 2 domains.
func count(n int, thing string) string { return fmt.Sprintf("%d %s", n, plural(n, thing)) }

// plural is thing, with an s unless n is 1.
func plural(n int, thing string) string {
	if n == 1 {
		return thing
	}
	return thing + "s"
}

func endpointList(eps []*model.Endpoint) string {
	ids := make([]string, len(eps))
	for i, e := range eps {
		ids[i] = e.ID
	}
	return strings.Join(ids, ", ")
}

// update records what the file changes in provider p as history.
func (im *importer) update(p *model.Provider, in *ispdbentry.Entry, res *Result) error {
	rel := "data/providers/" + filepath.Base(p.File)
	res.Provider, res.Path = p.ID, p.File
	orig, err := im.session.ReadFile(rel)
	if err != nil {
		res.Outcome, res.Reason = Skipped, fmt.Sprintf("cannot read %s: %v", p.File, err)
		return nil
	}
	var pl *plan
	a, why := im.settle(rel, true, func() (*attempt, string) {
		pl = newPlan(p, in, im.session.KB(), im.owners, im.elsewhere, im.today)
		if pl.empty() {
			return nil, ""
		}
		data, err := pl.apply(orig, im.today)
		switch {
		case err != nil:
			return nil, fmt.Sprintf("cannot edit %s: %v", p.File, err)
		case data == nil:
			return nil, ""
		}
		return &attempt{rel: rel, data: data, added: pl.added}, ""
	})
	res.Notes = append(res.Notes, pl.notes...)
	// Two files of one run for one provider: the second may add domains,
	// but servers it adds would record the first file's servers as history
	// ended today. Checked once the servers check refuses are left out, so
	// that a server both files give, and check refuses, is no difference.
	if by := im.touched[p.ID]; a != nil && by != "" && len(pl.adds) > 0 {
		res.Outcome, res.Reason = Skipped, fmt.Sprintf("%s was written from %s earlier in this run and this file gives other servers; "+
			"mailkb keeps one history per provider, so import the file that is right on its own", p.ID, by)
		return nil
	}
	return im.record(res, p, in, a, why, pl.changes)
}

// record writes an update of provider p from entry in, or says why there
// is none: a (with its changes) is what to write, why why nothing is.
func (im *importer) record(res *Result, p *model.Provider, in *ispdbentry.Entry, a *attempt, why string, changes []string) error {
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

func elsewhereNote(domain, file string) string {
	return fmt.Sprintf("domain %s is the own domain of %s, later in this run; left to it (a mail domain belongs to one provider)", domain, file)
}
