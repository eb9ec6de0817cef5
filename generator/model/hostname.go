package model

import "regexp"

var hostPattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// ValidHostname reports whether s is a lower-case DNS hostname with at
// least one dot and an alphabetic top-level label.
func ValidHostname(s string) bool { return len(s) <= 253 && hostPattern.MatchString(s) }
