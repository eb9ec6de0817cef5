package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The full-text search splits text into tokens here and, in the reader's
// browser, splits queries with the same rules (tokens in
// templates/static/js/search.js): the two must agree, and
// TestTokensMatchSearchJS runs both on the same inputs. The rules are made
// for this site's words:
//
//   - A word is a run of letters and digits; dots, hyphens, underscores, @
//     and apostrophes inside it join it to the next, so a host name, a date
//     or an address stays one chunk: pop3.live.com, smtp-mail, 2024-09-16.
//   - A joined chunk is a token whole, and so are its labels, the domains
//     it ends in and the parts of a hyphenated label: smtp-mail.outlook.com
//     gives smtp-mail.outlook.com, outlook.com, smtp-mail, smtp, mail,
//     outlook and com. A query that types the chunk looks for it whole.
//   - Letters followed by digits (OAuth2, POP3, office365) also give the
//     letters alone, so "oauth" finds OAuth2.
//   - Simple English plurals become singular ("passwords" → "password");
//     a possessive 's is dropped; one-character tokens and a few words that
//     every page has ("the", "is", …) are left out.

// maxTokenLen leaves out what is not a word anyone types: long URLs,
// digests.
const maxTokenLen = 64

// stopWords are words too common to find anything; a query drops them too.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"for": true, "from": true, "in": true, "is": true, "it": true, "its": true, "of": true, "on": true,
	"or": true, "that": true, "the": true, "this": true, "to": true, "was": true, "were": true, "with": true,
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isJoiner(r rune) bool {
	switch r {
	case '.', '-', '_', '@', '\'', '’':
		return true
	}
	return false
}

// eachChunk calls f with each word or joined chunk of text, lower-cased.
func eachChunk(text string, f func(string)) {
	text = strings.ToLower(text)
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if c := strings.TrimRightFunc(text[start:end], isJoiner); c != "" {
				f(c)
			}
			start = -1
		}
	}
	for i, r := range text {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case isJoiner(r) && start >= 0:
		default:
			flush(i)
		}
	}
	flush(len(text))
}

// dropApostrophes removes a possessive 's and any other apostrophe, so
// "Microsoft's" is "microsoft" and "don't" is "dont".
func dropApostrophes(c string) string {
	for _, s := range []string{"'s", "’s"} {
		c = strings.TrimSuffix(c, s)
	}
	if strings.IndexByte(c, '\'') >= 0 || strings.Contains(c, "’") {
		c = strings.NewReplacer("'", "", "’", "").Replace(c)
	}
	return c
}

// isCompound reports whether a chunk is joined from several words.
func isCompound(c string) bool {
	// A byte loop: strings.ContainsAny builds its set on every call, and
	// this runs for every word of every page.
	for i := 0; i < len(c); i++ {
		switch c[i] {
		case '.', '-', '_', '@':
			return true
		}
	}
	return false
}

// eachToken calls f with each token of text, in order, with repeats: what
// the index counts.
func eachToken(text string, f func(string)) {
	var buf []string
	eachChunk(text, func(c string) {
		buf = chunkTokens(buf[:0], dropApostrophes(c))
		for _, t := range buf {
			f(t)
		}
	})
}

// chunkTokens appends the tokens of one chunk.
func chunkTokens(out []string, c string) []string {
	if !isCompound(c) {
		return wordTokens(out, c)
	}
	c = strings.Trim(c, ".-_@")
	if !isCompound(c) {
		return wordTokens(out, c)
	}
	if utf8.RuneCountInString(c) <= maxTokenLen {
		out = append(out, c)
	}
	labels := strings.FieldsFunc(c, func(r rune) bool { return r == '.' || r == '@' })
	// The domains a host name ends in: outlook.com in smtp-mail.outlook.com.
	if strings.ContainsFunc(c, unicode.IsLetter) && !strings.Contains(c, "@") {
		for i := 1; i+1 < len(labels); i++ {
			if d := strings.Join(labels[i:], "."); utf8.RuneCountInString(d) <= maxTokenLen {
				out = append(out, d)
			}
		}
	}
	for _, l := range labels {
		if !strings.ContainsAny(l, "-_") {
			out = wordTokens(out, l)
			continue
		}
		if l != c && utf8.RuneCountInString(l) <= maxTokenLen {
			out = append(out, l)
		}
		for _, w := range strings.FieldsFunc(l, func(r rune) bool { return r == '-' || r == '_' }) {
			out = wordTokens(out, w)
		}
	}
	return out
}

// wordTokens appends the tokens of a word: the word made singular, and
// for letters followed by digits the letters alone.
func wordTokens(out []string, w string) []string {
	if n := utf8.RuneCountInString(w); n < 2 || n > maxTokenLen || stopWords[w] {
		return out
	}
	out = append(out, singular(w))
	if letters := leadingLetters(w); letters != "" {
		out = append(out, singular(letters))
	}
	return out
}

// leadingLetters returns the letters of a word that is two or more
// letters followed only by digits (oauth of oauth2), else "".
func leadingLetters(w string) string {
	i := strings.IndexFunc(w, unicode.IsDigit)
	if i < 0 || utf8.RuneCountInString(w[:i]) < 2 || strings.ContainsFunc(w[:i], func(r rune) bool { return !unicode.IsLetter(r) }) ||
		strings.ContainsFunc(w[i:], func(r rune) bool { return !unicode.IsDigit(r) }) {
		return ""
	}
	return w[:i]
}

// singular undoes the simple English plurals of a word of letters:
// entries → entry, addresses → address, mailboxes → mailbox, passwords →
// password. Queries go through it too, so its mistakes ("windows" →
// "window") cost nothing as long as both sides make them.
func singular(w string) string {
	if strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) {
		return w
	}
	n, end := utf8.RuneCountInString(w), len(w) // the suffixes are ASCII: cut bytes
	switch {
	case n >= 5 && strings.HasSuffix(w, "ies"):
		return w[:end-3] + "y"
	case strings.HasSuffix(w, "sses"), n >= 5 && (strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:end-2]
	case n >= 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:end-1]
	}
	return w
}

// primaryTokens returns the token a query looks up for each word or
// joined chunk of text: the chunk whole, or the word made singular. Stop
// words and one-character words have none.
func primaryTokens(text string) []string {
	var out []string
	eachChunk(text, func(c string) {
		c = strings.Trim(dropApostrophes(c), ".-_@")
		switch n := utf8.RuneCountInString(c); {
		case n > maxTokenLen:
		case isCompound(c):
			out = append(out, c)
		case n >= 2 && !stopWords[c]:
			out = append(out, singular(c))
		}
	})
	return out
}

// bigrams are the pairs of neighbouring primary tokens of text ("app
// password"), which the index keeps for titles and headings so that a
// query's words side by side rank the heading that has them so first.
// The space cannot occur in a token, so a pair never meets a word.
func bigrams(text string) []string {
	words := primaryTokens(text)
	var out []string
	for i := 1; i < len(words); i++ {
		out = append(out, words[i-1]+" "+words[i])
	}
	return out
}
