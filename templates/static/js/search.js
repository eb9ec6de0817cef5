// search.js: the search page. It loads /search/index.json (written by the
// build; nothing is fetched from anywhere else) and filters it as the
// reader types. Without JavaScript the page is a plain list of everything.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-q");
  var results = document.getElementById("search-results");
  var all = document.getElementById("search-all");
  if (!form || !input || !results || !window.fetch) { return; }
  var kinds = { provider: "Provider", host: "Server name", client: "Mail program", guide: "Guide", article: "Article" };
  var entries = null, byURL = {};

  // score ranks how well entry e matches every word of the query: the
  // title first, then its other terms, then its description. 0 is no match.
  function score(e, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i], best = 0, title = e.t.toLowerCase();
      if (title === w) { best = 100; }
      else if (title.indexOf(w) === 0) { best = 60; }
      else if (title.indexOf(w) >= 0) { best = 40; }
      var terms = e.w || [];
      for (var j = 0; j < terms.length && best < 30; j++) {
        var t = terms[j].toLowerCase();
        if (t === w) { best = 30; } else if (t.indexOf(w) >= 0) { best = Math.max(best, 15); }
      }
      if (!best && e.s && e.s.toLowerCase().indexOf(w) >= 0) { best = 5; }
      if (!best) { return 0; }
      total += best;
    }
    return total;
  }

  function item(e, note) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = e.u;
    if (e.k === "host") {
      var code = document.createElement("code");
      code.textContent = e.t;
      a.appendChild(code);
    } else {
      a.textContent = e.t;
    }
    if (note) {
      li.className = "see-also";
      li.appendChild(document.createTextNode(note + " "));
    }
    li.appendChild(a);
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = " " + (kinds[e.k] || e.k);
    li.appendChild(kind);
    if (e.s) {
      var small = document.createElement("small");
      small.textContent = " — " + e.s;
      li.appendChild(small);
    }
    return li;
  }

  function show(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    results.textContent = "";
    if (!words.length) { all.hidden = false; return; }
    all.hidden = true;
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var s = score(entries[i], words);
      if (s) { hits.push({ e: entries[i], s: s, i: i }); }
    }
    hits.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    var list = document.createElement("ul");
    var shown = {};
    for (var h = 0; h < hits.length && h < 50; h++) {
      var e = hits[h].e;
      if (shown[e.u]) { continue; }
      shown[e.u] = true;
      list.appendChild(item(e));
      // A host no longer published brings its current replacement along.
      var see = e.r || [];
      for (var k = 0; k < see.length; k++) {
        var r = byURL[see[k]];
        if (r && !shown[r.u]) {
          shown[r.u] = true;
          list.appendChild(item(r, "→ Use instead:"));
        }
      }
    }
    var count = document.createElement("p");
    count.textContent = list.children.length ? list.children.length + " found for “" + query + "”" : "Nothing found for “" + query + "”. Try part of a server name, such as smtp.live.";
    results.appendChild(count);
    if (list.children.length) { results.appendChild(list); }
  }

  function load() {
    return fetch(form.getAttribute("data-index")).then(function (r) {
      if (!r.ok) { throw new Error("search index: HTTP " + r.status); }
      return r.json();
    }).then(function (data) {
      entries = data.entries;
      for (var i = 0; i < entries.length; i++) { byURL[entries[i].u] = entries[i]; }
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
