package ispdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mailkb/generator/ispdbentry"
	"mailkb/generator/kbtest"
	"mailkb/generator/model"
	"mailkb/generator/provideryaml"
)

// timeline describes a provider's endpoints by what they record, not by
// their ids (which depend on the order in which imports named them): the
// setting, its period and status, its preference, its successor and the
// days and notes of its events, one line each, sorted.
func timeline(p *model.Provider) []string {
	var out []string
	for _, e := range p.Endpoints {
		pref := fmt.Sprint(e.Preferred)
		for _, d := range e.PreferredDuring {
			pref += fmt.Sprintf(" [%s, %s)", provideryaml.Boundary(d.From, d.FromBy), provideryaml.Boundary(d.Until, d.UntilBy))
		}
		next := ""
		if r := e.ReplacedBy; r != nil {
			next = ispdbentry.Signature(r) + " from " + provideryaml.Boundary(r.From, r.FromBy)
		}
		var events []string
		for _, v := range e.Verified {
			events = append(events, v.Date.String()+" "+v.Note)
		}
		out = append(out, fmt.Sprintf("%s from %q until %q %s preferred %s replaced by %q; events %s", ispdbentry.Signature(e),
			provideryaml.Boundary(e.From, e.FromBy), provideryaml.Boundary(e.Until, e.UntilBy), e.Status, pref, next, strings.Join(events, "; ")))
	}
	slices.Sort(out)
	return out
}

// notesOf is every note of a report, one string.
func notesOf(rep *Report) string {
	var all []string
	for _, r := range rep.Results {
		all = append(all, r.Notes...)
	}
	return strings.Join(all, "\n")
}

// mergeRepo is a small history of one entry: two alternative SMTP
// servers whose order (the database's preference) swaps in 2019, an IMAP
// server that moved to another host in 2014, and a POP3 server listed
// throughout.
func mergeRepo(t *testing.T) *gitRepo {
	r := newRepo(t)
	imapOld := serverXML("imap", "imap.old.acme.example", "993", "SSL", "password-cleartext")
	imap := serverXML("imap", "imap.acme.example", "993", "SSL", "password-cleartext")
	pop := serverXML("pop3", "pop.acme.example", "995", "SSL", "password-cleartext")
	sub := serverXML("smtp", "smtp.acme.example", "587", "STARTTLS", "password-cleartext")
	ssl := serverXML("smtp", "smtp.acme.example", "465", "SSL", "password-cleartext")
	file := "ispdb/acme.example.xml"
	r.commit("2009-04-28", "Add acme", map[string]string{file: provider("acme.example", []string{"acme.example"}, imapOld, pop, sub, ssl)})
	r.commit("2014-01-23", "acme moved IMAP", map[string]string{file: provider("acme.example", []string{"acme.example"}, imap, pop, sub, ssl)})
	r.commit("2019-06-12", "acme prefers SMTP over TLS", map[string]string{file: provider("acme.example", []string{"acme.example"}, imap, pop, ssl, sub)})
	return r
}

// TestHistoryAfterPlainImport imports an entry as the plain import does
// (today's version, undated), then its history: the history dates the
// endpoints the plain import wrote, adds the evidence of every commit,
// records the earlier server as ended and puts the preference the history
// knows in place of the plain import's — the provider then records what a
// history import alone records. A value a person changed is a
// disagreement, reported and kept. Another run changes nothing. In the
// other order, the plain import after the history changes nothing either.
func TestHistoryAfterPlainImport(t *testing.T) {
	r := mergeRepo(t)
	history := func(root string) *Report {
		t.Helper()
		rep, err := ImportHistory(context.Background(), r.dir, nil, Options{Root: root, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	alone := newKB(t)
	if rep := history(alone); rep.Count(Created) != 1 {
		t.Fatalf("the history alone:\n%s", summary(rep))
	}
	want := timeline(loadChecked(t, alone).Provider("acme-example"))

	for _, tt := range []struct {
		name string
		edit bool // a person changes the POP3 server's user name after the plain import
	}{{"as imported", false}, {"with a hand-edited value", true}} {
		t.Run(tt.name, func(t *testing.T) {
			root := newKB(t)
			runImport(t, root, filepath.Join(r.dir, "ispdb"))
			file := filepath.Join(root, "data", "providers", "acme-example.yaml")
			if tt.edit {
				kbtest.Edit(t, file, "host: pop.acme.example\n    port: 995\n    security: tls\n    auth: [password]\n    username: email-address",
					"host: pop.acme.example\n    port: 995\n    security: tls\n    auth: [password]\n    username: local-part")
			}
			rep := history(root)
			if res := result(t, rep, "acme.example"); res.Outcome != Changed {
				t.Fatalf("the history after the plain import:\n%s", summary(rep))
			}
			notes := notesOf(rep)
			p := loadChecked(t, root).Provider("acme-example")
			got := timeline(p)
			pop := p.Endpoint("pop3-pop-acme-example-995")
			if tt.edit {
				// The hand-edited endpoint stays as it is, undated; the
				// report names the difference.
				if pop.Username != model.LocalPart || !pop.From.IsZero() || len(pop.Verified) != 0 {
					t.Errorf("the hand-edited POP3 server was changed: username %s, from %s, %d events", pop.Username, pop.From, len(pop.Verified))
				}
				if !strings.Contains(notes, "pop3 pop.acme.example:995") || !strings.Contains(notes, "username local-part, the database email-address") ||
					strings.Count(notes, "not merged") != 1 {
					t.Errorf("the report does not name the one difference:\n%s", notes)
				}
				popLine := func(lines []string) []string {
					return slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return strings.HasPrefix(l, "pop3|") })
				}
				if !slices.Equal(popLine(got), popLine(want)) {
					t.Errorf("the rest of the provider:\n%s\nwant, as the history alone records it:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			} else {
				if notes != "" {
					t.Errorf("notes where nothing disagrees:\n%s", notes)
				}
				if !slices.Equal(got, want) {
					t.Errorf("the provider records:\n%s\nwant, as the history alone records it:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}

			// The endpoints the plain import wrote are the ones dated: the
			// IMAP server that replaced the old one, the SMTP servers with
			// the stretches in which each was the first choice.
			imap := p.Endpoint("imap-imap-acme-example-993")
			if imap == nil || imap.From.String() != "2014-01-23" || !imap.FromBy || len(imap.Verified) != 2 {
				t.Fatalf("the current IMAP server: %+v", imap)
			}
			old := slices.IndexFunc(p.Endpoints, func(e *model.Endpoint) bool { return e.Host == "imap.old.acme.example" })
			if old < 0 || p.Endpoints[old].ReplacedBy != imap || p.Endpoints[old].Status != model.Withdrawn {
				t.Errorf("the old IMAP server is not recorded as ended and replaced by %s", imap.ID)
			}
			sub, ssl := p.Endpoint("smtp-smtp-acme-example-587"), p.Endpoint("smtp-smtp-acme-example-465")
			if sub.Preferred || ssl.Preferred || len(sub.PreferredDuring) != 1 || sub.PreferredDuring[0].Until.String() != "2019-06-12" ||
				len(ssl.PreferredDuring) != 1 || ssl.PreferredDuring[0].From.String() != "2019-06-12" {
				t.Errorf("SMTP preference: 587 %v %v, 465 %v %v", sub.Preferred, sub.PreferredDuring, ssl.Preferred, ssl.PreferredDuring)
			}

			before, _ := os.ReadFile(file)
			if again := history(root); again.Count(Unchanged) != 1 {
				t.Errorf("a second history import:\n%s", summary(again))
			}
			if after, _ := os.ReadFile(file); string(after) != string(before) {
				t.Errorf("a second history import changed the file")
			}
		})
	}

	// The plain import read the entry as it was in 2009; the history then
	// ends the server that moved, dates the others and sets the SMTP
	// preference that swapped since.
	t.Run("plain import of an older version", func(t *testing.T) {
		root := newKB(t)
		first := strings.TrimSpace(r.git("rev-list", "--max-parents=0", "HEAD"))
		runImport(t, root, writeFiles(t, map[string]string{"acme.example.xml": r.git("show", first+":ispdb/acme.example.xml")}))
		if rep := history(root); result(t, rep, "acme.example").Outcome != Changed || notesOf(rep) != "" {
			t.Fatalf("the history after the plain import:\n%s", summary(rep))
		}
		p := loadChecked(t, root).Provider("acme-example")
		if got := timeline(p); !slices.Equal(got, want) {
			t.Errorf("the provider records:\n%s\nwant, as the history alone records it:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if old := p.Endpoint("imap-imap-old-acme-example-993"); old == nil || old.Status != model.Withdrawn || old.ReplacedBy == nil ||
			old.ReplacedBy.Host != "imap.acme.example" {
			t.Errorf("the IMAP server the plain import found is not ended and replaced: %+v", old)
		}
		if again := history(root); again.Count(Unchanged) != 1 {
			t.Errorf("a second history import:\n%s", summary(again))
		}
	})

	t.Run("history first", func(t *testing.T) {
		file := filepath.Join(alone, "data", "providers", "acme-example.yaml")
		before, _ := os.ReadFile(file)
		if rep := runImport(t, alone, filepath.Join(r.dir, "ispdb")); rep.Count(Unchanged) != 1 || notesOf(rep) != "" {
			t.Errorf("the plain import after the history:\n%s", summary(rep))
		}
		if rep := history(alone); rep.Count(Unchanged) != 1 {
			t.Errorf("the history again:\n%s", summary(rep))
		}
		if after, _ := os.ReadFile(file); string(after) != string(before) {
			t.Errorf("the file changed")
		}
	})
}
