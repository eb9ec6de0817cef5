package benchcorpus_test

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"mailkb/generator/benchcorpus"
	"mailkb/generator/lint"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/site"
)

// TestWriteEndpoints builds corpora of one provider the way `mailkb check`
// does: each must load, render and pass every lint rule, have exactly the
// endpoints asked for, and — when large enough — the mix the benchmarks
// rely on.
func TestWriteEndpoints(t *testing.T) {
	for _, n := range []int{1, 7, 1000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "kb")
			if err := benchcorpus.WriteEndpoints(n, root, filepath.Join("..", "..", "templates")); err != nil {
				t.Fatal(err)
			}
			today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
			files, findings, err := site.Check(site.Options{Root: root, Now: today})
			if err != nil {
				t.Fatal(err)
			}
			if errs := lint.Errors(findings); len(errs) > 0 {
				t.Fatalf("lint errors:\n%v", errs.Err())
			}
			if len(files) == 0 {
				t.Fatal("nothing rendered")
			}
			kb, err := loader.Load(root, loader.WithToday(today))
			if err != nil {
				t.Fatal(err)
			}
			if len(kb.Providers) != 1 || len(kb.Providers[0].Endpoints) != n {
				t.Fatalf("want one provider of %d endpoints, got %d providers", n, len(kb.Providers))
			}
			if n >= 1000 {
				checkMix(t, kb.Providers[0])
			}
		})
	}
}

// checkMix asserts the variety a realistic large provider has.
func checkMix(t *testing.T, p *model.Provider) {
	t.Helper()
	protocols, statuses, domains := map[model.Protocol]int{}, map[model.Status]int{}, map[string]int{}
	hosts := map[string]bool{}
	var chains, openFrom, openUntil, preferred, alternatives int
	for _, e := range p.Endpoints {
		protocols[e.Protocol]++
		statuses[e.Status]++
		hosts[e.Host] = true
		for _, d := range p.Domains {
			if len(e.Host) > len(d) && e.Host[len(e.Host)-len(d)-1:] == "."+d {
				domains[d]++
			}
		}
		if e.ReplacedBy != nil {
			chains++
		}
		if e.From.IsZero() {
			openFrom++
		}
		if e.Status != model.Current && e.Until.IsZero() {
			openUntil++
		}
		if e.Preferred {
			preferred++
		}
		if e.Port == 465 {
			alternatives++
		}
	}
	for _, proto := range []model.Protocol{model.IMAP, model.POP3, model.SMTP} {
		if protocols[proto] == 0 {
			t.Errorf("no %s endpoint", proto)
		}
	}
	for _, s := range []model.Status{model.Current, model.Legacy, model.Retired} {
		if statuses[s] == 0 {
			t.Errorf("no %s endpoint", s)
		}
	}
	if len(domains) < 5 || len(hosts) < len(p.Endpoints)/5 {
		t.Errorf("hosts should spread over several domains: %d hosts on %d domains", len(hosts), len(domains))
	}
	for name, count := range map[string]int{"replaced_by": chains, "unknown from": openFrom, "unknown until": openUntil, "preferred": preferred, "alternative port": alternatives} {
		if count == 0 {
			t.Errorf("no endpoint with %s", name)
		}
	}
}
