/* The network page: draws data/network.json with the vendored Cytoscape.js.
 * Labels are drawn on a canvas as text, never parsed as HTML. Node URLs in the JSON are relative to
 * the site root, which is the folder above the JSON file. */
(function () {
  "use strict";

  var COLORS = { actor: "#3f51b5", weapon: "#ef6c00", concern: "#c62828" };

  function draw(el, data, root) {
    var maxBriefings = 1, maxWeight = 1;
    data.nodes.forEach(function (n) { maxBriefings = Math.max(maxBriefings, n.briefings); });
    data.edges.forEach(function (e) { maxWeight = Math.max(maxWeight, e.weight); });
    var count = data.nodes.length || 1;
    var elements = data.nodes.map(function (n, i) {
      // A fixed start on a circle makes the layout the same on every visit.
      var angle = (2 * Math.PI * i) / count;
      return {
        group: "nodes",
        data: { id: n.id, label: n.label.length > 40 ? n.label.slice(0, 39) + "\u2026" : n.label,
                kind: n.kind, url: n.url,
                size: 14 + 26 * Math.sqrt(n.briefings / maxBriefings) },
        position: { x: 300 * Math.cos(angle), y: 300 * Math.sin(angle) }
      };
    }).concat(data.edges.map(function (e, i) {
      return { group: "edges", data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight,
                                       width: 1 + 5 * (e.weight / maxWeight) } };
    }));
    var cy = cytoscape({
      container: el,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "label": "data(label)", "width": "data(size)", "height": "data(size)",
          "background-color": function (n) { return COLORS[n.data("kind")] || "#757575"; },
          "font-size": 10, "color": "#424242", "text-valign": "bottom", "text-margin-y": 2,
          // Labels appear as the reader zooms in, so a dense graph is not a smear of text.
          "min-zoomed-font-size": 8 } },
        { selector: "edge", style: { "width": "data(width)", "line-color": "#bdbdbd", "opacity": 0.7,
                                     "curve-style": "haystack" } },
        { selector: "node:active, node:selected", style: { "border-width": 3, "border-color": "#212121" } }
      ],
      layout: { name: "cose", randomize: false, animate: false, nodeRepulsion: 400000, idealEdgeLength: 100,
                nodeOverlap: 20, gravity: 40, numIter: 1500, componentSpacing: 80 }
    });
    cy.on("tap", "node", function (evt) {
      window.location.href = new URL(evt.target.data("url"), root).href;
    });
    el.setAttribute("data-nodes", String(cy.nodes().length));
    el.setAttribute("data-edges", String(cy.edges().length));
    window.briefingNetwork = cy;
  }

  function init() {
    var el = document.getElementById("briefing-network");
    if (!el || el.getAttribute("data-ready")) { return; }
    el.setAttribute("data-ready", "1");
    var src = new URL(el.getAttribute("data-src"), window.location.href);
    var root = new URL("../", src);
    fetch(src.href)
      .then(function (r) {
        if (!r.ok) { throw new Error("network data: HTTP " + r.status); }
        return r.json();
      })
      .then(function (data) {
        if (!data.nodes.length) {
          el.textContent = "No actors or weapons yet.";
          return;
        }
        draw(el, data, root);
      })
      .catch(function (err) {
        el.textContent = "The network could not be drawn: " + err.message;
        console.error(err);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
