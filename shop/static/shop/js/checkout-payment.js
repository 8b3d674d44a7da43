/* The payment step of the checkout.
 *
 * The card never reaches the shop: Stripe.js turns it into a payment method
 * (offline, localstripe's card element and createToken; with real keys, the
 * Payment Element and createPaymentMethod) and only its id is posted. The
 * shop confirms the PaymentIntent; when the bank asks for 3-D Secure the
 * browser completes it here and asks the shop to finish.
 */
(function () {
  "use strict";

  var form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") {
    return;
  }
  var offline = form.dataset.offline === "true";
  var stripe = Stripe(form.dataset.key);
  var button = document.getElementById("pay-button");
  var errors = document.getElementById("payment-errors");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var elements;
  var field;

  if (offline) {
    elements = stripe.elements();
    field = elements.create("card");
  } else {
    elements = stripe.elements({
      mode: "payment",
      amount: parseInt(form.dataset.amount, 10),
      currency: "sgd",
      paymentMethodTypes: form.dataset.methods.split(","),
      paymentMethodCreation: "manual",
    });
    field = elements.create("payment");
  }
  field.mount("#card-element");

  function showError(message) {
    errors.textContent = message;
    errors.hidden = false;
    button.disabled = false;
  }

  function post(url, data) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    Object.keys(data).forEach(function (key) {
      body.append(key, data[key]);
    });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // The checkout moved on (e.g. the basket changed): follow it.
        window.location.assign(response.url);
        return new Promise(function () {});
      }
      return response.json();
    });
  }

  function paymentMethodId() {
    if (offline) {
      return stripe.createToken(field).then(function (result) {
        if (result.error || !result.token) {
          throw new Error((result.error && result.error.message) || "Please check your card details.");
        }
        return result.token.card.id;
      });
    }
    return elements.submit().then(function (submitted) {
      if (submitted.error) {
        throw new Error(submitted.error.message);
      }
      return stripe.createPaymentMethod({ elements: elements }).then(function (result) {
        if (result.error) {
          throw new Error(result.error.message);
        }
        return result.paymentMethod.id;
      });
    });
  }

  function authenticate(clientSecret) {
    // Whatever the box answers, the shop re-reads the PaymentIntent to decide.
    var done = offline
      ? stripe.confirmCardPayment(clientSecret)
      : stripe.handleNextAction({ clientSecret: clientSecret });
    return done.then(
      function () { return post(form.dataset.resumeUrl, {}); },
      function () { return post(form.dataset.resumeUrl, {}); }
    );
  }

  function handle(answer) {
    if (answer.redirect && !answer.error) {
      window.location.assign(answer.redirect);
      return;
    }
    if (answer.action === "authenticate") {
      return authenticate(answer.client_secret).then(handle);
    }
    showError(answer.error || "Your payment was not completed. Please try again.");
    if (answer.redirect) {
      window.location.assign(answer.redirect);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    errors.hidden = true;
    paymentMethodId()
      .then(function (id) {
        // The total on the Pay button: the shop refuses to take another.
        return post(form.dataset.payUrl, { payment_method: id, amount: form.dataset.amount });
      })
      .then(handle)
      .catch(function (error) { showError(error.message || String(error)); });
  });
})();
