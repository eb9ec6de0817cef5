// <mailkb-settings provider="outlook-com" protocol="imap"> renders a
// provider's current settings from mailkb's JSON API into the host page.
// Styles live in a shadow root, so nothing leaks in or out. Whatever the
// element contains (a link) stays visible when scripts are off or the data
// cannot be fetched. The API is found relative to this script's own URL,
// so the site can live in a sub-folder.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src : location.href;
  var security = { tls: "SSL/TLS", starttls: "STARTTLS", none: "None" };
  var auth = { password: "Password", oauth2: "OAuth2 (Modern Auth)", "app-password": "App password" };
  var style =
    ":host{display:block;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24;--line:#d0d7de;--head:#f6f8fa;--accent:#0550ae;--muted:#57606a;--bad:#cf222e}" +
    "@media (prefers-color-scheme:dark){:host{color:#e6edf3;--line:#30363d;--head:#161b22;--accent:#4493f8;--muted:#9198a1;--bad:#f85149}}" +
    ".wrap{overflow-x:auto}table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding-bottom:4px}" +
    "th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}thead th{background:var(--head)}" +
    "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}a{color:var(--accent)}p{margin:4px 0 0;color:var(--muted);font-size:12px}.stale{color:var(--bad);font-weight:600}";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function render(root, data, protocol) {
    var rows = data.current.incoming.concat(data.current.outgoing).filter(function (s) {
      return !protocol || s.protocol === protocol;
    });
    var table = el("table");
    table.appendChild(el("caption", data.name + (protocol ? " " + protocol.toUpperCase() : "") + " mail server settings"));
    var head = el("tr");
    ["Protocol", "Server", "Port", "Encryption", "Sign-in"].forEach(function (h) {
      var th = el("th", h);
      th.scope = "col";
      head.appendChild(th);
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    var newest = null;
    var stale = false;
    rows.forEach(function (s) {
      var tr = body.appendChild(el("tr"));
      var th = tr.appendChild(el("th", s.protocol.toUpperCase()));
      th.scope = "row";
      tr.appendChild(el("td")).appendChild(el("code", s.host));
      tr.appendChild(el("td")).appendChild(el("code", String(s.port)));
      tr.appendChild(el("td", security[s.security] || s.security));
      tr.appendChild(el("td", s.auth.map(function (a) { return auth[a] || a; }).join(", ")));
      if (s.last_verified && (!newest || s.last_verified.date > newest.date)) newest = s.last_verified;
      stale = stale || s.stale;
    });
    var wrap = el("div", null, "wrap");
    wrap.appendChild(table);
    var meta = el("p");
    meta.appendChild(document.createTextNode(newest ? "Last verified " + newest.date + " · " : ""));
    if (stale) meta.appendChild(el("span", newest ? "not verified recently · " : "not yet verified · ", "stale"));
    var link = el("a", "Full history and sources");
    link.href = data.page_url;
    link.target = "_top";
    meta.appendChild(link);
    root.replaceChildren(el("style", style), wrap, meta);
  }

  class MailkbSettings extends HTMLElement {
    connectedCallback() {
      var id = this.getAttribute("provider");
      if (!id || this.shadowRoot) return;
      var root = this.attachShadow({ mode: "open" });
      root.appendChild(el("slot")); // the fallback link shows until the data arrives
      var protocol = this.getAttribute("protocol");
      fetch(new URL("../api/v1/providers/" + encodeURIComponent(id) + ".json", base))
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(function (data) { render(root, data, protocol); })
        .catch(function () { /* keep the fallback link */ });
    }
  }
  if (!customElements.get("mailkb-settings")) customElements.define("mailkb-settings", MailkbSettings);
})();
