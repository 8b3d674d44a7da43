// The documents ZIP page: follow the worker's build until the ZIP is ready.
(function () {
  "use strict";
  var box = document.getElementById("documents-archive");
  if (!box) {
    return;
  }
  var bar = document.getElementById("archive-progress");
  var statusText = document.getElementById("archive-status");
  var download = document.getElementById("archive-download");
  var running = { pending: true, running: true };

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        bar.setAttribute("aria-valuenow", data.progress);
        statusText.textContent = data.total
          ? data.status_display + " (" + data.processed + " of " + data.total + " documents)"
          : data.status_display;
        box.dataset.status = data.status;
        if (data.status === "done" && data.download_url) {
          document.getElementById("archive-download-link").href = data.download_url;
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
