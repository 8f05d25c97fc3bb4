// Pagefind search in Material's header, in place of the lunr search box (setting `search: pagefind`).
// Everything loads from this site: the Pagefind bundles sit in <site>/pagefind/, two folders up
// from this script, so it works at any base path without knowing site_url.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../../", script.src);
  var bundle = new URL("pagefind/", root);

  function add(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
    document.head.appendChild(el);
    return el;
  }

  function mount() {
    var header = document.querySelector(".md-header__inner") || document.body;
    var box = document.createElement("div");
    box.id = "briefing-search";
    box.className = "briefing-search";
    var source = header.querySelector(".md-header__source");
    header.insertBefore(box, source);
    if (location.protocol === "file:") {
      // Pagefind fetches its index, which a browser refuses to a page opened from the file system.
      box.textContent = "Search needs a served site: run briefing serve";
      return;
    }
    add("link", { rel: "stylesheet", href: new URL("pagefind-ui.css", bundle).href });
    // The index is in shards, one Pagefind bundle each (generator/search.py); shards.json names them,
    // the first being the primary index whose scripts run the search, the others merged into it.
    var shards = fetch(new URL("shards.json", bundle).href).then(function (r) {
      if (!r.ok) throw new Error("no search index: " + r.status);
      return r.json();
    });
    var ui = new Promise(function (resolve, reject) {
      var js = add("script", { src: new URL("pagefind-ui.js", bundle).href });
      js.onload = resolve;
      js.onerror = reject;
    });
    Promise.all([shards, ui]).then(function (got) {
      var paths = got[0].bundles.map(function (name) { return new URL(name + "/", bundle).pathname; });
      // eslint-disable-next-line no-undef
      new PagefindUI({
        element: "#briefing-search",
        bundlePath: paths[0],
        baseUrl: root.pathname,
        mergeIndex: paths.slice(1).map(function (p) { return { bundlePath: p, baseUrl: root.pathname }; }),
        showSubResults: false,
        showImages: false,
        resetStyles: false,
        pageSize: 8,
        debounceTimeoutMs: 100, // the default 300 ms is a fifth of the 2 s budget for a first answer
        translations: { placeholder: "Search briefings, actors, weapons" },
      });
    }).catch(function () {
      box.textContent = "Search is not available: the search index was not built (run briefing build)";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
