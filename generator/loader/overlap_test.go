package loader

import (
	"math/rand/v2"
	"slices"
	"testing"

	"mailkb/generator/model"
)

// TestOverlappingMatchesPairwise checks the sorted sweep against the
// definition, pair by pair, on random periods (open, empty and partial
// ones included): every pair it reports overlaps, and every endpoint that
// overlaps another is named in at least one report.
func TestOverlappingMatchesPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	date := func() model.Date {
		switch rng.IntN(4) {
		case 0:
			return model.Date{}
		case 1:
			return model.Date{Y: 2000 + rng.IntN(4), Precision: model.Year}
		default:
			return model.Date{Y: 2000 + rng.IntN(4), M: 1 + rng.IntN(12), Precision: model.Month}
		}
	}
	for round := range 20000 {
		es := make([]*model.Endpoint, 1+rng.IntN(7))
		for i := range es {
			from, until := date(), date()
			if !from.IsZero() && !until.IsZero() && until.Start().Before(from.Start()) {
				from, until = until, from // reversed periods are refused before this check
			}
			es[i] = &model.Endpoint{ID: string(rune('a' + i)), Period: model.Period{From: from, Until: until}}
		}
		named := map[*model.Endpoint]bool{}
		overlapping(es, func(a, b *model.Endpoint) {
			if !periodsOverlap(a.Period, b.Period) {
				t.Fatalf("round %d: reported %s %v and %s %v, which do not overlap", round, a.ID, a.Period, b.ID, b.Period)
			}
			if a == b || slices.Index(es, a) > slices.Index(es, b) {
				t.Fatalf("round %d: reported %s before %s, against file order", round, a.ID, b.ID)
			}
			named[a], named[b] = true, true
		})
		for i, a := range es {
			for _, b := range es[i+1:] {
				if periodsOverlap(a.Period, b.Period) && !(named[a] && named[b]) {
					t.Fatalf("round %d: %s %v and %s %v overlap but %v were named", round, a.ID, a.Period, b.ID, b.Period, named)
				}
			}
		}
	}
}

// periodsOverlap is the definition the sweep must agree with: an unknown
// from is open to the past, an absent until open to the future.
func periodsOverlap(a, b model.Period) bool {
	return startsBefore(a.From, b.Until) && startsBefore(b.From, a.Until)
}

func startsBefore(from, until model.Date) bool {
	return from.IsZero() || until.IsZero() || from.Start().Before(until.Start())
}
