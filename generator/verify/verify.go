// Package verify records that a maintainer (or a probe) checked a value:
// it appends a verification event to the matching endpoint in its provider
// file, editing the YAML in place so that comments and layout survive, and
// refuses anything that would leave the knowledge base invalid.
package verify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"mailkb/generator/inputfs"
	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/yamledit"
)

// Event is the verification to record.
type Event struct {
	Date   model.Date
	Method model.Method
	By     string
	Note   string
}

// Recorded says where an event was written.
type Recorded struct {
	Endpoint *model.Endpoint
	File     string
	Line     int
}

// Resolve finds the endpoints a target names in a provider: an endpoint id,
// host:port, or a protocol whose current endpoints are meant. A target
// that names several endpoints, or none, is refused with the choices.
func Resolve(p *model.Provider, target string) (*model.Endpoint, error) {
	if e := p.Endpoint(target); e != nil {
		return e, nil
	}
	var matches []*model.Endpoint
	for _, e := range p.CurrentEndpoints() {
		if string(e.Protocol) == target || fmt.Sprintf("%s:%d", e.Host, e.Port) == target {
			matches = append(matches, e)
		}
	}
	if len(matches) == 1 {
		return matches[0], nil
	}
	choices := matches
	what := fmt.Sprintf("%q names %d current endpoints of %s", target, len(matches), p.ID)
	if len(matches) == 0 {
		choices = p.CurrentEndpoints()
		what = fmt.Sprintf("%q is not an endpoint, host:port or protocol of a current endpoint of %s", target, p.ID)
	}
	var b strings.Builder
	for _, e := range choices {
		fmt.Fprintf(&b, "\n  %-34s %s %s:%d", e.ID, e.Protocol, e.Host, e.Port)
	}
	return nil, fmt.Errorf("%s; name one by its id:%s", what, b.String())
}

// Options says how Record runs.
type Options struct {
	// Today bounds the event's date: a check cannot be recorded before
	// it happens.
	Today time.Time
	// Waiting is called once when another command is writing the
	// knowledge base and Record waits for it; nil for silence.
	Waiting func()
	// Still, when set, is given the endpoint as it stands once the lock
	// is held; an error refuses the record. A probe uses it to make sure
	// the server it checked is still the one the data names.
	Still func(*model.Endpoint) error
}

// Record adds ev to the endpoint target of provider in the knowledge base
// at root. It holds the knowledge base's lock from reading to writing, so
// that records made at once all land, and writes only if the whole
// knowledge base, as it is under the lock, still loads with the edit.
func Record(ctx context.Context, root, provider, target string, ev Event, opts Options) (*Recorded, error) {
	if err := ev.check(opts.Today); err != nil {
		return nil, err
	}
	w, err := yamledit.Lock(ctx, root, opts.Waiting)
	if err != nil {
		return nil, err
	}
	defer w.Release()
	kb, err := loader.Load(root, loader.WithToday(opts.Today))
	if err != nil {
		return nil, fmt.Errorf("the knowledge base has errors; fix them first:\n%w", err)
	}
	p := kb.Provider(provider)
	if p == nil {
		ids := kb.ProviderIDs()
		return nil, fmt.Errorf("no provider %q; choose one of: %s", provider, strings.Join(ids, ", "))
	}
	e, err := Resolve(p, target)
	if err != nil {
		return nil, err
	}
	if opts.Still != nil {
		if err := opts.Still(e); err != nil {
			return nil, err
		}
	}
	// The edit is read and checked under the loader's rules (no link out
	// of the knowledge base, regular files only), as Load read it.
	fsys, err := inputfs.Open(root)
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	rel, err := filepath.Rel(root, p.File)
	if err != nil {
		return nil, err
	}
	rel = filepath.ToSlash(rel)
	src, err := fsys.ReadFile(rel)
	if err != nil {
		return nil, err
	}
	out, line, err := Append(src, e.ID, ev)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.File, err)
	}
	if _, err := loader.LoadFS(overlay{fsys, rel, out}, root, loader.WithToday(opts.Today)); err != nil {
		return nil, fmt.Errorf("the edit would break the knowledge base, so %s was not changed:\n%w", p.File, err)
	}
	if err := w.WriteFile(p.File, out); err != nil {
		return nil, fmt.Errorf("%s was not changed: %w", p.File, err)
	}
	return &Recorded{Endpoint: e, File: p.File, Line: line}, nil
}

// check refuses an event that cannot be recorded, whatever the data says.
func (ev Event) check(today time.Time) error {
	if ev.Date.Precision != model.Day {
		return fmt.Errorf("the date must be a full day, YYYY-MM-DD")
	}
	if ev.Date.Start().After(model.DateOf(today).Start()) {
		return fmt.Errorf("%s is in the future; record a check on or after the day it happens", ev.Date)
	}
	switch ev.Method {
	case model.Manual, model.Probe, model.Published:
	default:
		return fmt.Errorf("the method must be manual, probe or published, not %q", ev.Method)
	}
	if strings.TrimSpace(ev.By) == "" {
		return fmt.Errorf("say who checked it (--by NAME)")
	}
	if err := PlainText(ev.By, false); err != nil {
		return fmt.Errorf("--by: %w", err)
	}
	if err := PlainText(ev.Note, true); err != nil {
		return fmt.Errorf("--note: %w", err)
	}
	return nil
}

// PlainText refuses text that could do more than show itself: control
// characters (C0, DEL and C1: a terminal takes ESC and CSI as commands,
// and they are not allowed in HTML) and bytes that are not UTF-8. A line
// break is allowed where lines says so; YAML keeps it as \n.
func PlainText(s string, lines bool) error {
	n := 0
	for i, r := range s {
		n++
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], string(utf8.RuneError)):
			return fmt.Errorf("byte %d is not UTF-8 text; give the text in UTF-8", i+1)
		case r == '\n' && lines:
		case r == '\n':
			return fmt.Errorf("character %d is a line break; give it on one line", n)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
			return fmt.Errorf("character %d is the control character %U; give plain text without control characters", n, r)
		}
	}
	return nil
}

// Append adds ev to the verified list of endpoint id in a provider file's
// bytes, keeping the list oldest first, and returns the new bytes and the
// line of the new entry.
func Append(src []byte, id string, ev Event) ([]byte, int, error) {
	doc, err := yamledit.Parse(src)
	if err != nil {
		return nil, 0, err
	}
	item := yamledit.FindItem(doc.Root(), "endpoints", "id", id)
	if item == nil {
		return nil, 0, fmt.Errorf("no endpoint with id %q", id)
	}
	fields := []yamledit.Field{{Key: "date", Value: ev.Date.String()}, {Key: "method", Value: string(ev.Method)},
		{Key: "by", Value: yamledit.Scalar(ev.By)}}
	if ev.Note != "" {
		fields = append(fields, yamledit.Field{Key: "note", Value: yamledit.Scalar(ev.Note)})
	}
	later := func(n *yaml.Node) bool {
		d, err := model.ParseDate(yamledit.Get(n, "date").Value)
		return err == nil && ev.Date.Before(d)
	}
	if err := doc.AppendItem(item, "verified", fields, later); err != nil {
		return nil, 0, err
	}
	out := doc.Bytes()
	return out, lineOf(src, out), nil
}

// lineOf is the first line where after differs from before.
func lineOf(before, after []byte) int {
	i := 0
	for i < len(before) && i < len(after) && before[i] == after[i] {
		i++
	}
	return bytes.Count(after[:i], []byte("\n")) + 1
}

// overlay is a file system with one file replaced, to validate an edit
// before it is written.
type overlay struct {
	fs.FS
	name string
	data []byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if name != o.name {
		return o.FS.Open(name)
	}
	f, err := o.FS.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	f.Close()
	if err != nil {
		return nil, err
	}
	return &memFile{Reader: bytes.NewReader(o.data), info: st, size: int64(len(o.data))}, nil
}

type memFile struct {
	*bytes.Reader
	info fs.FileInfo
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return sizedInfo{f.info, f.size}, nil }
func (f *memFile) Close() error               { return nil }

type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (s sizedInfo) Size() int64 { return s.size }

var _ io.Reader = (*memFile)(nil)

// Due is a current endpoint and how long ago it was last verified.
type Due struct {
	Endpoint *model.Endpoint
	Last     *model.Verification // nil when never verified
	AgeDays  int                 // -1 when never verified
}

// Stale lists the current endpoints whose last verification is at least
// minAge days old on today (never-verified ones first), oldest first.
func Stale(kb *model.KB, today time.Time, minAge int) []Due {
	var out []Due
	for _, p := range kb.Providers {
		for _, e := range p.CurrentEndpoints() {
			d := Due{Endpoint: e, Last: e.LastVerified(), AgeDays: -1}
			if d.Last != nil {
				d.AgeDays = int(model.DateOf(today).Start().Sub(d.Last.Date.Start()).Hours() / 24)
				if d.AgeDays < minAge {
					continue
				}
			}
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Last == nil) != (b.Last == nil) {
			return a.Last == nil
		}
		if a.AgeDays != b.AgeDays {
			return a.AgeDays > b.AgeDays
		}
		return a.Endpoint.ID < b.Endpoint.ID
	})
	return out
}
