package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date is known.
type Precision uint8

const (
	Year Precision = iota + 1
	Month
	Day
)

// Date is a calendar date that may be partial: 2009, 2009-02 or 2009-02-11.
// A partial date means "some time in that year or month"; it is shown as
// written and compared by its first day.
type Date struct {
	Y         int
	M, D      int // zero when not known
	Precision Precision
}

// The years a Date may have: mail settings have no history before 1900,
// and a year past 2999 is a typing slip.
const (
	MinYear = 1900
	MaxYear = 2999
)

// ParseDate reads YYYY, YYYY-MM or YYYY-MM-DD and rejects impossible dates
// (month 13, February 30). The error says what is wrong, without position:
// callers add the file and line.
func ParseDate(s string) (Date, error) {
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return Date{}, fmt.Errorf("%q is not a date; write YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	widths := []int{4, 2, 2}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if len(p) != widths[i] {
			return Date{}, fmt.Errorf("%q is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (zero-padded)", s)
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Date{}, fmt.Errorf("%q is not a date; write YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		nums[i] = n
	}
	d := Date{Y: nums[0], Precision: Precision(len(parts))}
	if d.Y < MinYear || d.Y > MaxYear {
		return Date{}, fmt.Errorf("year %d in %q is out of range (%d–%d)", d.Y, s, MinYear, MaxYear)
	}
	if len(nums) > 1 {
		d.M = nums[1]
		if d.M < 1 || d.M > 12 {
			return Date{}, fmt.Errorf("month %02d in %q does not exist; months run 01–12", d.M, s)
		}
	}
	if len(nums) > 2 {
		d.D = nums[2]
		if last := daysIn(d.Y, d.M); d.D < 1 || d.D > last {
			return Date{}, fmt.Errorf("day %02d in %q does not exist; %s %d has %d days", d.D, s, time.Month(d.M), d.Y, last)
		}
	}
	return d, nil
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// DateOf returns the full date of t in UTC.
func DateOf(t time.Time) Date {
	t = t.UTC()
	return Date{Y: t.Year(), M: int(t.Month()), D: t.Day(), Precision: Day}
}

// IsZero reports whether d is the zero Date (no date given).
func (d Date) IsZero() bool { return d.Precision == 0 }

// String writes d as it was given: 2009, 2009-02 or 2009-02-11.
func (d Date) String() string {
	switch d.Precision {
	case Year:
		return fmt.Sprintf("%04d", d.Y)
	case Month:
		return fmt.Sprintf("%04d-%02d", d.Y, d.M)
	case Day:
		return fmt.Sprintf("%04d-%02d-%02d", d.Y, d.M, d.D)
	}
	return ""
}

// Human writes d for readers: "2009", "February 2009", "11 February 2009".
func (d Date) Human() string {
	switch d.Precision {
	case Year:
		return fmt.Sprintf("%d", d.Y)
	case Month:
		return fmt.Sprintf("%s %d", time.Month(d.M), d.Y)
	case Day:
		return fmt.Sprintf("%d %s %d", d.D, time.Month(d.M), d.Y)
	}
	return "unknown"
}

// Start is the first day d may stand for.
func (d Date) Start() time.Time {
	m, day := d.M, d.D
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// End is the day after the last day d may stand for.
func (d Date) End() time.Time {
	s := d.Start()
	switch d.Precision {
	case Year:
		return s.AddDate(1, 0, 0)
	case Month:
		return s.AddDate(0, 1, 0)
	}
	return s.AddDate(0, 0, 1)
}

// Before orders dates by their first day, then by precision (coarser first),
// so that sorting is total and stable.
func (d Date) Before(o Date) bool {
	if !d.Start().Equal(o.Start()) {
		return d.Start().Before(o.Start())
	}
	return d.Precision < o.Precision
}
