// Upload forms with a progress bar (XMLHttpRequest upload progress) on slow mobile
// connections. An interrupted upload is restarted by pressing the button again; the form
// keeps the chosen file. Without JavaScript the form posts as a plain form.
(function () {
  "use strict";
  var script = document.currentScript;
  var text = function (name) { return script.getAttribute("data-" + name); };

  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var bar = form.querySelector(".upload-progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.hidden = false;
        bar.value = percent;
        status.textContent = text("sending").replace("%(percent)s", percent);
      });
      request.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(request.responseText); } catch (e) { /* not JSON */ }
        button.disabled = false;
        if (request.status === 201) {
          status.textContent = body.message || text("done");
          window.location.reload();
        } else if (body.errors) {
          bar.hidden = true;
          status.textContent = body.errors.join(" ");
          status.className = "upload-status failed";
        } else {
          status.textContent = text("failed");
        }
      });
      var failed = function () {
        button.disabled = false;
        status.textContent = text("failed");
        status.className = "upload-status failed";
      };
      request.addEventListener("error", failed);
      request.addEventListener("abort", failed);
      request.addEventListener("timeout", failed);
      button.disabled = true;
      status.className = "upload-status";
      request.send(new FormData(form));
    });
  });
})();
