/* The admin's widget set-up calls, made from this file instead of inline scripts.
 * site/pingan/admin_scripts.py turns each known inline script into
 * <span hidden data-admin-init='{"call": ..., "new": ..., "args": [...]}'>; this calls the
 * same allow-listed function once per span: those on the page now and those the admin
 * inserts later (new inline-panel rows, teleported dialogs). */
(function () {
  "use strict";
  var CALLABLES = {
    ImageChooser: true, DocumentChooser: true, PageChooser: true, SnippetChooser: true,
    Chooser: true, InlinePanel: true, MultipleChooserPanel: true,
    initDateChooser: false, initTimeChooser: false, initDateTimeChooser: false,
    createTaskChooser: false, createMediaChooser: false
  };

  function run(span) {
    if (span.adminInitDone) return;
    span.adminInitDone = true;
    var spec;
    try { spec = JSON.parse(span.getAttribute("data-admin-init")); } catch (e) { return; }
    var fn = window[spec.call];
    if (CALLABLES[spec.call] !== spec.new || typeof fn !== "function") return;
    var args = [null].concat(spec.args);
    if (spec.new) new (Function.prototype.bind.apply(fn, args))();
    else fn.apply(window, spec.args);
  }

  function scan(root) {
    if (root.nodeType !== 1) return;
    if (root.hasAttribute("data-admin-init")) run(root);
    root.querySelectorAll("[data-admin-init]").forEach(run);
  }

  scan(document.documentElement);
  new MutationObserver(function (mutations) {
    mutations.forEach(function (m) { m.addedNodes.forEach(scan); });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
