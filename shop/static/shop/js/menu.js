/* The header's one menu button on phones: it shows and hides the site's menu.
 *
 * Without JavaScript the menu stays open (it is only closed once this script runs), so every
 * link is reachable. From 992 px wide the stylesheet always shows the menu.
 */
(function () {
  "use strict";

  var button = document.querySelector("[data-menu-toggle]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  menu.classList.add("is-closed");
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    menu.classList.toggle("is-closed", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      menu.classList.add("is-closed");
      button.focus();
    }
  });
})();
