// The progress bar of an import being checked or saved: asks the server every second how far the
// work has got, and reloads the page, which then shows the outcome, once it is no longer busy.
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar) {
    return;
  }
  var fill = bar.querySelector(".progress-bar");
  var rows = document.getElementById("import-progress-rows");
  var status = document.querySelector("#import-status .badge");
  var url = bar.getAttribute("data-progress-url");
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  // The bar's first width is set here, not in a style attribute: the Content-Security-Policy allows no inline style.
  fill.style.width = Number(bar.getAttribute("aria-valuenow")) + "%";

  function show(progress) {
    var percent = Math.max(0, Math.min(100, progress.percent));
    bar.setAttribute("aria-valuenow", String(percent));
    fill.style.width = percent + "%";
    fill.textContent = percent + "%";
    if (rows && progress.total) {
      rows.textContent = numbers.format(progress.done) + " / " + numbers.format(progress.total);
    }
    if (status) {
      status.textContent = progress.status_label;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        show(progress);
        if (progress.busy) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // A lost answer (a restart, a slow network) is asked again a little later.
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 1000);
})();
