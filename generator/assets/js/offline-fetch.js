// The offline copy (briefing build --offline) only: a browser refuses fetch() to a page opened from
// the file system, so the JSON a page fetches (the network's data) also ships as a script beside it
// (data/network.json.js), which a <script> tag may load from a file. This answers such a fetch from it.
(function () {
  "use strict";
  if (location.protocol !== "file:" || !window.fetch) {
    return;
  }
  var store = window.__briefingOffline = window.__briefingOffline || {};
  var fetchOver = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var href = new URL(typeof input === "string" ? input : input.url, location.href).href;
    if (!/\.json$/.test(href)) {
      return fetchOver(input, init);
    }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = href + ".js";
      script.onload = function () {
        if (!(href in store)) {
          reject(new Error("no offline copy of " + href));
          return;
        }
        resolve(new Response(JSON.stringify(store[href]), {
          status: 200, headers: { "Content-Type": "application/json" } }));
      };
      script.onerror = function () { reject(new Error("no offline copy of " + href)); };
      document.head.appendChild(script);
    });
  };
})();
