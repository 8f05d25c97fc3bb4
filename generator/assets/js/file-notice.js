// The published site is made for a web server: opened from the file system, its links open folders
// and its search cannot load. Say so at the top of the page, and how to open it instead. The offline
// copy (briefing build --offline) loads the iframe-worker shim, which defines IFrameWorker: no notice there.
(function () {
  "use strict";
  if (location.protocol !== "file:" || window.IFrameWorker) {
    return;
  }
  var note = document.createElement("div");
  note.className = "briefing-file-notice";
  note.setAttribute("role", "note");
  // Styled here rather than in briefing.css: the notice must show even where that sheet did not load.
  note.style.cssText = "padding:.6rem 1rem;background:#fff3cd;color:#3d2f00;font:0.8rem/1.4 sans-serif;" +
    "border-bottom:1px solid #e0c060";
  note.textContent = "This copy of the site is made for a web server: opened as a file, its links open " +
    "folders and search does not work. Run `briefing serve` and open the address it prints, or run " +
    "`briefing build --offline` and open site-offline/index.html.";
  document.body.insertBefore(note, document.body.firstChild);
  var box = document.querySelector("input.md-search__input");
  if (box) {
    box.placeholder = "Search needs a served site";
    box.disabled = true;
  }
})();
