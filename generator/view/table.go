package view

import (
	"strings"
	"time"

	"mailkb/generator/model"
	"mailkb/generator/urls"
)

// Table is the data of a quick-reference table.
type Table struct {
	Rows []*model.Endpoint
	// LastKnown marks rows shown on a day after their window ended: the
	// last known settings of their protocol, with no later record.
	LastKnown map[*model.Endpoint]bool
	AsOf      model.Date
	Today     model.Date
	Stale     int // days after which a verification is stale
	URLs      urls.URLs
}

// NewTable is the table of rows as of day asOf, on a site whose
// verifications go stale after stale days.
func NewTable(rows []*model.Endpoint, asOf, today time.Time, stale int, u urls.URLs) *Table {
	return &Table{Rows: rows, AsOf: model.DateOf(asOf), Today: model.DateOf(today), Stale: stale, URLs: u}
}

// Preferred reports whether row e is the first choice of its protocol on
// the table's day, among other rows of that protocol: a tag on the only
// server of a protocol would tell the reader nothing.
func (t *Table) Preferred(e *model.Endpoint) bool {
	if !e.PreferredOn(t.AsOf.Start()) {
		return false
	}
	for _, o := range t.Rows {
		if o != e && o.Protocol == e.Protocol {
			return true
		}
	}
	return false
}

// Key identifies a table by what it shows, for rendering each one once.
func (t *Table) Key() string {
	var b strings.Builder
	b.WriteString(t.AsOf.String())
	for _, e := range t.Rows {
		b.WriteString("|" + e.Provider.ID + "/" + e.ID)
		if t.LastKnown[e] {
			b.WriteString(":last-known")
		}
	}
	return b.String()
}
