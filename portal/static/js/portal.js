/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  /* Quick exit: leave for the neutral site and replace this history entry,
     so "back" does not return here. Escape pressed twice does the same. */
  function leave(url) {
    try { document.body.innerHTML = ""; document.title = ""; } catch (e) { /* ignore */ }
    window.location.replace(url);
  }
  var exit = document.querySelector("[data-quick-exit]");
  if (exit) {
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      leave(exit.href);
    });
    var lastEscape = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" && event.key !== "Esc") { return; }
      var now = Date.now();
      if (now - lastEscape < 1500) { leave(exit.href); }
      lastEscape = now;
    });
  }

  /* DKFDS behaviour (error summary focus and links, menus). */
  document.addEventListener("DOMContentLoaded", function () {
    if (window.DKFDS && typeof window.DKFDS.init === "function") { window.DKFDS.init(); }
    var summary = document.querySelector("[data-module='error-summary']");
    if (summary) { summary.focus(); }
  });
})();
