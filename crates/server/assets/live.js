// folio serve: live reload. Injected into served HTML pages only (never into `folio build`
// output). Listens to /__folio/events (Server-Sent Events):
//   reload {pages: [url…]}  reload this page if its URL is listed ("*" = every page)
//   css                      re-fetch the stylesheets with a cache-busting query
//   errors {html}            show the overlay with the build's diagnostics
//   ok                       remove the overlay
//   built {generation, …}    a build ended (the editor lists its problems in its own panel,
//                            so in the editor no overlay is shown)
// The scroll position survives a reload (sessionStorage). In the editor, a reload waits while
// text typed into it is not saved (`FolioEditor.holdsReload`).
(function () {
  "use strict";
  var script = document.currentScript;
  // The output file this document was served from (for a 404, `/404.html`).
  var PAGE = (script && script.getAttribute("data-page")) || location.pathname;
  var NOT_FOUND = !!(script && script.hasAttribute("data-not-found"));
  var KEY = "folio-scroll:" + location.pathname;
  var OVERLAY = "__folio_overlay";

  function restoreScroll() {
    var saved = null;
    try { saved = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (e) { /* storage disabled */ }
    if (!saved) return;
    var pos = JSON.parse(saved);
    var apply = function () { window.scrollTo(pos[0], pos[1]); };
    apply();
    window.addEventListener("load", apply, { once: true });
  }

  function reload() {
    try { sessionStorage.setItem(KEY, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) { /* storage disabled */ }
    location.reload();
  }

  function samePath(url) {
    return url === "*" || url === PAGE || (NOT_FOUND && url === "/404.html");
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("folio", String(Date.now()));
      var next = link.cloneNode();
      next.href = url.pathname + url.search;
      next.addEventListener("load", function () { this.previous.remove(); }, { once: true });
      next.previous = link;
      link.after(next);
    }
  }

  function showOverlay(html) {
    removeOverlay();
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var overlay = holder.firstElementChild;
    if (overlay) document.body.appendChild(overlay);
  }

  function removeOverlay() {
    var overlay = document.getElementById(OVERLAY);
    if (overlay) overlay.remove();
  }

  function data(event) {
    try { return JSON.parse(event.data); } catch (e) { return {}; }
  }

  restoreScroll();
  var source = new EventSource("/__folio/events");
  source.addEventListener("reload", function (event) {
    var pages = data(event).pages || [];
    for (var i = 0; i < pages.length; i++) {
      if (!samePath(pages[i])) continue;
      // The editor (`serve --edit`) holds the reload while text typed into it is not saved.
      var editor = window.FolioEditor;
      if (editor && editor.holdsReload && editor.holdsReload()) { editor.reloadWaiting(); return; }
      reload();
      return;
    }
  });
  source.addEventListener("css", swapStylesheets);
  function inEditor() { return !!(window.FolioEditor && window.FolioEditor.built); }
  source.addEventListener("errors", function (event) { if (!inEditor()) showOverlay(data(event).html || ""); });
  source.addEventListener("ok", removeOverlay);
  source.addEventListener("built", function (event) { if (inEditor()) window.FolioEditor.built(data(event)); });
  window.addEventListener("beforeunload", function () { source.close(); });
})();
