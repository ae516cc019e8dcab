// Progressive enhancement of scorecard.html (everything works without it):
// marks the journey thumbnail of the page shown, opens a <details> reached
// by a link, and prints every <details> open.
(function () {
  "use strict";
  var links = document.querySelectorAll(".bande a[data-page]");
  function sync() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-page") === id) links[i].setAttribute("aria-current", "step");
      else links[i].removeAttribute("aria-current");
    }
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", sync);
  sync();
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    var all = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < all.length; i++) { all[i].open = true; reopened.push(all[i]); }
  });
  window.addEventListener("afterprint", function () {
    while (reopened.length) reopened.pop().open = false;
  });
})();
