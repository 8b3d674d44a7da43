/* The page actions Oscar's templates wrote as inline handlers (onclick="window.print()"...),
 * which the Content-Security-Policy blocks. The shop's templates mark them with data
 * attributes instead; this one file, loaded by oscar/base.html on every storefront and
 * dashboard page, handles them:
 *
 *   data-action="print"  prints the page (the order confirmation's "Print this page");
 *   data-action="back"   goes back one page (the "cancel" links of forms, error pages);
 *                        with no page to go back to, the link's own href is followed;
 *   data-action="close"  closes the window (the dashboard's pop-up forms);
 *   img[data-upload-preview]  the dashboard's image field: once the chosen file shows, the
 *                        upload button hides; a file that is no image shows it again and
 *                        says so (data-error-message).
 */
(function () {
  "use strict";

  var actions = {
    print: function () {
      window.print();
      return true;
    },
    back: function () {
      if (window.history.length > 1) {
        window.history.back();
        return true;
      }
      return false;
    },
    close: function () {
      window.close();
      return true;
    },
  };

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-action]") : null;
    var action = target && actions[target.getAttribute("data-action")];
    if (action && action(target)) {
      event.preventDefault();
    }
  });

  function uploadButton(img) {
    var box = img.closest(".image-input");
    return box && box.querySelector("[id^='upload_button_']");
  }

  // load and error do not bubble: listen in the capture phase, so that image fields the
  // dashboard adds later (one more product image) are handled too.
  document.addEventListener(
    "load",
    function (event) {
      var img = event.target;
      if (img.hasAttribute && img.hasAttribute("data-upload-preview")) {
        var button = uploadButton(img);
        if (button) {
          button.style.display = "none";
        }
      }
    },
    true
  );
  document.addEventListener(
    "error",
    function (event) {
      var img = event.target;
      if (img.hasAttribute && img.hasAttribute("data-upload-preview") && img.getAttribute("src")) {
        var button = uploadButton(img);
        if (button) {
          button.style.display = "";
        }
        window.alert(img.getAttribute("data-error-message"));
      }
    },
    true
  );
})();
