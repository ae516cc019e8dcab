// Sorting and filtering of the index table (progressive enhancement: the
// table is complete and readable without it).  Column headers become
// buttons (Enter/Space sort; again to reverse), filters narrow the rows and
// a live region says how many remain.
(function () {
  "use strict";
  var table = document.getElementById("tableau");
  if (!table) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var heads = table.tHead.rows[0].cells;
  var status = document.getElementById("compte");
  var total = rows.length;

  function plural(n, one, many) { return n + "\u00a0" + (n < 2 ? one : many); }
  function say(extra) {
    var shown = 0;
    for (var i = 0; i < rows.length; i++) if (!rows[i].hidden) shown++;
    status.textContent = plural(shown, "démarche affichée", "démarches affichées") + " sur " + total + "." + (extra || "");
  }

  // --- sorting
  var current = -1, ascending = true;
  function key(row, col, numeric) {
    var v = row.cells[col].getAttribute("data-val") || row.cells[col].textContent;
    return numeric ? parseFloat(v) || 0 : v;
  }
  function sortBy(col) {
    ascending = col === current ? !ascending : true;
    current = col;
    var numeric = heads[col].getAttribute("data-type") === "nombre";
    var collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });
    var sorted = rows.slice().sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric);
      var d = numeric ? x - y : collator.compare(x, y);
      if (d === 0) d = collator.compare(key(a, 0, false), key(b, 0, false));
      return ascending ? d : -d;
    });
    var frag = document.createDocumentFragment();
    for (var i = 0; i < sorted.length; i++) frag.appendChild(sorted[i]);
    tbody.appendChild(frag);
    rows = sorted;
    for (var j = 0; j < heads.length; j++) {
      if (j === col) heads[j].setAttribute("aria-sort", ascending ? "ascending" : "descending");
      else heads[j].removeAttribute("aria-sort");
    }
    say(" Tri par « " + heads[col].getAttribute("data-label") + " », ordre " + (ascending ? "croissant" : "décroissant") + ".");
  }
  for (var h = 0; h < heads.length; h++) {
    var th = heads[h];
    var label = th.textContent.trim();
    th.setAttribute("data-label", label);
    var b = document.createElement("button");
    b.type = "button";
    b.className = "tri";
    b.textContent = label;
    var icon = document.createElement("span");
    icon.className = "tri-icone";
    icon.setAttribute("aria-hidden", "true");
    b.appendChild(icon);
    th.textContent = "";
    th.appendChild(b);
    b.addEventListener("click", (function (col) { return function () { sortBy(col); }; })(h));
  }
  var hint = table.querySelector(".legende-tri");
  if (hint) hint.hidden = false;

  // --- filtering
  var box = document.getElementById("filtres");
  var fields = box ? box.querySelectorAll("[data-filtre]") : [];
  function apply() {
    var wanted = [];
    for (var i = 0; i < fields.length; i++) {
      var v = fields[i].value.trim().toLowerCase();
      if (v) wanted.push([fields[i].getAttribute("data-filtre"), v]);
    }
    for (var r = 0; r < rows.length; r++) {
      var ok = true;
      for (var k = 0; k < wanted.length && ok; k++) {
        var have = rows[r].getAttribute("data-" + wanted[k][0]) || "";
        ok = wanted[k][0] === "search" ? have.indexOf(wanted[k][1]) !== -1 : have === wanted[k][1];
      }
      rows[r].hidden = !ok;
    }
    say();
  }
  var timer = null;
  for (var f = 0; f < fields.length; f++) {
    fields[f].addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
    fields[f].addEventListener("change", apply);
  }
  var clear = document.getElementById("f-effacer");
  if (clear) clear.addEventListener("click", function () {
    for (var i = 0; i < fields.length; i++) fields[i].value = "";
    apply();
    fields[0].focus();
  });
  if (box) box.hidden = false;
})();
