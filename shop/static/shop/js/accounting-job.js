// The background export page: follow the job's progress until its file is ready.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) {
    return;
  }
  var bar = document.getElementById("export-progress");
  var statusText = document.getElementById("export-status");
  var download = document.getElementById("export-download");
  var running = { pending: true, running: true };

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        bar.setAttribute("aria-valuenow", data.progress);
        statusText.textContent =
          data.status_display + " (" + data.processed + " of " + data.total + " orders)";
        if (data.status === "done" && data.download_url) {
          document.getElementById("export-download-link").href = data.download_url;
          download.hidden = false;
        } else if (running[data.status]) {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (running[box.dataset.status]) {
    poll();
  }
})();
