// Command mailkb is the generator's command line: each command parses its
// flags and calls the generator's packages. ./build.sh is the usual way to
// run it. Commands live one per file and register themselves in commands.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand: its one-line usage and what runs it.
type command struct {
	usage string
	run   func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	// Commands print what the data, the file system or a server says:
	// none of it may drive the terminal.
	stdout, stderr = terminalSafe(stdout), terminalSafe(stderr)
	if len(args) == 0 {
		args = []string{"build"}
	}
	if c, ok := commands[args[0]]; ok {
		return c.run(args[1:], stdout, stderr)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage())
		return 0
	}
	fmt.Fprintf(stderr, "mailkb: unknown command %q\n\n%s", args[0], usage())
	return 2
}

func usage() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: mailkb <command> [flags]   (mailkb <command> -h for its flags)\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, commands[n].usage)
	}
	return b.String()
}
