// copy.js: a Copy button beside every server name, port and code block.
// Progressive enhancement: the buttons are made here, so a page read
// without JavaScript has none that do nothing. Copy targets are elements
// marked data-copy="value", code alone in a table cell, and <pre> blocks.
(function () {
  "use strict";
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  // write puts text on the clipboard: the async Clipboard API where the
  // page is a secure context, else a selected textarea and execCommand.
  function write(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function button(text, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy";
    b.textContent = "Copy";
    b.setAttribute("aria-label", "Copy " + label);
    b.addEventListener("click", function () {
      write(text).then(function () {
        // data-copied records what was copied, for readers of the DOM
        // (and tests) that cannot read the clipboard.
        b.setAttribute("data-copied", text);
        b.textContent = "Copied";
        status.textContent = "Copied " + label;
      }, function () {
        b.textContent = "Select and copy";
      });
      setTimeout(function () { b.textContent = "Copy"; }, 2000);
    });
    return b;
  }

  var done = [];
  function seen(el) {
    if (done.indexOf(el) >= 0) { return true; }
    done.push(el);
    return false;
  }

  var marked = document.querySelectorAll("[data-copy]");
  for (var i = 0; i < marked.length; i++) {
    var el = marked[i];
    seen(el);
    seen(el.querySelector("code"));
    var value = el.getAttribute("data-copy");
    el.insertAdjacentElement("afterend", button(value, value));
  }
  // A wrong or retired value in a table (an erratum) is marked nocopy.
  var cells = document.querySelectorAll("main td > code:only-child:not(.nocopy)");
  for (var j = 0; j < cells.length; j++) {
    var code = cells[j];
    if (seen(code)) { continue; }
    var text = code.textContent.trim();
    code.insertAdjacentElement("afterend", button(text, text));
  }
  var blocks = document.querySelectorAll("main pre");
  for (var k = 0; k < blocks.length; k++) {
    var pre = blocks[k];
    var wrap = document.createElement("div");
    wrap.className = "code-wrap";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var b = button(pre.textContent.replace(/\n$/, ""), "code block");
    b.classList.add("copy-block");
    wrap.appendChild(b);
  }
})();
