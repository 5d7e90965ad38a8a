/*
 * Create Security Details: the email address is needed when the verification code goes by
 * email, the mobile number when it goes by text. The server renders the "(optional)" mark of
 * each for the way chosen when the page was made; this keeps the marks true when the person
 * picks the other way. CSP-safe (script-src 'self'); no words of its own.
 */
(function () {
  'use strict';

  function init() {
    document.querySelectorAll('[data-code-channel]').forEach((group) => {
      const radios = Array.from(group.querySelectorAll('input[type="radio"]'));
      const marks = Array.from(group.querySelectorAll('[data-optional-unless]'));
      function update() {
        const chosen = radios.find((radio) => radio.checked);
        for (const mark of marks) {
          mark.hidden = Boolean(chosen) && chosen.value === mark.dataset.optionalUnless;
        }
      }
      radios.forEach((radio) => radio.addEventListener('change', update));
      update();
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
