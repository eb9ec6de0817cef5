package pages

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"mailkb/generator/model"
	"mailkb/generator/view"
)

// keys are fingerprints of what many jobs read. They are worked out only
// when a session asks what a job reads, and once.
type keys struct {
	guidesOnce, namesOnce, contentOnce, timelineOnce sync.Once
	guides, names, content                           string
	timeline                                         []view.YearLinks
}

func digest(fill func(w io.Writer)) string {
	h := sha256.New()
	fill(h)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// guidesKey covers every guide's URL, title and era: what lists and
// cross-links show of them.
func (s *planner) guidesKey() string {
	s.keys.guidesOnce.Do(func() {
		s.keys.guides = digest(func(w io.Writer) {
			for _, g := range s.guides {
				fmt.Fprintf(w, "%s|%s|%v\n", g.URL, g.Title, g.Historical)
			}
		})
	})
	return s.keys.guides
}

// namesKey covers every provider's id and name.
func (s *planner) namesKey() string {
	s.keys.namesOnce.Do(func() {
		s.keys.names = digest(func(w io.Writer) {
			for _, p := range s.kb.Providers {
				fmt.Fprintf(w, "%s=%s|", p.ID, p.Name)
			}
		})
	})
	return s.keys.names
}

// contentKey covers every content file.
func (s *planner) contentKey() string {
	s.keys.contentOnce.Do(func() {
		s.keys.content = digest(func(w io.Writer) {
			for _, src := range s.sources {
				fmt.Fprintf(w, "%s=%x|", src.File, src.Digest)
			}
		})
	})
	return s.keys.content
}

// dataKey covers every provider file.
func (s *planner) dataKey(d Digests) string {
	var b strings.Builder
	for _, p := range s.kb.Providers {
		fmt.Fprintf(&b, "%s=%s|", p.ID, d.Data(p.File))
	}
	return b.String()
}

// wholeKey covers everything a page can show: all data and content, and
// the guides made from them.
func (s *planner) wholeKey(w io.Writer, d Digests) {
	fmt.Fprintf(w, "%s,%s,%s", s.dataKey(d), s.contentKey(), s.guidesKey())
}

// hostProvidersKey covers every provider whose data mentions the host.
func (s *planner) hostProvidersKey(h *view.Host, d Digests) string {
	seen := map[*model.Provider]bool{}
	var parts []string
	add := func(p *model.Provider) {
		if !seen[p] {
			seen[p] = true
			parts = append(parts, p.ID+"="+d.Data(p.File))
		}
	}
	for _, e := range h.Endpoints {
		add(e.Provider)
		if r := view.CurrentSuccessor(e); r != nil {
			add(r.Provider)
		}
	}
	for _, e := range h.Errata {
		add(e.Provider)
	}
	for _, x := range h.Disputes {
		add(x.Provider)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// historyKey covers what the history page shows: each year's events and
// year pages.
func (s *planner) historyKey(w io.Writer, d Digests) {
	for _, y := range s.timeline() {
		fmt.Fprintf(w, "year %d\n", y.Year)
		for _, e := range y.Events {
			fmt.Fprintf(w, "%s|%s|%s|%s|%s", e.Date, e.Name, e.Kind, e.Title, e.Key)
			if e.Endpoint != nil {
				fmt.Fprintf(w, "|%s", e.Endpoint.Host)
			}
			for _, src := range e.Sources {
				fmt.Fprintf(w, "|%s|%s|%s", src.ID, src.Publisher, src.Date)
			}
			io.WriteString(w, "\n")
		}
		for _, a := range y.AsOf {
			fmt.Fprintf(w, "%s|%s\n", a.Provider.Name, a.URL)
		}
	}
	// The figures draw each hand-written history.
	for _, p := range s.kb.Providers {
		if len(p.Eras) > 0 {
			fmt.Fprintf(w, "%s=%s|", p.ID, d.Data(p.File))
		}
	}
}
