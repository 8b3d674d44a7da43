/*
 * A page served from the shop's page cache carries no per-visitor bytes: its forms'
 * CSRF fields are blank (data-csrf). Fill them from this visitor's own CSRF cookie,
 * or, when there is none yet, ask /visitor/ for a token just before the form is sent.
 */
(function () {
    "use strict";

    function cookie(name) {
        var parts = document.cookie ? document.cookie.split("; ") : [];
        for (var i = 0; i < parts.length; i++) {
            var eq = parts[i].indexOf("=");
            if (parts[i].slice(0, eq) === name) {
                return decodeURIComponent(parts[i].slice(eq + 1));
            }
        }
        return "";
    }

    function fill(token) {
        var fields = document.querySelectorAll("input[data-csrf]");
        for (var i = 0; i < fields.length; i++) {
            fields[i].value = token;
        }
    }

    function onSubmit(event) {
        var form = event.target;
        var field = form.querySelector ? form.querySelector("input[data-csrf]") : null;
        if (!field || field.value) {
            return;
        }
        event.preventDefault();
        fetch("/visitor/", {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) { return response.json(); })
            .then(function (state) {
                fill(state.csrf);
                if (form.requestSubmit) {
                    form.requestSubmit(event.submitter || undefined);
                } else {
                    form.submit();
                }
            });
    }

    function start() {
        if (!document.querySelector("input[data-csrf]")) {
            return;
        }
        var token = cookie("csrftoken");
        if (token) {
            fill(token);
        }
        document.addEventListener("submit", onSubmit, true);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
