package main

import (
	"testing"
	"time"
)

// TestBuildDay checks --today and SOURCE_DATE_EPOCH: what each accepts,
// and the exact reason for what it refuses.
func TestBuildDay(t *testing.T) {
	tests := []struct {
		flag, epoch string
		want        string // the day, or the error
	}{
		{"2026-11-25", "", "2026-11-25"},
		{"2026-11-25", "junk", "2026-11-25"}, // the flag wins
		{"0001-01-01", "", `--today: year 1 in "0001-01-01" is out of range (1900–2999)`},
		{"9999-12-31", "", `--today: year 9999 in "9999-12-31" is out of range (1900–2999)`},
		{"2026-02-30", "", `--today: day 30 in "2026-02-30" does not exist; February 2026 has 28 days`},
		{"2026-11", "", `--today "2026-11": write a full date, YYYY-MM-DD`},
		{"", "1700000000", "2023-11-14"},
		{"", " 1700000000\n", "2023-11-14"},
		{"", "0", "1970-01-01"},
		{"", "-1", "1969-12-31"},
		{"", "1e9", "SOURCE_DATE_EPOCH \"1e9\" is not a whole number of seconds since 1970 (like 1700000000, as `date +%s` prints); fix it or unset it"},
		{"", "1700000000 junk", "SOURCE_DATE_EPOCH \"1700000000 junk\" is not a whole number of seconds since 1970 (like 1700000000, as `date +%s` prints); fix it or unset it"},
		{"", "+1700000000", "SOURCE_DATE_EPOCH \"+1700000000\" is not a whole number of seconds since 1970 (like 1700000000, as `date +%s` prints); fix it or unset it"},
		{"", "0x10", "SOURCE_DATE_EPOCH \"0x10\" is not a whole number of seconds since 1970 (like 1700000000, as `date +%s` prints); fix it or unset it"},
		{"", "99999999999999", `SOURCE_DATE_EPOCH "99999999999999" is outside the years mailkb dates (1900–2999); fix it or unset it`},
		{"", "99999999999999999999", `SOURCE_DATE_EPOCH "99999999999999999999" is outside the years mailkb dates (1900–2999); fix it or unset it`},
		{"", "-9999999999", `SOURCE_DATE_EPOCH "-9999999999" is outside the years mailkb dates (1900–2999); fix it or unset it`},
		{"", "", "now"},
	}
	for _, tt := range tests {
		t.Run(tt.flag+"|"+tt.epoch, func(t *testing.T) {
			t.Setenv("SOURCE_DATE_EPOCH", tt.epoch)
			day, err := buildDay(tt.flag)
			got := day.Format(time.DateOnly)
			switch {
			case err != nil:
				got = err.Error()
			case day.IsZero():
				got = "now"
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
