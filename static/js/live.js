// Live coverage: fetch the entries changed since the page was rendered and put them in place
// without a reload. Polls with the server's cursor and If-None-Match, so an unchanged poll is
// a bodiless 304; slows down while the tab is hidden or the server fails; the page works
// without this script (newest first, paginated).
(function () {
  "use strict";
  var root = document.querySelector("[data-live-endpoint]");
  if (!root || !window.fetch) return;
  var endpoint = root.getAttribute("data-live-endpoint");
  var cursor = root.getAttribute("data-cursor") || "0";
  var base = Math.max(2, parseFloat(root.getAttribute("data-poll-seconds")) || 10) * 1000;
  var onFirstPage = root.getAttribute("data-on-first-page") === "1";
  var stream = document.getElementById("live-stream");
  var pinned = document.getElementById("live-pinned");
  var pinnedSection = pinned && pinned.closest("section");
  var state = root.querySelector(".live-state");
  var etag = null;
  var delay = base;
  var timer = null;
  var MAX_DELAY = 5 * 60 * 1000;

  function fromHtml(html) {
    var box = document.createElement("div");
    box.innerHTML = html.trim();
    return box.firstElementChild;
  }

  function place(entry) {
    var selector = '[data-entry-id="' + entry.id + '"]';
    var existing = stream.querySelector(selector);
    if (existing) {
      existing.replaceWith(fromHtml(entry.html));
    } else if (onFirstPage) {
      var empty = stream.querySelector(".empty");
      if (empty) empty.remove();
      var node = fromHtml(entry.html);
      node.classList.add("is-new");
      var after = null;
      Array.prototype.some.call(stream.querySelectorAll("[data-entry-id]"), function (el) {
        if (Number(el.getAttribute("data-order")) < entry.order) { after = el; return true; }
        return false;
      });
      stream.insertBefore(node, after);
    }
    if (pinned) {
      var pin = pinned.querySelector(selector);
      if (pin) pin.remove();
      if (entry.pinned && !entry.retracted) pinned.insertBefore(fromHtml(entry.html), pinned.firstChild);
      if (pinnedSection) pinnedSection.hidden = !pinned.querySelector("[data-entry-id]");
    }
  }

  function setLive(live) {
    if (!state) return;
    state.textContent = root.getAttribute(live ? "data-label-live" : "data-label-ended");
    state.className = "live-state " + (live ? "is-live" : "is-ended");
  }

  function schedule() {
    clearTimeout(timer);
    // A hidden tab polls at most every two minutes; visibilitychange polls at once on return.
    var wait = document.hidden ? Math.max(delay, 120000) : delay;
    timer = setTimeout(poll, wait);
  }

  function poll() {
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(endpoint + "?since=" + encodeURIComponent(cursor), {
      headers: headers,
      cache: "no-store",
      credentials: "omit",
    })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) {
          data.entries.forEach(place);
          cursor = String(data.cursor);
          setLive(data.live);
          if (data.more) { delay = 0; schedule(); delay = base; return; }
        }
        delay = base;
        schedule();
      })
      .catch(function () {
        delay = Math.min(delay * 2, MAX_DELAY);  // back off while the server struggles
        schedule();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { delay = base; clearTimeout(timer); poll(); } else { schedule(); }
  });
  schedule();
})();
