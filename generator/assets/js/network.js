/* The network page: draws data/network.json with the vendored Cytoscape.js and its fCoSE layout.
 * Labels are drawn on a canvas as text, never parsed as HTML; names reach the page's controls only
 * through DOM properties (option.value, textContent). Node URLs in the JSON are relative to the site
 * root, which is the folder above the JSON file.
 *
 * Readable at 150 nodes: fCoSE pulls clusters apart; the labels of the most connected nodes are
 * always shown and pushed apart until they do not overlap; the others show on hover, on focus or
 * when zoomed in. Filters hide kinds and rarely named nodes; the find box and the arrow keys move
 * a focus from node to node, and Enter opens the focused node's page. */
(function () {
  "use strict";

  var COLORS = { actor: "#3f51b5", weapon: "#ef6c00", concern: "#c62828" };
  var HUBS = 25;            // this many of the most connected nodes keep their label at every zoom
  var ZOOM_LABELS = 1.8;    // zoomed in this far beyond the whole-network view, every label shows
  var SCREEN_FONT = 12;     // px on screen of a label at the whole-network view
  var LABEL_GAP = 4;        // model units kept between two always-shown labels

  function labelBox(n) {
    return n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
  }

  /* Push apart the nodes whose always-shown labels overlap: a few passes of moving each overlapping
   * pair apart along the axis where they overlap least. Deterministic: same order, same moves. */
  function spreadLabels(nodes) {
    for (var pass = 0; pass < 200; pass++) {
      var moved = false;
      var boxes = nodes.map(labelBox);
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = boxes[i], b = boxes[j];
          var ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + LABEL_GAP;
          var oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + LABEL_GAP;
          if (ox <= 0 || oy <= 0) { continue; }
          var pa = nodes[i].position(), pb = nodes[j].position();
          var dx = 0, dy = 0;
          if (ox < oy) { dx = (pa.x <= pb.x ? -1 : 1) * ox / 2; } else { dy = (pa.y <= pb.y ? -1 : 1) * oy / 2; }
          nodes[i].position({ x: pa.x + dx, y: pa.y + dy });
          nodes[j].position({ x: pb.x - dx, y: pb.y - dy });
          boxes[i] = labelBox(nodes[i]);
          boxes[j] = labelBox(nodes[j]);
          moved = true;
        }
      }
      if (!moved) { return; }
    }
  }

  function draw(el, data, root) {
    var maxBriefings = 1, maxWeight = 1, degree = {};
    data.nodes.forEach(function (n) { maxBriefings = Math.max(maxBriefings, n.briefings); degree[n.id] = 0; });
    data.edges.forEach(function (e) {
      maxWeight = Math.max(maxWeight, e.weight);
      degree[e.source] += 1;
      degree[e.target] += 1;
    });
    // Most connected first (then most named, then by name): the order of hubs and of the arrow keys.
    var ranked = data.nodes.slice().sort(function (a, b) {
      return degree[b.id] - degree[a.id] || b.briefings - a.briefings || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    });
    var rank = {};
    ranked.forEach(function (n, i) { rank[n.id] = i; });
    var count = data.nodes.length || 1;
    var elements = data.nodes.map(function (n, i) {
      // A fixed start on a circle makes the layout the same on every visit.
      var angle = (2 * Math.PI * i) / count;
      return {
        group: "nodes",
        classes: rank[n.id] < HUBS ? "hub" : "",
        data: { id: n.id, label: n.label.length > 40 ? n.label.slice(0, 39) + "\u2026" : n.label, name: n.label,
                kind: n.kind, url: n.url, briefings: n.briefings, degree: degree[n.id], rank: rank[n.id],
                size: 14 + 26 * Math.sqrt(n.briefings / maxBriefings) },
        position: { x: 300 * Math.cos(angle), y: 300 * Math.sin(angle) }
      };
    }).concat(data.edges.map(function (e, i) {
      return { group: "edges", data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight,
                                       width: 1 + 5 * (e.weight / maxWeight) } };
    }));
    if (window.cytoscapeFcose && !cytoscape.__briefingFcose) {
      cytoscape.use(window.cytoscapeFcose);
      cytoscape.__briefingFcose = true;
    }
    var cy = cytoscape({
      container: el,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "label": "", "width": "data(size)", "height": "data(size)",
          "background-color": function (n) { return COLORS[n.data("kind")] || "#757575"; },
          "font-size": 12, "color": "#212121", "text-valign": "bottom", "text-margin-y": 2,
          "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
          "min-zoomed-font-size": 0 } },
        { selector: "node.hub, node.labelled, node.hover, node.focused", style: { "label": "data(label)" } },
        // A shown label is drawn above the other nodes, not hidden under them.
        { selector: "node.hub", style: { "z-index": 5 } },
        { selector: "node.hover, node.focused", style: { "z-index": 10, "font-weight": "bold" } },
        { selector: "node.filtered", style: { "display": "none" } },
        { selector: "edge", style: { "width": "data(width)", "line-color": "#bdbdbd", "opacity": 0.7,
                                     "curve-style": "haystack" } },
        // A dark ring inside a light one: the focus shows on the light and on the dark palette.
        { selector: "node.focused, node:active, node:selected", style: {
          "border-width": 3, "border-color": "#212121", "outline-width": 3, "outline-color": "#ffffff" } }
      ]
    });
    var hubs = cy.nodes(".hub").sort(function (a, b) { return a.data("rank") - b.data("rank"); });
    var layout = cy.layout(window.cytoscapeFcose ? {
      name: "fcose", quality: "proof", randomize: false, animate: false, fit: true, padding: 24,
      nodeDimensionsIncludeLabels: true, packComponents: true, nodeRepulsion: function () { return 30000; },
      // Lines of many shared briefings are short and stiff, so groups that are often named together
      // pull into clusters and a single shared briefing does not drag two clusters together.
      idealEdgeLength: function (e) { return 40 + 160 / e.data("weight"); },
      edgeElasticity: function (e) { return 0.1 * e.data("weight"); },
      nodeSeparation: 90, numIter: 2500, gravity: 0.25, gravityRange: 3.8
    } : { name: "cose", randomize: false, animate: false, fit: true, numIter: 1500 });
    layout.one("layoutstop", function () {
      // Labels a reader can read at the whole-network view: sized for the screen, then kept apart.
      var font = Math.max(12, SCREEN_FONT / cy.zoom());
      cy.style().selector("node").style("font-size", font).update();
      spreadLabels(hubs.toArray());
      cy.fit(undefined, 24);
      var fitZoom = cy.zoom();
      cy.on("zoom", function () {
        var all = cy.zoom() >= fitZoom * ZOOM_LABELS;
        cy.batch(function () { cy.nodes().toggleClass("labelled", all); });
      });
      controls(el, cy, root);
      el.setAttribute("data-nodes", String(cy.nodes().length));
      el.setAttribute("data-edges", String(cy.edges().length));
      el.setAttribute("data-hubs", String(hubs.length));
    });
    cy.on("tap", "node", function (evt) { open(evt.target, root); });
    cy.on("mouseover", "node", function (evt) { evt.target.addClass("hover"); });
    cy.on("mouseout", "node", function (evt) { evt.target.removeClass("hover"); });
    window.briefingNetwork = cy;
    layout.run();
  }

  function open(node, root) {
    window.location.href = new URL(node.data("url"), root).href;
  }

  function describe(n) {
    var b = n.data("briefings"), d = n.data("degree");
    return n.data("name") + ", " + n.data("kind") + ", " + b + " briefing" + (b === 1 ? "" : "s") + ", " + d +
      " connection" + (d === 1 ? "" : "s") + ". Enter opens its page; arrow keys move to the next node.";
  }

  /* The find box, the filters and the keyboard: one focused node at a time. */
  function controls(el, cy, root) {
    var status = document.getElementById("network-status");
    var find = document.getElementById("network-find");
    var names = document.getElementById("network-names");
    var minBox = document.getElementById("network-min");
    var kinds = Array.prototype.slice.call(document.querySelectorAll("input[data-network-kind]"));
    var focused = null;

    function say(text) { if (status) { status.textContent = text; } }

    function visibleOrder() {
      return cy.nodes().filter(function (n) { return !n.hasClass("filtered"); })
        .sort(function (a, b) { return a.data("rank") - b.data("rank"); });
    }

    function focusNode(n) {
      if (focused) { focused.removeClass("focused"); }
      focused = n;
      n.addClass("focused");
      cy.zoom({ level: Math.max(cy.zoom(), 1), renderedPosition: n.renderedPosition() });
      cy.center(n);
      el.setAttribute("data-focused", n.id());
      say(describe(n));
    }

    function step(by) {
      var order = visibleOrder();
      if (!order.length) { return; }
      var at = focused ? order.indexOf(focused) : -1;
      focusNode(order[(at + by + order.length) % order.length]);
    }

    if (names) {
      cy.nodes().sort(function (a, b) { return a.data("name") < b.data("name") ? -1 : 1; }).forEach(function (n) {
        var option = document.createElement("option");
        option.value = n.data("name");
        names.appendChild(option);
      });
    }

    function match(text) {
      var q = text.trim().toLowerCase();
      if (!q) { return null; }
      var order = visibleOrder().toArray();
      var tests = [function (s) { return s === q; }, function (s) { return s.indexOf(q) === 0; },
                   function (s) { return s.indexOf(q) >= 0; }];
      for (var t = 0; t < tests.length; t++) {
        for (var i = 0; i < order.length; i++) {
          if (tests[t](order[i].data("name").toLowerCase())) { return order[i]; }
        }
      }
      return null;
    }

    if (find) {
      find.addEventListener("keydown", function (evt) {
        if (evt.key !== "Enter") { return; }
        evt.preventDefault();
        var n = match(find.value);
        if (n) { focusNode(n); el.focus(); } else { say("No shown node is named like \u201c" + find.value + "\u201d."); }
      });
    }

    function applyFilters() {
      var shown = {};
      kinds.forEach(function (box) { shown[box.getAttribute("data-network-kind")] = box.checked; });
      var least = Math.max(1, parseInt(minBox && minBox.value, 10) || 1);
      cy.batch(function () {
        cy.nodes().forEach(function (n) {
          n.toggleClass("filtered", shown[n.data("kind")] === false || n.data("briefings") < least);
        });
      });
      if (focused && focused.hasClass("filtered")) { focused.removeClass("focused"); focused = null; }
      var left = cy.nodes().filter(function (n) { return !n.hasClass("filtered"); }).length;
      say(left + " of " + cy.nodes().length + " nodes shown.");
    }
    kinds.forEach(function (box) { box.addEventListener("change", applyFilters); });
    if (minBox) {
      var most = 1;
      cy.nodes().forEach(function (n) { most = Math.max(most, n.data("briefings")); });
      minBox.max = String(most);
      minBox.addEventListener("input", applyFilters);
    }

    el.addEventListener("keydown", function (evt) {
      if (evt.key === "ArrowRight" || evt.key === "ArrowDown") {
        step(1);
      } else if (evt.key === "ArrowLeft" || evt.key === "ArrowUp") {
        step(-1);
      } else if (evt.key === "Enter" && focused) {
        open(focused, root);
      } else {
        return;
      }
      evt.preventDefault();
    });
    el.addEventListener("focus", function () {
      if (!focused) { step(1); } else { say(describe(focused)); }
    });
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
