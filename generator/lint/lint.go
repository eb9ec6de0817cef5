// Package lint checks a loaded knowledge base for mistakes its schema
// cannot see: hostnames that look like typos, ports and encryption that do
// not fit together, guides that copy values instead of referring to the
// data, stale verifications, sources nothing cites and internal links
// that go nowhere. Errors stop a build; warnings are reported.
package lint

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"

	"mailkb/generator/content"
	"mailkb/generator/diag"
	"mailkb/generator/model"
	"mailkb/generator/shortcode"
)

// Severity says whether a finding stops a build.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem, where it is and what to do.
type Finding struct {
	Pos      model.Pos `json:"-"`
	File     string    `json:"file"`
	Line     int       `json:"line,omitempty"`
	Column   int       `json:"column,omitempty"`
	Severity Severity  `json:"severity"`
	Rule     string    `json:"rule"`
	Message  string    `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", f.Pos, f.Severity, f.Message, f.Rule)
}

// Options are the inputs a check needs besides the knowledge base.
type Options struct {
	Today time.Time
	// PageExists reports whether a site path (like /providers/x/) is
	// built; nil skips the link check.
	PageExists func(path string) bool
	// Only, when set, limits the rules to one provider's endpoints (an
	// importer checking the file it is about to write): what other
	// providers say still counts (known hosts, errata), and the rules
	// about the whole knowledge base (staleness, citations, content) are
	// left out.
	Only *model.Provider
}

type checker struct {
	kb       *model.KB
	opts     Options
	findings []Finding
	hosts    map[string]hostInfo // what host() worked out, by hostname
	tlds     map[string]bool     // the top-level domains of real known hosts, for fixTLD
}

func (c *checker) add(pos model.Pos, sev Severity, rule, format string, args ...any) {
	c.findings = append(c.findings, Finding{Pos: pos, File: pos.File, Line: pos.Line, Column: pos.Column,
		Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// checked are the providers whose endpoints the rules look at.
func (c *checker) checked() []*model.Provider {
	if c.opts.Only != nil {
		return []*model.Provider{c.opts.Only}
	}
	return c.kb.Providers
}

// Check runs every rule and returns the findings sorted by place.
func Check(kb *model.KB, sources []*content.Source, opts Options) []Finding {
	c := &checker{kb: kb, opts: opts, hosts: map[string]hostInfo{}}
	c.hostTypos()
	c.portSecurity()
	if opts.Only == nil {
		c.staleVerifications()
		c.uncitedSources()
		c.unknownSetupProviders()
		c.content(sources)
	}
	sort.SliceStable(c.findings, func(i, j int) bool {
		a, b := c.findings[i].Pos, c.findings[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return c.findings
}

// Errors returns the error findings as a positioned error list.
func Errors(fs []Finding) diag.ErrorList {
	var out diag.ErrorList
	for _, f := range fs {
		if f.Severity == Error {
			out = append(out, &diag.Error{Pos: f.Pos, Msg: f.Message + " [" + f.Rule + "]"})
		}
	}
	return out
}

// knownHosts lists every hostname an endpoint names, and the right values
// of errata, with how many endpoints use each.
func (c *checker) knownHosts() map[string]int {
	hosts := map[string]int{}
	for _, p := range c.kb.Providers {
		for _, e := range p.Endpoints {
			hosts[e.Host]++
		}
		for _, er := range p.Errata {
			if er.Field == "host" {
				hosts[er.Right] += 0
			}
		}
	}
	return hosts
}

// fixTLD proposes h with its top-level domain replaced by the nearest one
// that the known hosts use (vom → com), or "".
func (c *checker) fixTLD(h string, known map[string]int) string {
	if c.tlds == nil {
		c.tlds = map[string]bool{}
		for k := range known {
			if c.host(k).real {
				c.tlds[lastLabel(k)] = true
			}
		}
	}
	bad := lastLabel(h)
	best, bestD := "", 3
	for tld := range c.tlds {
		if d := diag.EditDistance(bad, tld); d < bestD || (d == bestD && tld < best) {
			best, bestD = tld, d
		}
	}
	if best == "" {
		return ""
	}
	return strings.TrimSuffix(h, bad) + best
}

// hostInfo is what the typo rules need to know of a hostname.
type hostInfo struct {
	real bool   // ends in a real or reserved top-level domain
	reg  string // its registered domain (eTLD+1); "" when it has none
}

// host looks the public suffix list up once per hostname: hosts repeat
// across periods, and the look-up is the costly part of the rules.
func (c *checker) host(h string) hostInfo {
	if info, ok := c.hosts[h]; ok {
		return info
	}
	info := hostInfo{real: realTLD(h)}
	if reg, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
		info.reg = reg
	}
	c.hosts[h] = info
	return info
}

// hostTypos flags endpoint hosts under a top-level domain that does not
// exist (pop3.live.vom), hosts equal to a known wrong value, and hosts of
// one provider whose registered domains differ by a slip (outlok.com).
func (c *checker) hostTypos() {
	known := c.knownHosts()
	// A wrong host is wrong in the role its erratum gives it: an IMAP
	// host published as the SMTP server is still right for IMAP.
	wrong := map[string][]*model.Erratum{}
	for _, p := range c.kb.Providers {
		for i := range p.Errata {
			if er := &p.Errata[i]; er.Field == "host" {
				wrong[er.Wrong] = append(wrong[er.Wrong], er)
			}
		}
	}
	wrongFor := func(e *model.Endpoint) *model.Erratum {
		for _, er := range wrong[e.Host] {
			if er.Endpoint == nil || er.Endpoint.Protocol == e.Protocol {
				return er
			}
		}
		return nil
	}
	for _, p := range c.checked() {
		domains := c.slipIndex(p, known)
		own := map[string]bool{}
		for _, d := range p.Domains {
			own[d] = true
		}
		for _, e := range p.Endpoints {
			// A template's domain is the user's; an endpoint marked
			// unusual says why its value is right.
			if e.HostIsTemplate() || e.Unusual != "" {
				continue
			}
			if er := wrongFor(e); er != nil {
				c.add(e.Pos, Error, "host-typo", "host %s is a known erratum; the right host is %s", e.Host, er.Right)
				continue
			}
			info := c.host(e.Host)
			if !info.real {
				msg := fmt.Sprintf("host %s ends in .%s, which is not a top-level domain", e.Host, lastLabel(e.Host))
				if fix := c.fixTLD(e.Host, known); fix != "" {
					msg += fmt.Sprintf("; did you mean %s?", fix)
				}
				c.add(e.Pos, Error, "host-typo", "%s", msg)
				continue
			}
			// A host that is itself a registered domain sits under a
			// deeper public suffix (smtps.avocat.fr under avocat.fr): its
			// first label names a service, and a near neighbour
			// (imaps.avocat.fr) is no slip.
			// A host under one of the provider's own mail domains
			// (mail.mac.com beside smtp.me.com, both the provider's) is
			// no slip either.
			if info.reg == "" || info.reg == e.Host || own[info.reg] {
				continue
			}
			if o := domains.slip(e, info.reg, known); o != nil {
				oreg := c.host(o.Host).reg
				c.add(e.Pos, Error, "host-typo", "host %s is one slip away from %s (used by %d endpoints); did you mean %s?",
					e.Host, o.Host, known[o.Host], strings.TrimSuffix(e.Host, info.reg)+oreg)
			}
		}
	}
}

// slipIndex holds a provider's endpoints that a host could be a slip of —
// those with a real top-level domain and a registered domain below their
// own name — grouped by registered domain, with each domain's neighbours
// one or two edits away. A host is then looked up only in its domain's
// neighbours, each answering in logarithmic time, instead of being
// compared with every other endpoint.
type slipIndex struct {
	endpoints []*model.Endpoint
	byDomain  map[string]*slipGroup
	near      map[string][]string
}

// slipGroup is one registered domain's endpoints, in the provider's order,
// arranged to find the first one used more often than a given count, or
// as often with an alphabetically earlier host.
type slipGroup struct {
	order   []int // indexes into the provider's endpoints
	mostUse []int // mostUse[i]: the highest use count among order[:i+1]
	byUse   map[int]*slipTies
}

// slipTies are a group's endpoints of one use count, in order, with
// least[i] the alphabetically first host among order[:i+1].
type slipTies struct {
	order []int
	least []string
}

func (c *checker) slipIndex(p *model.Provider, known map[string]int) *slipIndex {
	x := &slipIndex{endpoints: p.Endpoints, byDomain: map[string]*slipGroup{}}
	var domains []string
	for i, o := range p.Endpoints {
		info := c.host(o.Host)
		if !info.real || info.reg == "" || info.reg == o.Host {
			continue
		}
		g := x.byDomain[info.reg]
		if g == nil {
			g = &slipGroup{byUse: map[int]*slipTies{}}
			x.byDomain[info.reg] = g
			domains = append(domains, info.reg)
		}
		use := known[o.Host]
		most := use
		if n := len(g.mostUse); n > 0 {
			most = max(most, g.mostUse[n-1])
		}
		g.order, g.mostUse = append(g.order, i), append(g.mostUse, most)
		t := g.byUse[use]
		if t == nil {
			t = &slipTies{}
			g.byUse[use] = t
		}
		least := o.Host
		if n := len(t.least); n > 0 {
			least = min(least, t.least[n-1])
		}
		t.order, t.least = append(t.order, i), append(t.least, least)
	}
	x.near = nearStrings(domains)
	return x
}

// slip returns the first endpoint, in the provider's order, whose
// registered domain is one or two edits from reg (e's own) and whose host
// is used more often than e's, or as often and alphabetically first; nil
// if there is none.
func (x *slipIndex) slip(e *model.Endpoint, reg string, known map[string]int) *model.Endpoint {
	use := known[e.Host]
	first := -1
	earlier := func(i int) {
		if first < 0 || i < first {
			first = i
		}
	}
	for _, d := range x.near[reg] {
		g := x.byDomain[d]
		if i := sort.Search(len(g.mostUse), func(i int) bool { return g.mostUse[i] > use }); i < len(g.mostUse) {
			earlier(g.order[i])
		}
		if t := g.byUse[use]; t != nil {
			if i := sort.Search(len(t.least), func(i int) bool { return t.least[i] < e.Host }); i < len(t.least) {
				earlier(t.order[i])
			}
		}
	}
	if first < 0 {
		return nil
	}
	return x.endpoints[first]
}

// nearStrings maps each of ss (distinct) to the others one or two edits
// away. Two strings are within two edits only if deleting at most two
// bytes from each makes them equal, so strings are filed under every such
// deletion and only strings filed together are compared: near-linear for
// names that are not all alike, where comparing every pair is quadratic.
func nearStrings(ss []string) map[string][]string {
	filed := map[string][]int{}
	for i, s := range ss {
		for _, v := range deletions(s) {
			filed[v] = append(filed[v], i)
		}
	}
	near := map[string][]string{}
	for i, s := range ss {
		compared := map[int]bool{}
		for _, v := range deletions(s) {
			for _, j := range filed[v] {
				if j <= i || compared[j] {
					continue
				}
				compared[j] = true
				if d := diag.EditDistance(s, ss[j]); d <= 2 {
					near[s] = append(near[s], ss[j])
					near[ss[j]] = append(near[ss[j]], s)
				}
			}
		}
	}
	return near
}

// deletions lists s and every string made by deleting one or two of its
// bytes, each once.
func deletions(s string) []string {
	seen := map[string]bool{s: true}
	out := []string{s}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for i := range len(s) {
		one := s[:i] + s[i+1:]
		add(one)
		for j := range len(one) {
			add(one[:j] + one[j+1:])
		}
	}
	return out
}

func lastLabel(h string) string { return h[strings.LastIndex(h, ".")+1:] }

// reservedTLDs are kept for tests and documentation (RFC 2606, RFC 6761).
var reservedTLDs = map[string]bool{"example": true, "test": true, "invalid": true, "localhost": true}

// realTLD reports whether h ends in a top-level domain in the public
// suffix list, or one reserved for tests and documentation.
func realTLD(h string) bool {
	if reservedTLDs[lastLabel(h)] {
		return true
	}
	_, icann := publicsuffix.PublicSuffix(h)
	if icann {
		return true
	}
	// Private suffixes (like appspot.com) sit under real TLDs too.
	_, icann = publicsuffix.PublicSuffix("x." + lastLabel(h))
	return icann
}

// wellKnown is the security each protocol's standard ports speak.
var wellKnown = map[model.Protocol]map[int][]model.Security{
	model.POP3:     {995: {model.TLS}, 110: {model.STARTTLS, model.NoTLS}},
	model.IMAP:     {993: {model.TLS}, 143: {model.STARTTLS, model.NoTLS}},
	model.SMTP:     {465: {model.TLS}, 587: {model.STARTTLS, model.NoTLS}, 25: {model.STARTTLS, model.NoTLS}},
	model.HTTPMail: {443: {model.TLS}, 80: {model.NoTLS}},
}

// portOwner names the protocol whose standard port p is.
func portOwner(p int) (model.Protocol, []model.Security, bool) {
	for proto, ports := range wellKnown {
		if sec, ok := ports[p]; ok {
			return proto, sec, true
		}
	}
	return "", nil, false
}

// portSecurity flags protocol, port and security that do not fit together,
// unless the endpoint says why in `unusual`.
func (c *checker) portSecurity() {
	for _, p := range c.checked() {
		for _, e := range p.Endpoints {
			if e.Unusual != "" || !e.Protocol.MailServer() {
				continue
			}
			owner, secs, ok := portOwner(e.Port)
			if !ok {
				continue
			}
			hint := "; fix it, or add `unusual: <why>` to the endpoint if the provider really does this (quote the source's words)"
			if owner != e.Protocol && !(owner == model.HTTPMail || e.Protocol == model.HTTPMail) {
				c.add(e.Pos, Error, "port-security", "%s on port %d: that is the %s port (%s)%s",
					e.Protocol.Label(), e.Port, owner.Label(), secs[0].Label(), hint)
				continue
			}
			if owner != e.Protocol {
				continue
			}
			fits := false
			for _, s := range secs {
				fits = fits || s == e.Security
			}
			if !fits {
				c.add(e.Pos, Error, "port-security", "%s on port %d with %s: port %d speaks %s%s",
					e.Protocol.Label(), e.Port, e.Security.Label(), e.Port, describe(secs), hint)
			}
		}
	}
}

func describe(secs []model.Security) string {
	switch {
	case len(secs) == 1 && secs[0] == model.TLS:
		return "implicit TLS from the first byte"
	case len(secs) == 1 && secs[0] == model.NoTLS:
		return "plaintext"
	}
	return "plaintext first, upgraded with STARTTLS"
}

// staleVerifications warns about current values not checked within the
// site's threshold.
func (c *checker) staleVerifications() {
	days := c.kb.Site.StaleAfterDays
	for _, p := range c.kb.Providers {
		for _, e := range p.CurrentEndpoints() {
			v := e.LastVerified()
			switch {
			case v == nil:
				c.add(e.Pos, Warning, "stale", "%s %s:%d has never been verified; run ./build.sh verify %s %s …", e.Protocol, e.Host, e.Port, p.ID, e.ID)
			case v.Date.End().AddDate(0, 0, days).Before(c.opts.Today):
				c.add(e.Pos, Warning, "stale", "%s %s:%d was last verified %s, more than %d days ago; check it and run ./build.sh verify %s %s …",
					e.Protocol, e.Host, e.Port, v.Date, days, p.ID, e.ID)
			}
		}
	}
}

// unknownSetupProviders warns about a client's way of adding an account
// that names a provider the knowledge base does not have: client files are
// shared between knowledge bases, so it is no error, but it may be a slip.
func (c *checker) unknownSetupProviders() {
	for _, cl := range c.kb.Clients {
		for _, s := range cl.Setup {
			for _, r := range s.Unknown {
				c.add(r.Pos, Warning, "setup-provider", "%s's way %q names provider %q, which this knowledge base does not have; it serves no provider here (%s)",
					cl.Name, s.ID, r.ID, diag.Suggest(r.ID, c.kb.ProviderIDs()))
			}
		}
	}
}

// uncitedSources warns about bibliography entries nothing cites.
func (c *checker) uncitedSources() {
	cited := map[*model.Source]bool{}
	for _, p := range c.kb.Providers {
		for _, s := range p.Citations() {
			cited[s] = true
		}
	}
	for _, cl := range c.kb.Clients {
		for _, s := range cl.Sources {
			cited[s] = true
		}
	}
	for _, s := range c.kb.Sources {
		if !cited[s] {
			c.add(s.Pos, Warning, "uncited-source", "source %q is cited by nothing; cite it or remove it", s.ID)
		}
	}
}

var linkPattern = regexp.MustCompile(`\]\((/[^)\s]*)\)`)
var portPattern = regexp.MustCompile(`(?i)\bports?\b[^0-9\n]{0,12}(\d{2,5})\b`)

// content checks the text that guides and articles write themselves:
// hostnames and ports must come from shortcodes, and site links must
// resolve.
func (c *checker) content(sources []*content.Source) {
	hosts := map[string]bool{}
	for h := range c.knownHosts() {
		hosts[strings.ToLower(h)] = true
	}
	for _, p := range c.kb.Providers {
		for _, er := range p.Errata {
			if er.Field == "host" {
				hosts[strings.ToLower(er.Wrong)] = true
			}
		}
	}
	ports := map[string]bool{}
	for _, p := range c.kb.Providers {
		for _, e := range p.Endpoints {
			ports[strconv.Itoa(e.Port)] = true
		}
	}
	for _, src := range sources {
		if c.leftOut(src) {
			continue
		}
		c.conditionIDs(src.Body)
		walkText(append(append([]shortcode.Node{}, src.Title...), src.Body...), func(t *shortcode.Text) {
			hostsWritten(t.Value, hosts, func(off int, host string) {
				c.add(at(t, off), Error, "hard-coded", "%s is written into the text; use {{< host >}} (or {{< host smtp >}}) so it follows the data", host)
			})
			for _, m := range portMentions(t.Value) {
				if num := t.Value[m[2]:m[3]]; ports[num] {
					c.add(at(t, m[2]), Error, "hard-coded", "port %s is written into the text; use {{< port >}} or {{< port smtp >}}", num)
				}
			}
			// Most text links nowhere: the pattern runs only where it can match.
			if c.opts.PageExists != nil && strings.Contains(t.Value, "](/") {
				for _, m := range linkPattern.FindAllStringSubmatchIndex(t.Value, -1) {
					link := t.Value[m[2]:m[3]]
					path, _, _ := strings.Cut(link, "#")
					if !c.opts.PageExists(path) {
						c.add(at(t, m[2]), Error, "broken-link", "link to %s goes nowhere; check the path (site paths end in /)", link)
					}
				}
			}
		})
	}
}

// leftOut warns about a content source tied to providers the knowledge
// base does not have, and reports whether the site leaves it out: an
// article about such a provider is, and a guide makes no page for it.
// Content is shared between knowledge bases like client files, so this
// is no error, but it may be a slip.
func (c *checker) leftOut(src *content.Source) bool {
	if src.Provider != "" && c.kb.Provider(src.Provider) == nil {
		c.add(src.Pos["provider"], Warning, "content-provider", "%s is about provider %q, which this knowledge base does not have; the site leaves it out (%s)",
			src.File, src.Provider, diag.Suggest(src.Provider, c.kb.ProviderIDs()))
		return true
	}
	known := 0
	for _, id := range src.Providers {
		if c.kb.Provider(id) != nil {
			known++
			continue
		}
		c.add(src.Pos["providers"], Warning, "content-provider", "%s names provider %q, which this knowledge base does not have; it makes no page for it (%s)",
			src.File, id, diag.Suggest(id, c.kb.ProviderIDs()))
	}
	return len(src.Providers) > 0 && known == 0
}

// conditionIDs warns about the providers and clients that {{< if >}} and
// {{< unless >}} name and this knowledge base lacks: the condition holds
// for none of them, which is right for content shared between knowledge
// bases and a slip otherwise.
func (c *checker) conditionIDs(nodes []shortcode.Node) {
	for _, n := range nodes {
		sc, ok := n.(*shortcode.Shortcode)
		if !ok {
			continue
		}
		if sc.Name == "if" || sc.Name == "unless" {
			for _, a := range sc.Args {
				var known []string
				switch a.Key {
				case "provider":
					known = c.kb.ProviderIDs()
				case "client":
					known = c.kb.ClientIDs()
				default:
					continue
				}
				for _, id := range strings.FieldsFunc(a.Value, func(r rune) bool { return r == ',' || r == ' ' }) {
					if !slices.Contains(known, id) {
						c.add(sc.Pos, Warning, "content-"+a.Key, "{{< %s >}} names %s %q, which this knowledge base does not have; the condition holds for none (%s)",
							sc.Name, a.Key, id, diag.Suggest(id, known))
					}
				}
			}
		}
		c.conditionIDs(sc.Body)
	}
}

// portMentions finds what portPattern finds — "port" or "ports", then
// up to twelve characters without a digit or a line break, then a number
// of two to five digits — as portPattern's submatch indexes. The pattern
// runs only on a short window at each "port" in any case: on every text
// of every page, scanning each byte with it cost more than the rest of
// lint. The window holds the longest match and the character after it,
// which decides its last \b.
func portMentions(text string) [][]int {
	const longest = len("port") + len("ſ") + 12*utf8.UTFMax + 5 + utf8.UTFMax
	var out [][]int
	for from := 0; ; {
		i := indexFold(text, from, "port")
		if i < 0 {
			return out
		}
		start := max(i-1, 0) // the character before decides the first \b
		m := portPattern.FindStringSubmatchIndex(text[start:min(len(text), i+longest)])
		if m == nil || start+m[0] != i {
			from = i + 1
			continue
		}
		for k := range m {
			m[k] += start
		}
		out = append(out, m)
		from = m[1]
	}
}

// indexFold is the first index at or after from of w, a word of ASCII
// letters, in text in any case; -1 when there is none.
func indexFold(text string, from int, w string) int {
next:
	for i := from; i+len(w) <= len(text); i++ {
		for j := range len(w) {
			if text[i+j]|0x20 != w[j] { // |0x20 lowers an ASCII letter
				continue next
			}
		}
		return i
	}
	return -1
}

// hostsWritten calls found for each known hostname (names, in lower
// case) written in text: a run of hostname characters — letters, digits,
// dots and hyphens — that is a known name, or begins with one followed by
// a dot ("imap.example.com." ending a sentence), whatever its case.
// Looking runs up in a set keeps the rule linear in the text and the
// number of names; one pattern of all the names took quadratic time to
// compile (1.6 s for 40,000 names).
func hostsWritten(text string, names map[string]bool, found func(off int, host string)) {
	for i := 0; i < len(text); {
		if !hostByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && hostByte(text[j]) {
			j++
		}
		run := strings.ToLower(text[i:j])
		for k := len(run); k > 0; k = strings.LastIndexByte(run[:k], '.') {
			if names[run[:k]] {
				found(i, text[i:i+k])
				break
			}
		}
		i = j
	}
}

func hostByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '-'
}

func walkText(nodes []shortcode.Node, fn func(*shortcode.Text)) {
	for _, n := range nodes {
		switch n := n.(type) {
		case *shortcode.Text:
			fn(n)
		case *shortcode.Shortcode:
			walkText(n.Body, fn)
		}
	}
}

// at is the position of byte offset off within text node t.
func at(t *shortcode.Text, off int) model.Pos {
	pos := t.Pos
	before := t.Value[:off]
	if nl := strings.Count(before, "\n"); nl > 0 {
		pos.Line += nl
		pos.Column = len(before) - strings.LastIndex(before, "\n")
	} else {
		pos.Column += len(before)
	}
	return pos
}
