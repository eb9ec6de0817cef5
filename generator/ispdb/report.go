package ispdb

import (
	"fmt"
	"io"
	"strings"
)

// Outcome is what became of one file.
type Outcome string

const (
	Created   Outcome = "created"   // a new provider file
	Changed   Outcome = "changed"   // an existing provider file, edited
	Unchanged Outcome = "unchanged" // the provider already says what the file says
	Skipped   Outcome = "skipped"   // nothing written; Reason says why
	Malformed Outcome = "malformed" // not a config-v1.1.xml document; Reason is the error
)

// Result is what an import did with one file.
type Result struct {
	File     string // the ISPDB file's name
	Outcome  Outcome
	Provider string   // the provider created, changed or matched
	Path     string   // its YAML file
	Changes  []string // what was written
	Reason   string   // why the file was skipped, or the parse error
	// Notes are parts of the file left out and differences left for a
	// person to judge, each with its reason.
	Notes []string
}

// Report is what an import did with every file.
type Report struct {
	Results []Result
	DryRun  bool
}

// Count returns how many files had outcome o.
func (r *Report) Count(o Outcome) int {
	n := 0
	for _, res := range r.Results {
		if res.Outcome == o {
			n++
		}
	}
	return n
}

// Write prints the summary: the counts, then each file by outcome with
// what changed or why not, then the notes.
func (r *Report) Write(w io.Writer) {
	verb := ""
	if r.DryRun {
		verb = "would have "
	}
	fmt.Fprintf(w, "%s: %screated %s, changed %d, left %d unchanged; skipped %d, malformed %d\n",
		count(len(r.Results), "file"), verb, count(r.Count(Created), "provider"), r.Count(Changed), r.Count(Unchanged), r.Count(Skipped), r.Count(Malformed))
	for _, o := range []Outcome{Created, Changed, Unchanged, Skipped, Malformed} {
		if r.Count(o) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", o)
		for _, res := range r.Results {
			if res.Outcome != o {
				continue
			}
			switch o {
			case Created, Changed, Unchanged:
				fmt.Fprintf(w, "  %s → %s (%s)\n", res.File, res.Provider, res.Path)
				for _, c := range res.Changes {
					fmt.Fprintf(w, "      %s\n", c)
				}
			default:
				fmt.Fprintf(w, "  %s: %s\n", res.File, indent(res.Reason, "      "))
			}
		}
	}
	if n := r.notes(); n > 0 {
		fmt.Fprintf(w, "\nleft out or left for you to check (%d):\n", n)
		for _, res := range r.Results {
			for _, note := range res.Notes {
				fmt.Fprintf(w, "  %s: %s\n", res.File, note)
			}
		}
	}
	if r.DryRun {
		fmt.Fprintln(w, "\ndry run: nothing was written")
	}
}

func (r *Report) notes() int {
	n := 0
	for _, res := range r.Results {
		n += len(res.Notes)
	}
	return n
}

// indent puts pad before every line of s after the first.
func indent(s, pad string) string { return strings.ReplaceAll(s, "\n", "\n"+pad) }
