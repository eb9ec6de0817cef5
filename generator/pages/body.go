package pages

import (
	"fmt"
	"html/template"
	"sync"
	"time"

	"mailkb/generator/content"
	"mailkb/generator/expand"
	"mailkb/generator/model"
)

// cache keeps what several pages render alike — the HTML of a guide
// source shared by every provider it is rendered for, a settings table
// many years or guides show — so it is rendered once. Keys start with
// what they name, so one map serves all.
type cache struct {
	mu sync.Mutex
	m  map[string]string
}

func newCache() *cache { return &cache{m: map[string]string{}} }

// get returns the value of key, making it with make the first time. Two
// jobs may make one value at once; both get the same bytes.
func (c *cache) get(key string, make func() (string, error)) (string, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := make()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.m[key] = v
	c.mu.Unlock()
	return v, nil
}

// body is a content source expanded and rendered for one scope.
type body struct {
	HTML        template.HTML
	HasSettings bool // the body shows the quick-reference table itself
}

// renderBody expands and renders src in scope sc. A source rendered for
// several scopes (a guide, for every provider) keeps its markdown's HTML
// in the cache: values are tokens until after rendering, so the text is
// the same for every scope and goldmark and chroma run once for all. A
// source rendered once keeps nothing.
func (s *planner) renderBody(src *content.Source, sc expand.Scope, shared bool) (*body, error) {
	x := expand.New(s.env, sc)
	md := x.Markdown(src.Body)
	if errs := x.Errors(); len(errs) > 0 {
		return nil, errs.Err()
	}
	render := func() (string, error) {
		h, err := s.md.Block(md)
		if err != nil {
			return "", fmt.Errorf("%s: %w", src.File, err)
		}
		return s.urls.Rebase(h), nil
	}
	var h string
	var err error
	if shared {
		h, err = s.cache.get("md\x00"+md, render)
	} else {
		h, err = render()
	}
	if err != nil {
		return nil, err
	}
	h, err = x.Finish(h)
	if err != nil {
		return nil, err
	}
	return &body{HTML: template.HTML(h), HasSettings: x.HasSettings()}, nil
}

// partial renders a partial once per key.
func (s *planner) partial(name, key string, data func() any) (string, error) {
	return s.cache.get("partial\x00"+name+"\x00"+key, func() (string, error) { return s.tmpl.Partial(name, data()) })
}

// Settings renders the quick-reference table of rows as of a day, for
// the settings shortcode.
func (s *planner) Settings(rows []*model.Endpoint, asOf time.Time) (string, error) {
	t := s.table(rows, asOf)
	return s.partial("settings-table", t.Key(), func() any { return t })
}

// Fact renders one fact, for the fact shortcode.
func (s *planner) Fact(p *model.Provider, f *model.Fact) (string, error) {
	return s.partial("fact", p.ID+"/"+f.ID, func() any { return map[string]any{"Fact": f, "URLs": s.urls} })
}
