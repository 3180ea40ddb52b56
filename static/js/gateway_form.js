// Send the person on to the bank's hosted payment page (the checkout form of
// payments/gateway_form.html). The visible button does the same without JS.
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-submit]");
  if (form) {
    window.setTimeout(function () { form.submit(); }, 300);
  }
})();
