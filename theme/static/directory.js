/* PLP directory: filter the commune list as the reader types. Without this script the full
   list stays visible, so the page works with scripts off; it reads ?q= from the root page form. */
(function () {
  "use strict";
  var form = document.getElementById("find");
  var input = document.getElementById("q");
  var status = document.getElementById("found");
  var list = document.getElementById("directory");
  if (!form || !input || !list) { return; }
  var items = list.querySelectorAll("li[data-terms]");
  var groups = list.querySelectorAll("section.commune");
  var none = document.getElementById("none");
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  var terms = Array.prototype.map.call(items, function (li) { return fold(li.dataset.terms); });
  function filter() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li, i) {
      var hit = words.every(function (w) { return terms[i].indexOf(w) !== -1; });
      li.hidden = !hit;
      if (hit) { shown += 1; }
    });
    groups.forEach(function (section) {
      section.hidden = !section.querySelector("li:not([hidden])");
    });
    var found = status.dataset.template.replace("{count}", shown);
    // A function, so that "$&" and the like in what the reader typed stay as typed.
    var missed = status.dataset.none.replace("{query}", function () { return input.value.trim(); });
    status.textContent = words.length ? (shown ? found : missed) : "";
    if (none) { none.hidden = !(words.length && !shown); }
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); filter(); });
  input.addEventListener("input", filter);
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; filter(); }
}());
