// Server-sent events for a watched run: each `change` makes htmx reload the parts that listen
// for `sse-change`; `end` closes the stream (a finished run changes no more).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-sse]").forEach(function (el) {
    var source = new EventSource(el.dataset.sse);
    source.addEventListener("change", function () { htmx.trigger(el, "sse-change"); });
    source.addEventListener("end", function () { source.close(); htmx.trigger(el, "sse-change"); });
  });
});
