// Server-sent events for a watched run: each `change` makes htmx reload the parts that listen
// for `sse-change`; `end` closes the stream (a finished run changes no more).
//
// A reload never lands under a pressed pointer: if the part holding the pressed link is
// replaced between press and release, the two land on different elements and the browser
// drops the click, so a link pressed as a change came in did nothing (seen on a busy store,
// and under load in the dashboard's test). Such a reload is held, and asked again on release,
// after the click has gone to the element that was pressed.
(function () {
  "use strict";
  var pressed = null, held = new Map();  // the element under the pointer; part -> its held path

  function release() {
    pressed = null;
    held.forEach(function (path, part) {
      if (document.body.contains(part)) { htmx.ajax("get", path, { source: part }); }
    });
    held.clear();
  }

  document.addEventListener("pointerdown", function (event) { pressed = event.target; }, true);
  document.addEventListener("pointerup", function () { setTimeout(release, 0); }, true);
  document.addEventListener("pointercancel", release, true);
  window.addEventListener("blur", release);
  document.addEventListener("htmx:beforeSwap", function (event) {
    var request = event.detail.requestConfig;
    if (pressed && request.verb === "get" && event.detail.target.contains(pressed)) {
      event.detail.shouldSwap = false;
      held.set(request.elt, request.path);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-sse]").forEach(function (el) {
      var source = new EventSource(el.dataset.sse);
      source.addEventListener("change", function () { htmx.trigger(el, "sse-change"); });
      source.addEventListener("end", function () { source.close(); htmx.trigger(el, "sse-change"); });
    });
  });
})();
