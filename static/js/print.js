// "Print this page" link on the notice and the rules (kept out of inline handlers for CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});
