// A page following a background build (an export file, a documents ZIP) until its file
// is ready. The box carries data-progress, data-status and data-status-url (a JSON
// endpoint answering status, status_display, progress, processed, total, download_url);
// data-progress-noun names what is counted ("orders"), and data-progress-counts="always"
// shows the counts also when there is nothing to count. Inside it: the bar
// (data-progress-bar), the status text (data-progress-status), the download
// paragraph (data-progress-download) and its link (data-progress-link).
(function () {
  "use strict";
  var running = { pending: true, running: true };

  function follow(box) {
    var bar = box.querySelector("[data-progress-bar]");
    var statusText = box.querySelector("[data-progress-status]");
    var download = box.querySelector("[data-progress-download]");
    var link = box.querySelector("[data-progress-link]");
    var noun = box.dataset.progressNoun || "items";
    var always = box.dataset.progressCounts === "always";

    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.style.width = data.progress + "%";
          bar.textContent = data.progress + "%";
          bar.setAttribute("aria-valuenow", data.progress);
          statusText.textContent = always || data.total
            ? data.status_display + " (" + data.processed + " of " + data.total + " " + noun + ")"
            : data.status_display;
          box.dataset.status = data.status;
          if (data.status === "done" && data.download_url) {
            link.href = data.download_url;
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
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-progress]"), follow);
})();
