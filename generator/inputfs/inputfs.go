// Package inputfs reads the files a knowledge base is made of — data/,
// content/ and templates/ — safely: only regular files of bounded size,
// never through a link that leads out of the project, and never an
// editor's scratch file or a hidden one.
package inputfs

import "strings"

// Skip reports whether a file or folder name (not a path) is no part of
// the knowledge base: hidden files (.git, .DS_Store), editors' lock and
// backup files (.#x.yaml, x.yaml~, #x.yaml#, .x.yaml.swp, vim's 4913
// probe) and temp files.
func Skip(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#")) ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		strings.HasSuffix(name, ".tmp") || name == "4913"
}
