package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"mailkb/generator/model"
)

// today is buildDay with the clock filled in, for commands that act once.
func today(flagValue string) (time.Time, error) {
	t, err := buildDay(flagValue)
	if err == nil && t.IsZero() {
		t = time.Now()
	}
	return t, err
}

// epochPattern is SOURCE_DATE_EPOCH's form: a whole number of seconds in
// base 10, as `date +%s` prints it.
var epochPattern = regexp.MustCompile(`^-?[0-9]+$`)

// buildDay picks the command's "today": the flag, else SOURCE_DATE_EPOCH
// (the reproducible-builds convention), else the clock (zero time).
func buildDay(flagValue string) (time.Time, error) {
	if flagValue != "" {
		d, err := model.ParseDate(flagValue)
		if err != nil {
			return time.Time{}, fmt.Errorf("--today: %v", err)
		}
		if d.Precision != model.Day {
			return time.Time{}, fmt.Errorf("--today %q: write a full date, YYYY-MM-DD", flagValue)
		}
		return d.Start(), nil
	}
	if s, set := os.LookupEnv("SOURCE_DATE_EPOCH"); set && s != "" {
		return epochDay(s)
	}
	return time.Time{}, nil
}

// epochDay reads SOURCE_DATE_EPOCH. Anything but digits is refused rather
// than read in part: fmt.Sscan took "1e9" for 1 and "1700000000 junk" for
// 1700000000, and a build dated by a misread variable is silently wrong.
func epochDay(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if !epochPattern.MatchString(v) {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a whole number of seconds since 1970 (like 1700000000, as `date +%%s` prints); fix it or unset it", s)
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	t := time.Unix(sec, 0).UTC()
	if err != nil || t.Year() < model.MinYear || t.Year() > model.MaxYear {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is outside the years mailkb dates (%d–%d); fix it or unset it", s, model.MinYear, model.MaxYear)
	}
	return t, nil
}
