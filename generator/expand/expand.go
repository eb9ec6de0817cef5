// Package expand expands the shortcodes of a content source for one page:
// values ({{< host >}}, {{< port smtp >}} …) come from the data in the
// page's scope — its provider, client, protocol and day — and conditions
// ({{< if accepts="oauth2" >}}) keep or drop text. Values travel through
// markdown as opaque tokens and are written into the HTML afterwards, so
// they survive code blocks and link URLs where an inline parser could not.
package expand

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"mailkb/generator/diag"
	"mailkb/generator/model"
	"mailkb/generator/shortcode"
	"mailkb/generator/strictyaml"
	"mailkb/generator/urls"
	"mailkb/generator/view"
)

// Scope is what a page's shortcodes can refer to.
type Scope struct {
	Provider *model.Provider
	Client   *model.Client
	Protocol model.Protocol // the guide's incoming protocol
	AsOf     time.Time      // the day whose settings the page shows
}

// Env is what every expansion of one build shares.
type Env struct {
	KB    *model.KB
	URLs  urls.URLs
	Today time.Time // the build's day
	// Blocks renders the block shortcodes.
	Blocks Blocks
}

// Blocks renders the HTML of the block shortcodes: the quick-reference
// table of rows as of a day, and a fact.
type Blocks interface {
	Settings(rows []*model.Endpoint, asOf time.Time) (string, error)
	Fact(p *model.Provider, f *model.Fact) (string, error)
}

// Expansion turns shortcode nodes into markdown. Values become opaque
// tokens that survive markdown and highlighting untouched — in prose,
// tables, code blocks and link URLs alike — and are replaced in the HTML
// afterwards, escaped once. Block shortcodes become a token paragraph that
// is swapped for their HTML.
type Expansion struct {
	env    *Env
	sc     Scope
	values []string
	blocks []string
	where  []model.Pos // of each block token, for errors
	errs   diag.ErrorList
	// hasSettings records that the body placed the quick-reference table
	// itself, so the page template need not add one.
	hasSettings bool
}

var tokenPattern = regexp.MustCompile(`mkbsc(\d+)x|mkbblk(\d+)x`)

func (x *Expansion) errorf(pos model.Pos, format string, args ...any) {
	x.errs.Add(pos, format, args...)
}

// Markdown expands nodes to markdown with tokens; Finish writes their
// values into the HTML that markdown renders to.
func (x *Expansion) Markdown(nodes []shortcode.Node) string {
	var b strings.Builder
	for _, n := range nodes {
		switch n := n.(type) {
		case *shortcode.Text:
			b.WriteString(n.Value)
		case *shortcode.Shortcode:
			x.call(&b, n)
		}
	}
	return b.String()
}

// Plain expands nodes to text with the values written in, for titles.
func (x *Expansion) Plain(nodes []shortcode.Node) string {
	md := x.Markdown(nodes)
	return tokenPattern.ReplaceAllStringFunc(md, func(tok string) string {
		m := tokenPattern.FindStringSubmatch(tok)
		if m[1] != "" {
			i, _ := strconv.Atoi(m[1])
			return x.values[i]
		}
		return ""
	})
}

func (x *Expansion) call(b *strings.Builder, sc *shortcode.Shortcode) {
	if err := checkSignature(sc); err != nil {
		x.errorf(sc.Pos, "{{< %s >}}: %v", sc.Name, err)
		return
	}
	switch sc.Name {
	case "if", "unless":
		if x.condition(sc) {
			b.WriteString(x.Markdown(sc.Body))
		}
	case "settings", "fact":
		x.hasSettings = x.hasSettings || sc.Name == "settings"
		h, err := x.block(sc)
		if err != nil {
			x.errorf(sc.Pos, "{{< %s >}}: %v", sc.Name, err)
			return
		}
		fmt.Fprintf(b, "mkbblk%dx", len(x.blocks))
		x.blocks = append(x.blocks, h)
		x.where = append(x.where, sc.Pos)
	default:
		v, err := x.value(sc)
		if err != nil {
			x.errorf(sc.Pos, "{{< %s >}}: %v", sc.Name, err)
			return
		}
		fmt.Fprintf(b, "mkbsc%dx", len(x.values))
		x.values = append(x.values, v)
	}
}

// signature is the form of a shortcode's arguments: how many positional
// ones, which named ones. Anything else is an error, not ignored: a guide
// that writes {{< host imap bogus="x" >}} means something by it.
type signature struct {
	min, max int      // positional arguments
	named    []string // keys of named arguments, each at most once
	form     string   // how it is written, for messages
}

// endpointField reads a field of the page's protocol or of the one named.
func endpointField(name string) signature {
	return signature{0, 1, nil, fmt.Sprintf("{{< %s >}} or {{< %s smtp >}}", name, name)}
}

var signatures = map[string]signature{
	"provider": {0, 0, nil, "{{< provider >}}"},
	"client":   {0, 0, nil, "{{< client >}}"},
	"host":     endpointField("host"),
	"port":     endpointField("port"),
	"ports":    endpointField("ports"),
	"security": endpointField("security"),
	"username": endpointField("username"),
	"auth":     endpointField("auth"),
	"verified": endpointField("verified"),
	"settings": {0, 0, nil, "{{< settings >}}"},
	"fact":     {1, 1, nil, "{{< fact id >}}"},
	"ui":       {1, 1, nil, "{{< ui key >}}"},
	"url":      {1, 2, nil, urlForms},
	"if":       {0, 0, conditionKeys, conditionForms("if")},
	"unless":   {0, 0, conditionKeys, conditionForms("unless")},
}

// conditionKeys are what {{< if >}} and {{< unless >}} can test: the
// page's protocol, client or provider, and whether the servers it sets
// up accept a sign-in method.
var conditionKeys = []string{"protocol", "client", "provider", "accepts"}

func conditionForms(name string) string {
	return fmt.Sprintf(`{{< %[1]s protocol="pop3" >}}…{{< /%[1]s >}}, or with client="…", provider="…" (several: "a, b") or accepts="password" (or another sign-in method)`, name)
}

const urlForms = "{{< url provider >}}, {{< url host >}}, {{< url host smtp >}}, {{< url client >}}, {{< url history >}} or {{< url sources >}}"

var shortcodeNames = func() []string {
	names := make([]string, 0, len(signatures))
	for name := range signatures {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}()

// checkSignature reports a shortcode that is unknown or written with
// arguments its signature does not have.
func checkSignature(sc *shortcode.Shortcode) error {
	sig, ok := signatures[sc.Name]
	if !ok {
		return fmt.Errorf("unknown shortcode; %s", diag.Suggest(sc.Name, shortcodeNames))
	}
	seen := map[string]bool{}
	for _, a := range sc.Args {
		switch {
		case a.Key == "":
		case !slices.Contains(sig.named, a.Key) && len(sig.named) > 0:
			return fmt.Errorf("unknown condition %s=; write %s", a.Key, sig.form)
		case !slices.Contains(sig.named, a.Key):
			return fmt.Errorf("takes no argument %s=; write %s", a.Key, sig.form)
		case seen[a.Key]:
			return fmt.Errorf("%s= is given twice; give it once: %s", a.Key, sig.form)
		default:
			seen[a.Key] = true
		}
	}
	switch n := positionalCount(sc); {
	case n > sig.max && sig.max == 0:
		return fmt.Errorf("takes no positional argument, found %q; write %s", sc.Positional(0), sig.form)
	case n > sig.max:
		return fmt.Errorf("takes at most %d argument(s), found %d (%q is one too many); write %s", sig.max, n, sc.Positional(sig.max), sig.form)
	case n < sig.min:
		return fmt.Errorf("needs an argument; write %s", sig.form)
	case len(sig.named) > 0 && len(seen) == 0:
		return fmt.Errorf("needs a condition; write %s", sig.form)
	}
	return nil
}

func positionalCount(sc *shortcode.Shortcode) int {
	n := 0
	for _, a := range sc.Args {
		if a.Key == "" {
			n++
		}
	}
	return n
}

func (x *Expansion) needProvider() (*model.Provider, error) {
	if x.sc.Provider == nil {
		return nil, fmt.Errorf("this page has no provider; add `provider: <id>` to its front matter")
	}
	return x.sc.Provider, nil
}

// endpoints returns the endpoints of the protocol named by the shortcode's
// first argument (default: the page's) in force on the page's day.
func (x *Expansion) endpoints(sc *shortcode.Shortcode) ([]*model.Endpoint, error) {
	p, err := x.needProvider()
	if err != nil {
		return nil, err
	}
	proto := model.Protocol(sc.Positional(0))
	if proto == "" {
		proto = x.sc.Protocol
	}
	if proto == "" {
		return nil, fmt.Errorf("say which protocol: {{< %s smtp >}} (imap, pop3, smtp or httpmail)", sc.Name)
	}
	if !isProtocol(proto) {
		return nil, fmt.Errorf("%q is not a protocol; %s", proto, diag.Suggest(string(proto), []string{"imap", "pop3", "smtp", "httpmail"}))
	}
	es := p.InForce(proto, x.sc.AsOf, x.env.Today)
	if len(es) == 0 {
		return nil, fmt.Errorf("%s published no %s endpoint on %s; check the guide's protocols or the endpoint periods in %s",
			p.Name, proto.Label(), x.sc.AsOf.Format("2006-01-02"), p.File)
	}
	return es, nil
}

func isProtocol(p model.Protocol) bool {
	for _, q := range model.Protocols {
		if p == q {
			return true
		}
	}
	return false
}

func (x *Expansion) value(sc *shortcode.Shortcode) (string, error) {
	switch sc.Name {
	case "provider":
		p, err := x.needProvider()
		if err != nil {
			return "", err
		}
		return p.Name, nil
	case "client":
		if x.sc.Client == nil {
			return "", fmt.Errorf("only guides have a client")
		}
		return x.sc.Client.Name, nil
	case "host", "port", "ports", "security", "username", "auth", "verified":
		es, err := x.endpoints(sc)
		if err != nil {
			return "", err
		}
		return endpointValue(sc.Name, es), nil
	case "ui":
		if x.sc.Client == nil {
			return "", fmt.Errorf("only guides have a client")
		}
		key := sc.Positional(0)
		if v, ok := x.sc.Client.UI[key]; ok {
			return v, nil
		}
		keys := make([]string, 0, len(x.sc.Client.UI))
		for k := range x.sc.Client.UI {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return "", fmt.Errorf("client %q has no ui label %q (in %s); %s", x.sc.Client.ID, key, x.sc.Client.File, diag.Suggest(key, keys))
	case "url":
		return x.url(sc)
	}
	return "", fmt.Errorf("unknown shortcode; %s", diag.Suggest(sc.Name, shortcodeNames))
}

// endpointValue formats one endpoint field; es is preferred first.
func endpointValue(field string, es []*model.Endpoint) string {
	e := es[0]
	switch field {
	case "host":
		return e.Host
	case "port":
		return strconv.Itoa(e.Port)
	case "ports":
		ports := make([]string, len(es))
		for i, a := range es {
			ports[i] = strconv.Itoa(a.Port)
		}
		return strings.Join(ports, " or ")
	case "security":
		return e.Security.Label()
	case "username":
		if e.Username == model.OtherName {
			return e.UsernameNote
		}
		label := e.UsernameLabel()
		return strings.ToLower(label[:1]) + label[1:]
	case "auth":
		labels := make([]string, len(e.Auth))
		for i, a := range e.Auth {
			labels[i] = a.Label()
		}
		return strings.Join(labels, " or ")
	case "verified":
		if v := view.LastVerified(es); v != nil {
			return v.Date.Human()
		}
		return "not yet verified"
	}
	return ""
}

func (x *Expansion) url(sc *shortcode.Shortcode) (string, error) {
	u := x.env.URLs
	what := sc.Positional(0)
	if what != "host" && positionalCount(sc) > 1 {
		return "", fmt.Errorf("{{< url %s >}} takes nothing after %s, found %q; write %s", what, what, sc.Positional(1), urlForms)
	}
	switch what {
	case "provider":
		p, err := x.needProvider()
		if err != nil {
			return "", err
		}
		return u.Provider(p), nil
	case "host":
		es, err := x.endpoints(&shortcode.Shortcode{Name: "url host", Args: []shortcode.Arg{{Value: sc.Positional(1)}}})
		if err != nil {
			return "", err
		}
		return u.Host(es[0].Host), nil
	case "client":
		if x.sc.Client == nil {
			return "", fmt.Errorf("only guides have a client")
		}
		return u.Client(x.sc.Client), nil
	case "history":
		return u.History(), nil
	case "sources":
		return u.Sources(), nil
	default:
		return "", fmt.Errorf("unknown url %q; %s (%s)", what, diag.Suggest(what, []string{"provider", "host", "client", "history", "sources"}), urlForms)
	}
}

// condition evaluates an if, whose arguments checkSignature has checked.
func (x *Expansion) condition(sc *shortcode.Shortcode) bool {
	ok := true
	for _, a := range sc.Args {
		switch a.Key {
		case "protocol":
			if !isProtocol(model.Protocol(a.Value)) {
				x.errorf(sc.Pos, "{{< %s >}}: %q is not a protocol; %s", sc.Name, a.Value, diag.Suggest(a.Value, model.ProtocolNames()))
			}
			ok = ok && model.Protocol(a.Value) == x.sc.Protocol
		case "client":
			ids := x.ids(sc, "client", a.Value)
			ok = ok && x.sc.Client != nil && slices.Contains(ids, x.sc.Client.ID)
		case "provider":
			ids := x.ids(sc, "provider", a.Value)
			ok = ok && x.sc.Provider != nil && slices.Contains(ids, x.sc.Provider.ID)
		case "accepts":
			accepts, err := x.accepts(model.Auth(a.Value))
			if err != nil {
				x.errorf(sc.Pos, "{{< %s >}}: %v", sc.Name, err)
			}
			ok = ok && accepts
		}
	}
	if sc.Name == "unless" {
		return !ok
	}
	return ok
}

// ids reads a condition's list of client or provider ids ("a, b" means
// either), reporting any that is not valid or not defined. A guide may
// name a provider the knowledge base does not have yet only by mistake.
func (x *Expansion) ids(sc *shortcode.Shortcode, what, value string) []string {
	ids := strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' })
	if len(ids) == 0 {
		x.errorf(sc.Pos, "{{< %s >}}: %s= names no %s", sc.Name, what, what)
	}
	for _, id := range ids {
		// An id this knowledge base lacks matches nothing: content is
		// shared between knowledge bases, and lint warns of it in case it
		// is a slip.
		if problem := strictyaml.IDProblem(id, strictyaml.MaxNameID); problem != "" {
			x.errorf(sc.Pos, "{{< %s >}}: %s %s", sc.Name, what, problem)
		}
	}
	return ids
}

// accepts reports whether every server the page sets up — the first
// choice of its protocol and of SMTP on its day, or, on a page without a
// protocol, each current mail server's — accepts the sign-in method. For
// "password" any password typed into the program counts: the account's
// own, an app password or one the program sends encrypted.
func (x *Expansion) accepts(method model.Auth) (bool, error) {
	if !slices.Contains(model.Auths, method) {
		return false, fmt.Errorf("%q is not a sign-in method; %s", method, diag.Suggest(string(method), model.AuthNames()))
	}
	p, err := x.needProvider()
	if err != nil {
		return false, err
	}
	var servers []*model.Endpoint
	if x.sc.Protocol == "" {
		servers = model.MailServers(p.CurrentEndpoints())
	} else {
		for _, proto := range view.GuideProtocols(x.sc.Protocol) {
			if es := p.InForce(proto, x.sc.AsOf, x.env.Today); len(es) > 0 {
				servers = append(servers, es[0])
			}
		}
	}
	for _, e := range servers {
		if !slices.ContainsFunc(e.Auth, func(a model.Auth) bool { return a == method || (method == model.Password && a.UsesPassword()) }) {
			return false, nil
		}
	}
	return len(servers) > 0, nil
}

func (x *Expansion) block(sc *shortcode.Shortcode) (string, error) {
	switch sc.Name {
	case "settings":
		rows, err := x.settingsRows()
		if err != nil {
			return "", err
		}
		return x.env.Blocks.Settings(rows, x.sc.AsOf)
	case "fact":
		p, err := x.needProvider()
		if err != nil {
			return "", err
		}
		id := sc.Positional(0)
		if problem := strictyaml.IDProblem(id, strictyaml.MaxID); problem != "" {
			return "", fmt.Errorf("fact %s", problem)
		}
		f := p.Fact(id)
		if f != nil && !f.Period.Contains(x.sc.AsOf) {
			// A fact is shown where it was true: a guide of 2011 does not
			// tell of a change of 2017.
			return "", nil
		}
		if f == nil {
			// Facts belong to providers: a guide written for every provider
			// shows the fact where a provider has it. Only an id that no
			// provider has is a mistake.
			ids := map[string]bool{}
			for _, q := range x.env.KB.Providers {
				for _, f := range q.Facts {
					ids[f.ID] = true
				}
			}
			if ids[id] {
				return "", nil
			}
			known := make([]string, 0, len(ids))
			for id := range ids {
				known = append(known, id)
			}
			sort.Strings(known)
			return "", fmt.Errorf("no provider has a fact %q; %s", id, diag.Suggest(id, known))
		}
		return x.env.Blocks.Fact(p, f)
	}
	return "", fmt.Errorf("unknown block shortcode")
}

// settingsRows are the endpoints a page's quick-reference table shows: a
// guide's protocol and SMTP on its day, or every current endpoint.
func (x *Expansion) settingsRows() ([]*model.Endpoint, error) {
	p, err := x.needProvider()
	if err != nil {
		return nil, err
	}
	if x.sc.Protocol == "" {
		return model.MailServers(p.CurrentEndpoints()), nil
	}
	rows := p.InForce(x.sc.Protocol, x.sc.AsOf, x.env.Today)
	if x.sc.Protocol != model.HTTPMail {
		rows = append(rows, p.InForce(model.SMTP, x.sc.AsOf, x.env.Today)...)
	}
	return rows, nil
}

// Finish swaps the tokens in rendered HTML for their values and blocks,
// in one pass: a value inside an id attribute (a heading made from a
// token) becomes an anchor, elsewhere escaped text; a block token must be
// a paragraph of its own.
func (x *Expansion) Finish(out string) (string, error) {
	var b strings.Builder
	b.Grow(len(out) + len(out)/4)
	placed := make([]bool, len(x.blocks))
	rest := out
	for {
		i := strings.Index(rest, "mkb")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		kind, n, length := parseToken(rest[i:])
		if length == 0 || (kind == "sc" && n >= len(x.values)) || (kind == "blk" && n >= len(x.blocks)) {
			b.WriteString(rest[:i+3])
			rest = rest[i+3:]
			continue
		}
		before := rest[:i]
		switch kind {
		case "sc":
			b.WriteString(before)
			if inIDAttr(b.String()) {
				b.WriteString(Anchor(x.values[n]))
			} else {
				b.WriteString(html.EscapeString(x.values[n]))
			}
		case "blk":
			if strings.HasSuffix(before, "<p>") && strings.HasPrefix(rest[i+length:], "</p>") {
				b.WriteString(strings.TrimSuffix(before, "<p>"))
				b.WriteString(x.blocks[n])
				placed[n] = true
				rest = rest[i+length+len("</p>"):]
				continue
			}
			b.WriteString(before)
		}
		rest = rest[i+length:]
	}
	for i, ok := range placed {
		if !ok {
			x.errorf(x.where[i], "this shortcode makes a block; put it on a line of its own with a blank line before and after")
		}
	}
	return b.String(), x.errs.Err()
}

// parseToken reads "mkbsc12x" or "mkbblk3x" at the start of s, returning
// its kind, number and length (0 when s does not start with a token).
func parseToken(s string) (kind string, n, length int) {
	switch {
	case strings.HasPrefix(s, "mkbsc"):
		kind, length = "sc", len("mkbsc")
	case strings.HasPrefix(s, "mkbblk"):
		kind, length = "blk", len("mkbblk")
	default:
		return "", 0, 0
	}
	start := length
	for length < len(s) && s[length] >= '0' && s[length] <= '9' {
		n = n*10 + int(s[length]-'0')
		length++
	}
	if length == start || length >= len(s) || s[length] != 'x' {
		return "", 0, 0
	}
	return kind, n, length + 1
}

// inIDAttr reports whether html ends inside an id="…" attribute value.
func inIDAttr(html string) bool {
	q := strings.LastIndexByte(html, '"')
	return q >= 3 && html[q-3:q] == "id=" && !strings.ContainsAny(html[q+1:], "<>")
}

// Anchor makes an HTML id fragment from text.
func Anchor(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// New starts the expansion of one page's sources in scope sc.
func New(env *Env, sc Scope) *Expansion { return &Expansion{env: env, sc: sc} }

// HasSettings reports whether the expanded body placed the
// quick-reference table itself, so the page need not add one.
func (x *Expansion) HasSettings() bool { return x.hasSettings }

// Errors returns the errors found so far, with their positions.
func (x *Expansion) Errors() diag.ErrorList { return x.errs }
