// Keeps the portal's "opens in …" countdown current without a reload. The server renders
// the same text, so the page reads correctly without JavaScript.
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown-to]");
  if (!box) return;
  var target = Date.parse(box.getAttribute("data-countdown-to"));
  var out = box.querySelector(".countdown-value");
  if (!out || isNaN(target)) return;
  function render() {
    var left = Math.max(0, target - Date.now());
    var minutes = Math.floor(left / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    out.textContent =
      days + " " + box.getAttribute("data-label-days") + " " +
      hours + " " + box.getAttribute("data-label-hours") + " " +
      (minutes % 60) + " " + box.getAttribute("data-label-minutes");
    if (left > 0) setTimeout(render, 30000);
  }
  render();
})();
