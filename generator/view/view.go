// Package view works out what the site's pages show, from the model and
// the build's day: the dated events of the history, the index of host
// names, which guides exist and on which day each shows its settings, a
// provider's year-by-year tables, the ways a mail program signs in today,
// the before-you-start checklist, the diagrams, and the words for periods
// and sign-in methods. It is pure: no templates, no files; the pages
// package renders what it returns.
package view
