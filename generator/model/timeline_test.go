package model

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

// randomProvider makes n endpoints with every kind of window: dated both
// ends, open-ended current, ended with the end known only from checks,
// started only from sources, undated current (placed from the day the KB
// was loaded), undated retired (never placed), empty, alternatives and
// preferred ones. The same seed gives the same provider.
func randomProvider(n int, seed uint64) *Provider {
	r := rand.New(rand.NewPCG(seed, 1))
	protos := []Protocol{IMAP, POP3, SMTP, HTTPMail}
	date := func() Date {
		y := 1998 + r.IntN(30)
		switch r.IntN(3) {
		case 0:
			return Date{Y: y, Precision: Year}
		case 1:
			return Date{Y: y, M: 1 + r.IntN(12), Precision: Month}
		}
		return Date{Y: y, M: 1 + r.IntN(12), D: 1 + r.IntN(28), Precision: Day}
	}
	p := &Provider{ID: "p"}
	for i := range n {
		e := &Endpoint{ID: "e" + strconv.Itoa(i), Provider: p, Protocol: protos[r.IntN(len(protos))],
			Port: []int{25, 465, 587, 993}[r.IntN(4)], Preferred: r.IntN(5) == 0}
		switch r.IntN(7) {
		case 0: // current, dated start
			e.Status, e.From = Current, date()
		case 1: // current, undated: from the day asked
			e.Status = Current
		case 2: // retired, undated: not placed
			e.Status = Retired
		case 3: // ended; the end known only from its checks
			e.Status, e.From = Legacy, date()
			e.Verified = []Verification{{Date: date()}, {Date: date()}}
		case 4: // started only from a source's date
			e.Status, e.Until = Retired, date()
			e.Sources = []*Source{{Date: date()}}
		default: // dated both ends, in either order (an empty window)
			e.Status, e.From, e.Until = Retired, date(), date()
		}
		p.Endpoints = append(p.Endpoints, e)
	}
	return p
}

// asked is the day the tests ask their questions on (see Endpoint.Window).
var asked = day("2026-11-25")

func TestTimelineInForceMatchesProvider(t *testing.T) {
	p := randomProvider(300, 7)
	tl := p.Timeline(asked)
	for day := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() < 2030; day = day.AddDate(0, 0, 17) {
		for _, proto := range Protocols {
			if got, want := tl.InForce(proto, day), p.InForce(proto, day, asked); !slices.Equal(got, want) {
				t.Fatalf("InForce(%s, %s): timeline %v, provider %v", proto, day.Format(time.DateOnly), ids(got), ids(want))
			}
		}
	}
}

// TestLatestInForceDayByDay checks the sweep against the definition: walk
// back from the day before until, and take the first day on which every
// protocol has an endpoint in force.
func TestLatestInForceDayByDay(t *testing.T) {
	outcomes := map[bool]int{}
	defer func() {
		if outcomes[true] == 0 || outcomes[false] == 0 {
			t.Errorf("the cases found a day %d times and none %d times; they should do both", outcomes[true], outcomes[false])
		}
	}()
	for seed := range uint64(12) {
		p := randomProvider(12+int(seed)*3, seed)
		for _, protos := range [][]Protocol{{IMAP, SMTP}, {POP3, SMTP}, {HTTPMail}, {IMAP}, {IMAP, POP3, SMTP}, nil} {
			for _, r := range [][2]string{{"1996-01-01", "2031-01-01"}, {"2003-01-01", "2014-04-01"}, {"2010-06-15", "2010-06-16"}, {"2020-01-01", "2020-01-01"}} {
				from, until := day(r[0]), day(r[1])
				t.Run(fmt.Sprintf("seed%d/%v/%s..%s", seed, protos, r[0], r[1]), func(t *testing.T) {
					want, wantOK := time.Time{}, false
					for d := until.AddDate(0, 0, -1); !d.Before(from); d = d.AddDate(0, 0, -1) {
						all := true
						for _, proto := range protos {
							all = all && len(p.InForce(proto, d, asked)) > 0
						}
						if all {
							want, wantOK = d, true
							break
						}
					}
					outcomes[wantOK]++
					got, ok := p.LatestInForce(protos, from, until, asked)
					if ok != wantOK || !got.Equal(want) {
						t.Errorf("LatestInForce = %s, %v; day by day: %s, %v", got.Format(time.DateOnly), ok, want.Format(time.DateOnly), wantOK)
					}
				})
			}
		}
	}
}

func ids(es []*Endpoint) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// BenchmarkLatestInForce asks the question of a guide for a client whose
// current years ended in 2014, on a provider whose POP3 service ended in
// 2012 while SMTP went on: every SMTP window that ends after 2012 is a
// day that might be the answer and is not. Checking each such day against
// every endpoint made the question quadratic; the sweep is n log n.
func BenchmarkLatestInForce(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			p := &Provider{ID: "p"}
			for i := range n {
				proto, first, years := POP3, 2000, 12
				if i%2 == 1 {
					proto, years = SMTP, 26
				}
				y := first + i/2%years
				p.Endpoints = append(p.Endpoints, &Endpoint{ID: "e" + strconv.Itoa(i), Provider: p, Protocol: proto, Status: Retired,
					Period: Period{From: Date{Y: y, Precision: Year}, Until: Date{Y: y + 1, Precision: Year}}})
			}
			from, until := day("1996-01-01"), day("2014-04-01")
			for b.Loop() {
				if got, ok := p.LatestInForce([]Protocol{POP3, SMTP}, from, until, asked); !ok || !got.Equal(day("2011-12-31")) {
					b.Fatalf("LatestInForce = %s, %v; want 2011-12-31", got, ok)
				}
			}
		})
	}
}

// BenchmarkTimelineInForce places n endpoints once and asks what was in
// force on 100 days, as the as-of pages do.
func BenchmarkTimelineInForce(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			p := randomProvider(n, 1)
			for b.Loop() {
				tl := p.Timeline(asked)
				for d := day("2000-01-01"); d.Year() < 2025; d = d.AddDate(0, 3, 0) {
					tl.InForce(SMTP, d)
				}
			}
		})
	}
}
