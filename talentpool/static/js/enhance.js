/* Small enhancements; every page works without them (CSP: no inline script).
   - <button data-copy="ID" hidden>: shown, copies the value of the field #ID.
   - <input type="checkbox" data-select-all="NAME"> inside a hidden wrapper: the wrapper is
     shown; the box (un)checks every checkbox named NAME in the same form. */
(function () {
  "use strict";

  function copyField(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    var status = document.querySelector('[data-copy-status="' + field.id + '"]');
    function done() {
      if (status) { status.textContent = button.getAttribute("data-copied") || "OK"; }
    }
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (document.execCommand("copy")) { done(); }
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  }

  function selectAll(box) {
    var form = box.form;
    var name = box.getAttribute("data-select-all");
    if (!form) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox" && el.name === name && !el.disabled) { el.checked = box.checked; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copyField(button); });
    });
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      var wrapper = box.closest("[hidden]");
      if (wrapper) { wrapper.hidden = false; }
      box.addEventListener("change", function () { selectAll(box); });
    });
  });
})();
