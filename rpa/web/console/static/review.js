// The review pages (task.html, inbox.html): a field and its boxes light up together, zoom on
// the page image, and keyboard shortcuts (listed on the page: `?`). A single-key shortcut
// never fires while the reviewer types in a field; Ctrl+Enter (a modifier) does.
(function () {
  "use strict";
  var ZOOM_STEP = 1.25, ZOOM_MIN = 1, ZOOM_MAX = 6;
  var zoom = 1, sent = false;

  function typing(el) {
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function light(ref, on) {
    document.querySelectorAll('[data-ref="' + ref + '"]').forEach(function (el) {
      el.classList.toggle("hl", on);
    });
  }

  function linkFieldsAndBoxes() {
    document.querySelectorAll("[data-ref]").forEach(function (el) {
      var ref = el.dataset.ref;
      if (!ref) { return; }
      el.addEventListener("mouseenter", function () { light(ref, true); });
      el.addEventListener("mouseleave", function () { light(ref, false); });
      el.addEventListener("focusin", function () { light(ref, true); });
      el.addEventListener("focusout", function () { light(ref, false); });
    });
    document.querySelectorAll("rect[data-ref]").forEach(function (box) {
      box.addEventListener("click", function () { goToField(box.dataset.ref); });
    });
  }

  function goToField(ref) {
    var control = document.getElementById("fld-" + ref);
    if (!control) { return; }
    var folded = control.closest("details");
    if (folded) { folded.open = true; }
    focusAtEnd(control);
  }

  function setZoom(value) {
    var frame = document.querySelector("[data-zoom-frame]");
    if (!frame) { return; }
    zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, value));
    frame.querySelectorAll("svg").forEach(function (svg) { svg.style.width = (zoom * 100) + "%"; });
    frame.classList.toggle("zoomed", zoom > 1);
  }

  var ZOOMS = { "in": function () { setZoom(zoom * ZOOM_STEP); },
                "out": function () { setZoom(zoom / ZOOM_STEP); },
                "fit": function () { setZoom(1); } };

  function press(action) {
    var button = document.querySelector('button[data-action="' + action + '"]');
    if (!button || sent) { return; }
    sent = true;  // one answer per page: a second key press must not post it again
    button.click();
  }

  function moveField(step) {
    var fields = Array.prototype.slice.call(document.querySelectorAll(
      "#review-form > .field input, #review-form > .field select, #review-form > .field textarea"));
    if (!fields.length) { return; }
    var at = fields.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : fields.length - 1) : (at + step + fields.length) % fields.length;
    focusAtEnd(fields[next]);
  }

  function focusAtEnd(control) {
    control.focus();
    if (/^(text|search)$/.test(control.type || "") || control.tagName === "TEXTAREA") {
      control.setSelectionRange(control.value.length, control.value.length);  // to correct, not retype
    }
  }

  function toggleHelp() {
    var dialog = document.getElementById("shortcuts");
    if (!dialog) { return; }
    if (dialog.open) { dialog.close(); } else { dialog.showModal(); }
  }

  function openFirstTask() {
    var first = document.querySelector('#inbox-list a[href^="/console/tasks/"]');
    if (first) { window.location.assign(first.href); }
  }

  // single keys, only when the reviewer is not typing
  var KEYS = {
    "a": function () { press("accept"); },
    "r": function () { var reason = document.getElementById("reason"); if (reason) { reason.focus(); } },
    "j": function () { moveField(1); },
    "k": function () { moveField(-1); },
    "+": ZOOMS["in"], "=": ZOOMS["in"], "-": ZOOMS.out, "0": ZOOMS.fit,
    "?": toggleHelp,
    "o": openFirstTask
  };

  function onKey(event) {
    var active = document.activeElement;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      if (!document.getElementById("review-form")) { return; }
      event.preventDefault();
      press(active && active.id === "reason" ? "reject" : "accept");
      return;
    }
    if (event.key === "Escape" && typing(active)) { active.blur(); return; }
    if (typing(active) || event.ctrlKey || event.altKey || event.metaKey) { return; }
    var handler = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (handler) { event.preventDefault(); handler(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    linkFieldsAndBoxes();
    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", ZOOMS[button.dataset.zoom]);
    });
    document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
      button.addEventListener("click", toggleHelp);
    });
    var form = document.getElementById("review-form");
    if (form) { form.addEventListener("submit", function () { sent = true; }); }
    document.addEventListener("keydown", onKey);
  });
}());
