// search.js: the search page. It loads /search/index.json (written by the
// build; nothing is fetched from anywhere else), then, for each query, the
// runs of the full-text index its words fall in and the files of the pages
// it shows. Without JavaScript the page is a plain list of everything.
// The index's format is in docs/search.md; the tokenizer below follows the
// rules of generator/site/searchtokens.go, and the Go tests run both on the
// same inputs (under Node, where this file exports its engine instead of
// driving a page).
(function () {
  "use strict";

  // ---- Tokens: the same rules as generator/site/searchtokens.go ----

  var MAX_TOKEN = 64;
  // A query's words beyond these are ignored: each word is a bit of a mask.
  var MAX_WORDS = 12;
  var STOP = {};
  ("a an and are as at be by for from in is it its of on or that the this to was were with").split(" ").forEach(function (w) { STOP[w] = true; });
  var CHUNK = /[\p{L}\p{Nd}][\p{L}\p{Nd}.\-_@'\u2019]*/gu;
  var JOINERS_AT_END = /[.\-_@'\u2019]+$/u;
  var SEPARATORS = /[.\-_@]/;

  function runes(s) { return Array.from(s).length; }

  // chunks returns the words and joined chunks of text (pop3.live.com,
  // smtp-mail, 2024-09-16), lower-cased, each with where it starts.
  function chunks(text) {
    var out = [], m;
    CHUNK.lastIndex = 0;
    while ((m = CHUNK.exec(text))) {
      var c = m[0].replace(JOINERS_AT_END, "");
      if (c) { out.push({ text: c.toLowerCase(), at: m.index, length: c.length }); }
    }
    return out;
  }

  function dropApostrophes(c) {
    c = c.replace(/['\u2019]s$/u, "");
    return c.replace(/['\u2019]/gu, "");
  }

  function isCompound(c) { return SEPARATORS.test(c); }

  function trimSeparators(c) { return c.replace(/^[.\-_@]+|[.\-_@]+$/g, ""); }

  function singular(w) {
    if (/[^\p{L}]/u.test(w)) { return w; }
    var n = runes(w);
    if (n >= 5 && /ies$/.test(w)) { return w.slice(0, -3) + "y"; }
    if (/sses$/.test(w) || (n >= 5 && /(shes|ches|xes)$/.test(w))) { return w.slice(0, -2); }
    if (n >= 4 && /s$/.test(w) && !/(ss|us|is)$/.test(w)) { return w.slice(0, -1); }
    return w;
  }

  // leadingLetters is "oauth" for "oauth2": two or more letters followed
  // only by digits.
  function leadingLetters(w) {
    var m = /^(\p{L}+)\p{Nd}+$/u.exec(w);
    return m && runes(m[1]) >= 2 ? m[1] : "";
  }

  function wordTokens(out, w) {
    var n = runes(w);
    if (n < 2 || n > MAX_TOKEN || STOP[w]) { return; }
    out.push(singular(w));
    var letters = leadingLetters(w);
    if (letters) { out.push(singular(letters)); }
  }

  function chunkTokens(out, c) {
    if (!isCompound(c)) { wordTokens(out, c); return; }
    c = trimSeparators(c);
    if (!isCompound(c)) { wordTokens(out, c); return; }
    if (runes(c) <= MAX_TOKEN) { out.push(c); }
    var labels = c.split(/[.@]/).filter(Boolean);
    if (/\p{L}/u.test(c) && c.indexOf("@") < 0) {
      for (var i = 1; i + 1 < labels.length; i++) {
        var d = labels.slice(i).join(".");
        if (runes(d) <= MAX_TOKEN) { out.push(d); }
      }
    }
    labels.forEach(function (l) {
      if (!/[-_]/.test(l)) { wordTokens(out, l); return; }
      if (l !== c && runes(l) <= MAX_TOKEN) { out.push(l); }
      l.split(/[-_]/).filter(Boolean).forEach(function (w) { wordTokens(out, w); });
    });
  }

  // tokenize returns the tokens of text, in order, with repeats.
  function tokenize(text) {
    var out = [];
    chunks(text).forEach(function (c) { chunkTokens(out, dropApostrophes(c.text)); });
    return out;
  }

  // queryTerms returns what a query looks up: one term per word or joined
  // chunk, the last a prefix unless the query ends in a space. A joined
  // chunk carries its parts, looked up instead when the index lacks it
  // whole ("app-password" in pages that write "app password").
  function queryTerms(query) {
    var out = [];
    chunks(query).forEach(function (ch) {
      var c = trimSeparators(dropApostrophes(ch.text));
      if (!c || runes(c) > MAX_TOKEN) { return; }
      if (isCompound(c)) {
        var parts = c.split(SEPARATORS).filter(function (l) { return runes(l) >= 2 && !STOP[l]; }).map(singular);
        out.push({ token: c, parts: parts });
      } else if (runes(c) >= 2 && !STOP[c]) {
        out.push({ token: singular(c), parts: [] });
      }
    });
    if (out.length && /[\p{L}\p{Nd}]$/u.test(query)) { out[out.length - 1].prefix = true; }
    return out;
  }

  // ---- The engine: ranking over the full-text index ----

  // byCodePoint orders strings as Go does (by UTF-8 bytes, which is code
  // point order); JavaScript's < compares UTF-16 units.
  function byCodePoint(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      if (x[i] !== y[i]) { return x[i].codePointAt(0) - y[i].codePointAt(0); }
    }
    return x.length - y.length;
  }

  function popcount(n) { var c = 0; for (; n; n &= n - 1) { c++; } return c; }

  // A section's level in a posting: the term in its heading, in the page's
  // keywords (the top section) or in its text.
  var LEVEL_WEIGHT = [0, 1, 2, 3];
  // How much a completion of the last word counts against an exact match.
  var PREFIX_FACTOR = 0.6;
  var MAX_EXPANSIONS = 64;
  // What the section with most of the words adds, and what spelling out
  // a page's name multiplies its score by.
  var SECTION_WEIGHT = 0.5;
  var NAME_FACTOR = 2;

  // Engine searches one site's index. load(path) returns a promise of the
  // JSON at path, relative to the index's folder.
  function Engine(manifest, load) {
    this.pages = manifest.pages;
    this.names = manifest.names;
    this.chunkFirsts = manifest.chunks;
    this.load = load;
    this.cache = {};
  }

  Engine.prototype.file = function (path) {
    var cache = this.cache;
    if (!cache[path]) {
      // A failed load is tried again by the next query.
      cache[path] = this.load(path).catch(function (e) { delete cache[path]; throw e; });
    }
    return cache[path];
  };

  // chunkOf is the run whose range holds term.
  Engine.prototype.chunkOf = function (term) {
    var lo = 0, hi = this.chunkFirsts.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (byCodePoint(this.chunkFirsts[mid], term) <= 0) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return at;
  };

  // lookup finds the index terms for one query term: the term itself, and
  // with prefix every term it begins (shortest first).
  Engine.prototype.lookup = function (token, prefix) {
    var self = this, pair = token.indexOf(" ") >= 0;
    if (!this.chunkFirsts.length) { return Promise.resolve([]); }
    var first = this.chunkOf(token), last = first;
    while (prefix && last + 1 < this.chunkFirsts.length && this.chunkFirsts[last + 1].indexOf(token) === 0) { last++; }
    var loads = [];
    for (var i = first; i <= last; i++) { loads.push(this.file("t/" + i + ".json")); }
    return Promise.all(loads).then(function (runs) {
      var found = [];
      runs.forEach(function (run) {
        Object.keys(run).forEach(function (term) {
          // A word's completions are words, not the pairs that begin with it.
          if (term === token || (prefix && term.indexOf(token) === 0 && (pair || term.indexOf(" ") < 0))) {
            found.push({ term: term, exact: term === token, postings: run[term] });
          }
        });
      });
      found.sort(function (a, b) { return b.exact - a.exact || runes(a.term) - runes(b.term) || byCodePoint(a.term, b.term); });
      return found.slice(0, MAX_EXPANSIONS).map(function (f) { f.pages = self.decode(f.postings); return f; });
    });
  };

  // decode turns a posting list into {page, weight, named, sections}.
  Engine.prototype.decode = function (list) {
    var out = [], page = 0;
    for (var i = 0; i < list.length;) {
      page += list[i];
      var n = list[i + 2] >> 1;
      out.push({ page: page, weight: list[i + 1], named: (list[i + 2] & 1) === 1, sections: list.slice(i + 3, i + 3 + n) });
      i += 3 + n;
    }
    return out;
  };

  Engine.prototype.idf = function (df) {
    return Math.log(1 + (this.pages - df + 0.5) / (df + 0.5));
  };

  // matches is what one query term finds: per page, its best score over
  // the term's expansions, whether the page's name has it, and the
  // sections that hold any of them.
  Engine.prototype.matches = function (token, expansions) {
    var byPage = {}, union = {};
    // The word typed is what is rare or common, not each completion: all
    // share the inverse document frequency of the pages any of them is in.
    expansions.forEach(function (x) { x.pages.forEach(function (p) { union[p.page] = true; }); });
    var idf = this.idf(Object.keys(union).length);
    expansions.forEach(function (x) {
      // A completion counts for less, and a long one for less than a short.
      var factor = x.exact ? 1 : PREFIX_FACTOR * (0.5 + 0.5 * runes(token) / runes(x.term));
      x.pages.forEach(function (p) {
        var m = byPage[p.page] || (byPage[p.page] = { score: 0, named: false, sections: {} });
        m.score = Math.max(m.score, idf * p.weight / 10 * factor);
        m.named = m.named || p.named;
        p.sections.forEach(function (code) {
          var s = code >> 2, w = idf * LEVEL_WEIGHT[code & 3] * factor;
          m.sections[s] = Math.max(m.sections[s] || 0, w);
        });
      });
    });
    return byPage;
  };

  // lookTerm looks a query term up; a joined chunk the index lacks whole
  // is looked up as its parts, each then required.
  Engine.prototype.lookTerm = function (t) {
    var self = this;
    return this.lookup(t.token, t.prefix).then(function (found) {
      if (found.length || !t.parts.length) { return [{ term: t, found: found }]; }
      return Promise.all(t.parts.map(function (p, i) {
        var part = { token: p, parts: [], prefix: t.prefix && i === t.parts.length - 1 };
        return self.lookup(part.token, part.prefix).then(function (f) { return { term: part, found: f }; });
      }));
    });
  };

  // search ranks the pages for a query. It resolves to {hits, terms,
  // partial}: hits are {page, score, sections} best first, sections
  // ranked best first as [section, score, words it has]; partial is true
  // when no page has every word and the hits are the pages with most of
  // them.
  //
  // A page's score is the sum over the words of their inverse document
  // frequency times the page's weight for them (BM25, from the build);
  // words side by side in a heading add their pair's; the section that
  // has the most of the words adds its own score, so that the page with
  // the words in one place comes first; and a page whose name the query
  // is, word for word, counts double.
  Engine.prototype.search = function (query) {
    var self = this;
    return Promise.all(queryTerms(query).slice(0, MAX_WORDS).map(function (t) { return self.lookTerm(t); })).then(function (groups) {
      var looked = [].concat.apply([], groups).slice(0, MAX_WORDS);
      var pairs = [];
      for (var i = 1; i < looked.length; i++) {
        pairs.push({ token: looked[i - 1].term.token + " " + looked[i].term.token, prefix: looked[i].term.prefix });
      }
      return Promise.all(pairs.map(function (p) { return self.lookup(p.token, p.prefix); })).then(function (pairFinds) {
        return self.rank(looked, pairs.map(function (p, i) { return { term: p, found: pairFinds[i] }; }));
      });
    });
  };

  Engine.prototype.rank = function (looked, pairs) {
    var self = this, pages = {};
    function hitOf(p) { return pages[p] || (pages[p] = { page: +p, score: 0, bits: 0, named: 0, sections: {} }); }
    function addSections(hit, sections, bit) {
      Object.keys(sections).forEach(function (s) {
        var sec = hit.sections[s] || (hit.sections[s] = { bits: 0, score: 0 });
        sec.bits |= bit;
        sec.score += sections[s];
      });
    }
    looked.forEach(function (l, n) {
      var byPage = self.matches(l.term.token, l.found);
      Object.keys(byPage).forEach(function (p) {
        var hit = hitOf(p);
        hit.score += byPage[p].score;
        hit.bits |= 1 << n;
        hit.named += byPage[p].named ? 1 : 0;
        addSections(hit, byPage[p].sections, 1 << n);
      });
    });
    pairs.forEach(function (l) {
      var byPage = self.matches(l.term.token, l.found);
      Object.keys(byPage).forEach(function (p) {
        if (!pages[p]) { return; }
        pages[p].score += byPage[p].score;
        addSections(pages[p], byPage[p].sections, 0);
      });
    });
    var all = (1 << looked.length) - 1, hits = [], partial = false;
    Object.keys(pages).forEach(function (p) { if (pages[p].bits === all) { hits.push(pages[p]); } });
    if (!hits.length) {
      partial = looked.length > 1;
      Object.keys(pages).forEach(function (p) { hits.push(pages[p]); });
    }
    hits.forEach(function (h) {
      h.sections = Object.keys(h.sections).map(function (s) {
        return [+s, h.sections[s].score, popcount(h.sections[s].bits)];
      }).sort(function (a, b) { return b[2] - a[2] || b[1] - a[1] || a[0] - b[0]; });
      var best = h.sections[0];
      if (best) { h.score += SECTION_WEIGHT * best[1] * Math.pow(best[2] / looked.length, 2); }
      if (h.named === looked.length && h.named >= self.names[h.page]) { h.score *= NAME_FACTOR; }
    });
    hits.sort(function (a, b) { return popcount(b.bits) - popcount(a.bits) || b.score - a.score || a.page - b.page; });
    return { hits: hits, terms: looked.map(function (l) { return l.term; }), partial: partial };
  };

  // page resolves to a page's file: {u, t, k, s: [[anchor, heading, text]]}.
  Engine.prototype.page = function (n) { return this.file("p/" + n + ".json"); };

  // ---- Host names: a known mistake or a slip of one character ----

  // oneEdit reports whether a and b differ by one insertion, deletion,
  // substitution or swap of neighbours.
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) { i++; }
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  var HOST_ORDER = { current: 0, old: 1, wrong: 2 };

  // resolveHost finds the host a query names: the host entry it is, or
  // the ones a single slip away. null when the query is no host name.
  function resolveHost(query, hosts) {
    var q = query.trim().toLowerCase();
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(q)) { return null; }
    for (var i = 0; i < hosts.length; i++) {
      if (hosts[i].t === q) { return { typed: q, entries: [hosts[i]], slip: false }; }
    }
    var near = hosts.filter(function (h) { return oneEdit(q, h.t); });
    near.sort(function (a, b) { return HOST_ORDER[a.h] - HOST_ORDER[b.h] || byCodePoint(a.t, b.t); });
    return near.length ? { typed: q, entries: near, slip: true } : null;
  }

  var engine = { tokenize: tokenize, queryTerms: queryTerms, Engine: Engine, resolveHost: resolveHost, oneEdit: oneEdit };
  if (typeof module === "object" && module.exports) {
    module.exports = engine;
    return;
  }

  // ---- The page ----

  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-q");
  var results = document.getElementById("search-results");
  var all = document.getElementById("search-all");
  if (!form || !input || !results || !window.fetch) { return; }
  var kinds = { provider: "Provider", host: "Server name", client: "Mail program", guide: "Guide", article: "Article",
    history: "History", sources: "Sources" };
  var PAGE_SIZE = 10;
  var search = null, byURL = {}, hosts = [], shown = 0;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  // marked writes text with the words a query matched in <mark>.
  function marked(text, terms) {
    var frag = document.createDocumentFragment(), at = 0;
    chunks(text).forEach(function (c) {
      var toks = [];
      chunkTokens(toks, dropApostrophes(c.text));
      var hit = toks.some(function (t) {
        return terms.some(function (q) { return t === q.token || (q.prefix && t.indexOf(q.token) === 0); });
      });
      if (!hit) { return; }
      frag.appendChild(document.createTextNode(text.slice(at, c.at)));
      frag.appendChild(el("mark", text.slice(c.at, c.at + c.length)));
      at = c.at + c.length;
    });
    frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  // openingWords names a section that has no heading by its first words.
  function openingWords(text) {
    if (text.length <= 80) { return text; }
    var cut = text.lastIndexOf(" ", 80);
    return text.slice(0, cut > 0 ? cut : 80) + "…";
  }

  function link(url, anchor) { return anchor ? url + "#" + anchor : url; }

  // entryItem is a result found by name: a host, its replacement. A note
  // says how it relates to the result before it, which it is set under
  // when nested.
  function entryItem(e, note, nested) {
    var li = el("li", "", nested ? "see-also" : "");
    if (note) { li.appendChild(document.createTextNode(note + " ")); }
    var a = el("a");
    a.href = e.u;
    if (e.k === "host") { a.appendChild(el("code", e.t)); } else { a.textContent = e.t; }
    li.appendChild(a);
    li.appendChild(el("span", " " + (kinds[e.k] || e.k), "search-kind"));
    if (e.s) { li.appendChild(el("small", " — " + e.s)); }
    return li;
  }

  // pageItem is a full-text result: the page, linked at the section that
  // matches best, with that section's words and up to two more sections.
  function pageItem(hit, page, terms) {
    var li = el("li"), entry = byURL[page.u], best = page.s[hit.sections.length ? hit.sections[0][0] : 0];
    var a = el("a");
    a.href = link(page.u, best && best[0]);
    if (page.k === "host") { a.appendChild(el("code", page.t)); } else { a.textContent = page.t; }
    li.appendChild(a);
    li.appendChild(el("span", " " + (kinds[page.k] || page.k), "search-kind"));
    if (entry && entry.s) { li.appendChild(el("small", " — " + entry.s)); }
    if (best) {
      var p = el("p");
      if (best[1] && best[1] !== page.t) {
        p.appendChild(el("strong")).appendChild(marked(best[1], terms));
        p.appendChild(document.createTextNode(best[2] ? ": " : ""));
      }
      p.appendChild(marked(best[2], terms));
      li.appendChild(p);
    }
    var subs = el("ul"), anchors = {};
    anchors[best ? best[0] : ""] = true;
    for (var i = 1; i < hit.sections.length && subs.children.length < 2; i++) {
      var s = page.s[hit.sections[i][0]];
      if (!s || anchors[s[0]] || !s[0] || hit.sections[i][2] < hit.sections[0][2]) { continue; }
      anchors[s[0]] = true;
      var sub = el("li"), sa = el("a", s[1] || openingWords(s[2]));
      sa.href = link(page.u, s[0]);
      sub.appendChild(sa);
      subs.appendChild(sub);
    }
    if (subs.children.length) { li.appendChild(subs); }
    return li;
  }

  // hostAnswer puts first what a typed host name resolves to: the right
  // value of a mistake and what replaced it, the current replacement of an
  // old name. It returns the notice to show above the list, if any.
  function hostAnswer(found, list, done) {
    var e = found.entries[0], notice = null;
    function add(entry, note, nested) {
      if (entry && !done[entry.u]) { done[entry.u] = true; list.appendChild(entryItem(entry, note, nested)); }
    }
    var see = (e.r || []).map(function (u) { return byURL[u]; }).filter(Boolean);
    if (found.slip || e.h === "wrong") {
      notice = el("div", "", "notice");
      notice.setAttribute("role", "note");
      var p = el("p");
      if (found.slip) {
        p.appendChild(document.createTextNode("No server is called “" + found.typed + "”. Did you mean "));
        found.entries.forEach(function (h, i) {
          if (i) { p.appendChild(document.createTextNode(" or ")); }
          var a = el("a");
          a.href = h.u;
          a.appendChild(el("code", h.t));
          p.appendChild(a);
        });
        p.appendChild(document.createTextNode("? "));
      }
      if (e.h === "wrong") {
        p.appendChild(document.createTextNode("“" + e.t + "” is a mistake in published guides."));
        if (see.length) { p.appendChild(document.createTextNode(" The right value and what to use today are first below.")); }
      } else if (e.h === "old" && see.length) {
        p.appendChild(document.createTextNode("It is no longer published; what replaced it is below it."));
      }
      notice.appendChild(p);
    }
    if (e.h === "wrong") {
      see.forEach(function (r, i) { add(r, i ? "Today:" : "Right value:"); });
      add(e);
    } else {
      add(e);
      see.forEach(function (r) { add(r, "→ Use instead:", true); });
    }
    found.entries.slice(1).forEach(function (h) { add(h); });
    return notice;
  }

  var generation = 0;

  function show(query) {
    var mine = ++generation;
    if (!query.trim()) {
      results.textContent = "";
      all.hidden = false;
      results.setAttribute("data-query", query);
      return;
    }
    var found = resolveHost(query, hosts);
    var asked = found && found.slip ? found.entries[0].t : query;
    results.setAttribute("aria-busy", "true");
    search.search(asked).then(function (r) {
      if (mine !== generation) { return; }
      all.hidden = true;
      results.textContent = "";
      var list = el("ul", "", "search-list"), done = {};
      var notice = found ? hostAnswer(found, list, done) : null;
      var count = el("p");
      results.appendChild(count);
      if (notice) { results.appendChild(notice); }
      results.appendChild(list);
      var more = el("button", "More results");
      more.type = "button";
      shown = 0;
      function next() {
        var batch = r.hits.slice(shown, shown + PAGE_SIZE);
        shown += batch.length;
        return Promise.all(batch.map(function (h) { return search.page(h.page); })).then(function (pages) {
          if (mine !== generation) { return; }
          pages.forEach(function (page, i) {
            if (done[page.u]) { return; }
            done[page.u] = true;
            list.appendChild(pageItem(batch[i], page, r.terms));
            var entry = byURL[page.u];
            // A host no longer published brings its current replacement along.
            ((entry && entry.r) || []).forEach(function (u) {
              if (byURL[u] && !done[u]) {
                done[u] = true;
                list.appendChild(entryItem(byURL[u], entry.h === "wrong" ? "→ Right value or today’s:" : "→ Use instead:", true));
              }
            });
          });
          var n = list.children.length;
          count.textContent = n ? (r.partial ? "No page has all the words of “" + query + "”; these have most of them." : n + (shown < r.hits.length ? "+" : "") + " found for “" + query + "”")
            : "Nothing found for “" + query + "”. Try fewer words, or the start of a server name.";
          if (shown < r.hits.length) { results.appendChild(more); } else if (more.parentNode) { more.remove(); }
          results.setAttribute("aria-busy", "false");
          results.setAttribute("data-query", query);
        });
      }
      more.addEventListener("click", next);
      return next();
    }).catch(function () {
      if (mine === generation) {
        results.textContent = "";
        results.appendChild(el("p", "The search index could not be loaded; the full list below still has every page by name."));
        all.hidden = false;
        results.setAttribute("aria-busy", "false");
        results.setAttribute("data-query", query);
      }
    });
  }

  function load() {
    var url = new URL(form.getAttribute("data-index"), location.href);
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error("search index: HTTP " + r.status); }
      return r.json();
    }).then(function (data) {
      data.entries.forEach(function (e) {
        byURL[e.u] = e;
        if (e.k === "host") { hosts.push(e); }
      });
      search = new Engine(data.text, function (path) {
        return fetch(new URL(path + "?v=" + data.text.build, url)).then(function (r) {
          if (!r.ok) { throw new Error(path + ": HTTP " + r.status); }
          return r.json();
        });
      });
    });
  }

  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  load().then(function () {
    show(input.value);
    input.addEventListener("input", function () {
      show(input.value);
      var url = new URL(location.href);
      if (input.value) { url.searchParams.set("q", input.value); } else { url.searchParams.delete("q"); }
      history.replaceState(null, "", url);
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); show(input.value); });
  }, function () {
    // Without the index the full list stays: still a way to find things.
    all.hidden = false;
  });
})();
