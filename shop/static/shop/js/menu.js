/* The header's one menu button on phones: it shows and hides the site's menu.
 *
 * The stylesheet keeps the menu closed on phones (no layout shift when this script runs) and
 * always open from 992 px wide. Without JavaScript the button is a link to the menu, which
 * then shows as the page's target.
 */
(function () {
  "use strict";

  var button = document.querySelector("[data-menu-toggle]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  function show(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }
  button.addEventListener("click", function (event) {
    event.preventDefault();
    show(button.getAttribute("aria-expanded") !== "true");
  });
  button.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      button.click();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
})();
