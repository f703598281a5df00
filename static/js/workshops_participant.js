// Link a participant to a person and an organisation of the register: search as one types
// (diacritics ignored by the server), pick a result, and the form's hidden fields are filled.
(function () {
  "use strict";
  const box = document.getElementById("register-search");
  if (!box) return;
  // The navbar's log-out and language forms are posted forms too: take the participant's form by its id.
  const form = document.getElementById("participant-form");
  const field = (name) => form.querySelector(`[name=${name}]`);

  function searcher(input, results, url, onPick) {
    let timer = null;
    // Only the newest search may fill the list: an older answer arriving late, or one arriving after
    // a pick, would show results for text no longer in the box.
    let latest = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const asked = ++latest;
      const query = input.value.trim();
      if (query.length < 2) { results.replaceChildren(); return; }
      timer = setTimeout(async () => {
        const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, { headers: { Accept: "application/json" } });
        if (!response.ok || asked !== latest) return;
        const data = await response.json();
        if (asked !== latest) return;
        results.replaceChildren(...data.results.map((item) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "list-group-item list-group-item-action";
          button.textContent = item.organisations && item.organisations.length
            ? `${item.name} — ${item.organisations.map((o) => o.name).join(", ")}` : item.name;
          button.addEventListener("click", () => { latest++; onPick(item); results.replaceChildren(); input.value = ""; });
          return button;
        }));
      }, 250);
    });
  }

  function pickOrganisation(organisation) {
    field("organisation").value = organisation.id;
    field("organisation_name").value = organisation.name;
    field("organisation_kind").value = "cooperative";
    document.getElementById("organisation-chosen").textContent = organisation.name;
  }

  searcher(document.getElementById("person-search"), document.getElementById("person-results"),
    box.dataset.peopleUrl, (person) => {
      field("person").value = person.id;
      field("full_name").value = person.name;
      field("gender").value = person.gender;
      document.getElementById("person-chosen").textContent = person.name;
      if (person.organisations.length) pickOrganisation(person.organisations[0]);
    });
  searcher(document.getElementById("organisation-search"), document.getElementById("organisation-results"),
    box.dataset.organisationsUrl, pickOrganisation);

  document.getElementById("unlink").addEventListener("click", () => {
    field("person").value = "";
    field("organisation").value = "";
    document.getElementById("person-chosen").textContent = "";
    document.getElementById("organisation-chosen").textContent = "";
  });
})();
