package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissing runs a test that declares a missing suite in a child
// process, once as a plain run (a skip, logged) and once with RequireVar
// (a failure, logged).
func TestMissing(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		Missing(t, "widgets", "no widget here; install %s", "widgetd")
		t.Fatal("Missing returned")
	}
	for _, tt := range []struct {
		name    string
		require string
		failed  bool
		output  string
	}{
		{"skips", "", false, "widgets suite skipped: no widget here; install widgetd"},
		{"fails when required", "1", true, "widgets suite cannot run: no widget here; install widgetd (MAILKB_REQUIRE_SUITES=1 requires every suite)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "skips")
			cmd := exec.Command(os.Args[0], "-test.run=^TestMissing$", "-test.v")
			cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", RequireVar+"="+tt.require, LogVar+"="+log)
			out, err := cmd.CombinedOutput()
			if failed := err != nil; failed != tt.failed {
				t.Fatalf("child failed = %v, want %v:\n%s", failed, tt.failed, out)
			}
			if !strings.Contains(string(out), tt.output) {
				t.Errorf("child output lacks %q:\n%s", tt.output, out)
			}
			logged, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			if want := "widgets\tno widget here; install widgetd\n"; string(logged) != want {
				t.Errorf("log %q, want %q", logged, want)
			}
		})
	}
}
