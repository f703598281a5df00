/* Person pickers: the search box fills the select without reloading the page, and the
   "existing / new person" choice shows only the part of the form that applies.
   Without this script the search box reloads the page and both parts stay visible. */
(function () {
  "use strict";

  function fillSelect(select, heading, results) {
    var chosen = select.value;
    Array.prototype.slice.call(select.querySelectorAll("optgroup[data-found]")).forEach(function (group) { group.remove(); });
    Array.prototype.slice.call(select.querySelectorAll("optgroup")).forEach(function (group) {
      if (group.label === heading) { group.remove(); }
    });
    var group = document.createElement("optgroup");
    group.label = heading;
    group.dataset.found = "1";
    results.forEach(function (person) {
      var option = document.createElement("option");
      option.value = person.id;
      option.textContent = person.text;
      group.appendChild(option);
    });
    select.appendChild(group);
    // A late answer must not undo the user's choice: keep it when it is still listed.
    var stillListed = chosen && select.querySelector('option[value="' + chosen + '"]');
    if (stillListed) { select.value = chosen; } else if (results.length) { select.value = String(results[0].id); }
  }

  document.querySelectorAll("form[data-person-search]").forEach(function (searchForm) {
    var select = document.getElementById(searchForm.dataset.target);
    var input = searchForm.querySelector("input[name=q]");
    var status = searchForm.querySelector("[data-search-status]");
    var timer = null;
    function search() {
      var url = searchForm.dataset.personSearch + "?q=" + encodeURIComponent(input.value);
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          fillSelect(select, searchForm.dataset.heading, data.results);
          if (status) { status.textContent = searchForm.dataset.countLabel + " " + data.results.length; }
        });
    }
    // Enter searches at once; the search typing had scheduled would only ask the same again.
    searchForm.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (input.value.trim().length >= 2) { timer = setTimeout(search, 250); }
    });
  });

  document.querySelectorAll("[data-who-toggle]").forEach(function (container) {
    var radios = container.querySelectorAll("input[type=radio][name$=who]");
    function show() {
      var checked = container.querySelector("input[type=radio][name$=who]:checked");
      var who = checked ? checked.value : "existing";
      container.querySelectorAll("[data-who]").forEach(function (part) { part.hidden = part.dataset.who !== who; });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  });
})();
