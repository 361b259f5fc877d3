// Refreshes the conversation on a request's page every 5 seconds (the server renders and escapes it).
(function () {
  "use strict";
  var box = document.getElementById("gesprek");
  if (!box || !box.dataset.bron) { return; }
  var last = box.innerHTML;
  function refresh() {
    if (document.hidden) { return; }
    fetch(box.dataset.bron, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected) { window.location.reload(); return null; }  // logged out: to the login page
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== last) { box.innerHTML = html; last = html; }
      })
      .catch(function () { /* the next round tries again */ });
  }
  window.setInterval(refresh, 5000);
}());
