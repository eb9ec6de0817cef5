// Package testenv lets a test say that a whole suite cannot run here — no
// Chromium, no Dovecot, no ISP database beside the repository — in a way
// the test run cannot swallow: the skip is logged for the summary that
// ./build.sh test prints, and where the environment promises everything
// (CI sets MAILKB_REQUIRE_SUITES=1), it is a failure instead of a skip.
package testenv

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// Variables that connect the tests to the script running them.
const (
	// RequireVar, set to 1, turns every missing suite into a failure.
	RequireVar = "MAILKB_REQUIRE_SUITES"
	// LogVar names a file that each skipped suite appends one line to
	// ("suite<TAB>reason"), for a summary after the run.
	LogVar = "MAILKB_SKIP_LOG"
)

// Missing stops the test because suite cannot run in this environment,
// for the reason given (which says how to get what is missing). It skips,
// or fails when RequireVar is set; either way the suite is logged.
func Missing(t testing.TB, suite, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	logSkip(suite, reason)
	if os.Getenv(RequireVar) == "1" {
		t.Fatalf("%s suite cannot run: %s (%s=1 requires every suite)", suite, reason, RequireVar)
	}
	t.Skipf("%s suite skipped: %s", suite, reason)
}

// logSkip appends to the log file when there is one. Each line is written
// with one call on a file opened for appending, so lines from test
// binaries running at once do not interleave.
func logSkip(suite, reason string) {
	name := os.Getenv(LogVar)
	if name == "" {
		return
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return // the skip itself still shows in the test output
	}
	defer f.Close()
	fmt.Fprintf(f, "%s\t%s\n", suite, strings.ReplaceAll(reason, "\n", " "))
}
