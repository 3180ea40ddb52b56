// Counter payment form: fill in the amount due when the purpose changes.
(function () {
  "use strict";
  var data = document.getElementById("payments-due");
  var form = document.getElementById("counter-payment-form");
  if (!data || !form) { return; }
  var due = JSON.parse(data.textContent);
  var purpose = form.querySelector("[name=purpose]");
  var amount = form.querySelector("[name=amount]");
  if (!purpose || !amount) { return; }
  purpose.addEventListener("change", function () {
    if (Object.prototype.hasOwnProperty.call(due, purpose.value)) {
      amount.value = due[purpose.value];
    }
  });
})();
