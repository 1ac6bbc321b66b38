/* wagtailmedia's "add media" page: an empty title takes the chosen file's name (the same
 * behaviour as wagtailmedia's inline script, from a file for the Content-Security-Policy). */
(function () {
  "use strict";
  var fileWidget = document.getElementById("id_file");
  var titleWidget = document.getElementById("id_title");
  if (!fileWidget || !titleWidget) return;
  fileWidget.addEventListener("change", function () {
    if (titleWidget.value === "") {
      var parts = fileWidget.value.split("\\");
      titleWidget.value = parts[parts.length - 1].replace(/\.[^.]+$/, "");
    }
  });
})();
