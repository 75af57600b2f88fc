// xiezuo: script only enhances; every page works without it.
(function () {
  "use strict";
  // Filter forms submit when a choice changes, so the button can be skipped.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); });
  });
  // The year and district switcher reloads the page with the new choice.
  document.querySelectorAll("form.switch select").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Buttons that change data ask first when they carry data-confirm.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (ev) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
    });
  });
  // A refused form comes back at its POST address: show its message at once, and put the
  // page's own address back so that reloading or switching district reads the page (data-land).
  var land = document.querySelector("[data-land]");
  if (land) {
    if (window.history && history.replaceState) { history.replaceState(null, "", land.getAttribute("data-land") + "#report-form"); }
    land.scrollIntoView({ block: "center" });
    land.focus({ preventScroll: true });
  }
  // Folded details print unfolded: open them before printing and fold them back after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
