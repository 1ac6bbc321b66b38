/* Vote controls ({% vote_button %}): one tap once the number is verified.
   The page itself is the same for everyone; the voter's state comes from /api/v1/voter/. */
(function () {
  "use strict";
  var api = "/api/v1/";
  var lang = document.documentElement.lang || "zh-hans";

  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  function call(method, path, body) {
    return fetch(api + path, {
      method: method,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept-Language": lang,
        "X-CSRFToken": cookie("csrftoken"),
      },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function say(control, text, ok) {
    var p = control.querySelector(".vote-message");
    p.textContent = text;
    p.className = "vote-message " + (ok ? "ok" : "refused");
  }

  // After a vote, or "already voted", the button says so; a tap still asks the server, which
  // explains the refusal. The card's count shows the new tally when counts are public.
  function markVoted(control, votes) {
    control.classList.add("voted");
    control.querySelector(".vote-button").textContent = control.dataset.votedLabel;
    var count = control.parentElement.querySelector(".votes");
    if (count && typeof votes === "number") {
      var label = votes === 1 ? control.dataset.votesOne : control.dataset.votesOther;
      count.textContent = label.replace("{n}", votes);
    }
  }

  function vote(control) {
    return call("POST", "votes/", { candidate: Number(control.dataset.candidate) }).then(function (r) {
      if (r.status === 201) {
        say(control, control.dataset.okText.replace("{n}", r.data.remaining_today), true);
        markVoted(control, r.data.votes);
      } else if (r.status === 401) {
        verify(control);
      } else {
        say(control, r.data.error.message, false);
        if (r.data.error.code === "already_voted") markVoted(control, null);
      }
      return r;
    });
  }

  function verify(control) {
    if (control.querySelector(".vote-verify")) return;
    var form = document.createElement("form");
    form.className = "vote-verify";
    form.innerHTML =
      '<label>' + control.dataset.phoneLabel + ' <input name="phone" type="tel" inputmode="tel" autocomplete="tel" required></label>' +
      '<button type="button" class="send-code">' + control.dataset.sendLabel + "</button>" +
      '<label>' + control.dataset.codeLabel + ' <input name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"></label>' +
      '<button type="submit">' + control.dataset.verifyLabel + "</button>";
    control.appendChild(form);
    form.querySelector(".send-code").addEventListener("click", function () {
      call("POST", "voter/code/", { phone: form.phone.value }).then(function (r) {
        say(control, r.status === 202 ? "✓ " + r.data.phone : r.data.error.message, r.status === 202);
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      call("POST", "voter/session/", { phone: form.phone.value, code: form.code.value }).then(function (r) {
        if (r.status !== 201) { say(control, r.data.error.message, false); return; }
        form.remove();
        vote(control);
      });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".vote-control .vote-button");
    if (!button) return;
    event.preventDefault();
    var control = button.closest(".vote-control");
    call("GET", "voter/").then(function (r) {
      if (r.status === 200) vote(control);
      else verify(control);
    });
  });
})();
