// Pagefind search in Material's header, in place of the lunr search box (setting `search: pagefind`).
// Everything loads from this site: the Pagefind bundle sits in <site>/pagefind/, two folders up
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
    var js = add("script", { src: new URL("pagefind-ui.js", bundle).href });
    js.onload = function () {
      // eslint-disable-next-line no-undef
      new PagefindUI({
        element: "#briefing-search",
        bundlePath: bundle.pathname,
        baseUrl: root.pathname,
        showSubResults: false,
        showImages: false,
        resetStyles: false,
        pageSize: 8,
        debounceTimeoutMs: 100, // the default 300 ms is a fifth of the 2 s budget for a first answer
        translations: { placeholder: "Search briefings, actors, weapons" },
      });
    };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
