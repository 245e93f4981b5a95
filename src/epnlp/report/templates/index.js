(function () {
  "use strict";
  var table = document.getElementById("episodes-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var box = document.getElementById("episode-filter");
  var count = document.getElementById("episode-count");
  function filter() {
    var q = box.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (r) {
      var hit = !q || r.getAttribute("data-search").indexOf(q) >= 0;
      r.hidden = !hit;
      if (hit) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " episodes shown";
  }
  function value(row, i, numeric) {
    var v = row.cells[i].getAttribute("data-v");
    if (v === null || v === "") { return null; }
    return numeric ? parseFloat(v) : v.toLowerCase();
  }
  function sortBy(th, i) {
    var current = th.getAttribute("aria-sort");  /* a new column: numbers largest first, text A to Z */
    var asc = current ? current !== "ascending" : th.getAttribute("data-type") !== "num";
    var numeric = th.getAttribute("data-type") === "num";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = value(a, i, numeric), y = value(b, i, numeric);
      if (x === null || y === null) {  /* empty cells last, whichever the direction */
        if (x === y) { return a.getAttribute("data-i") - b.getAttribute("data-i"); }
        return x === null ? 1 : -1;
      }
      var c = x < y ? -1 : (x > y ? 1 : 0);
      return (asc ? c : -c) || (a.getAttribute("data-i") - b.getAttribute("data-i"));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    var b = th.querySelector("button");
    if (b) { b.addEventListener("click", function () { sortBy(th, i); }); }
  });
  if (box) { box.addEventListener("input", filter); }
}());
