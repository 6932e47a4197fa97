/* Behaviour without inline script (the Content Security Policy forbids it). */
document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
  el.addEventListener("change", function () { el.form.submit(); });
});
