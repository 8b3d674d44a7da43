// The export job's page: poll its status until the file is ready, then show the link.
(function () {
    var box = document.getElementById("export-job");
    var bar = document.getElementById("export-progress");
    var statusText = document.getElementById("export-status");
    var download = document.getElementById("export-download");
    function poll() {
        fetch(box.dataset.statusUrl, {credentials: "same-origin"})
            .then(function (response) { return response.json(); })
            .then(function (data) {
                bar.style.width = data.progress + "%";
                bar.textContent = data.progress + "%";
                bar.setAttribute("aria-valuenow", data.progress);
                statusText.textContent = data.status_display + " (" + data.processed + " of " + data.total + " orders)";
                if (data.status === "done") {
                    document.getElementById("export-download-link").href = data.download_url;
                    download.hidden = false;
                } else if (data.status !== "failed") {
                    window.setTimeout(poll, 1500);
                }
            })
            .catch(function () { window.setTimeout(poll, 5000); });
    }
    if (box.dataset.status !== "done" && box.dataset.status !== "failed") { poll(); }
})();
