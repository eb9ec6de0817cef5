package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"mailkb/generator/diag"
	"mailkb/generator/lint"
	"mailkb/generator/site"
)

func init() {
	commands["check"] = command{"lint data/ and content/ beyond the schema: check [--root DIR] [--json]", check}
}

func check(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "knowledge base folder")
	asJSON := fs.Bool("json", false, "print the findings as JSON (for CI)")
	today := fs.String("today", "", "check as if on this day (YYYY-MM-DD)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	now, err := buildDay(*today)
	if err != nil {
		fmt.Fprintf(stderr, "mailkb check: %v\n", err)
		return 2
	}
	findings, err := site.Lint(site.Options{Root: *root, Now: now})
	if err != nil {
		// Schema and template errors come as positioned lists; report
		// them as findings too, so CI sees one format.
		var list diag.ErrorList
		if !errors.As(err, &list) {
			fmt.Fprintf(stderr, "mailkb check: %v\n", err)
			return 1
		}
		for _, e := range list {
			findings = append(findings, lint.Finding{Pos: e.Pos, File: e.Pos.File, Line: e.Pos.Line, Column: e.Pos.Column,
				Severity: lint.Error, Rule: "schema", Message: e.Msg})
		}
	}
	nerr := len(lint.Errors(findings))
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if findings == nil {
			findings = []lint.Finding{}
		}
		enc.Encode(map[string]any{"errors": nerr, "warnings": len(findings) - nerr, "findings": findings})
	} else {
		for _, f := range findings {
			fmt.Fprintln(stdout, f)
		}
		fmt.Fprintf(stdout, "%d errors, %d warnings\n", nerr, len(findings)-nerr)
	}
	if nerr > 0 {
		return 1
	}
	return 0
}
