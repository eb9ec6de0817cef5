package main

import (
	"fmt"
	"os"
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

// buildDay picks the command's "today": the flag, else SOURCE_DATE_EPOCH
// (the reproducible-builds convention), else the clock (zero time).
func buildDay(flagValue string) (time.Time, error) {
	if flagValue != "" {
		d, err := model.ParseDate(flagValue)
		if err != nil || d.Precision != model.Day {
			return time.Time{}, fmt.Errorf("--today %q: write a full date, YYYY-MM-DD", flagValue)
		}
		return d.Start(), nil
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		var sec int64
		if _, err := fmt.Sscan(s, &sec); err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", s)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	return time.Time{}, nil
}
