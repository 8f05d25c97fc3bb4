/* Keeps Mermaid local and lazy on every page, hand-written ones included.
 * Material for MkDocs fetches Mermaid from a CDN unless a global `mermaid` exists, and then calls
 * only mermaid.initialize(config) and mermaid.render(id, text). This stand-in records the config
 * and, on the first render, loads the vendored mermaid.min.js from beside this file; so pages
 * without diagrams load nothing, and no page loads anything from another host. */
(function () {
  "use strict";
  if (typeof window.mermaid !== "undefined") { return; }
  var src = new URL("../vendor/mermaid/mermaid.min.js", document.currentScript.src).href;
  var config = null;
  var loading = null;
  var shim = {
    initialize: function (c) { config = c; },
    render: function (id, text) { return load().then(function (m) { return m.render(id, text); }); }
  };
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () {
          var real = window.mermaid;
          if (!real || real === shim) { reject(new Error("mermaid.min.js did not define mermaid")); return; }
          if (config) { real.initialize(config); }
          resolve(real);
        };
        s.onerror = function () { reject(new Error("could not load " + src)); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }
  window.mermaid = shim;
})();
