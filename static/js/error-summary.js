/*
 * The error summary at the top of a form (templates/includes/form_errors.html), as GOV.UK does
 * it: focused when the page loads, so that keyboard and screen-reader users start from the list
 * of problems; each link moves focus to its field and shows the field's label with it.
 * CSP-safe (script-src 'self'): no inline code, no text of its own.
 */
(function () {
  'use strict';

  function init() {
    const summary = document.querySelector('[data-error-summary]');
    if (!summary || summary.hasAttribute('data-error-summary-ready')) return;
    summary.setAttribute('data-error-summary-ready', '');
    summary.focus();
    summary.addEventListener('click', (event) => {
      const link = event.target.closest('a[href^="#"]');
      if (!link) return;
      const input = document.getElementById(link.getAttribute('href').slice(1));
      if (!input) return;
      event.preventDefault();
      // The whole field (label, hint, message) in view, not just the input.
      const field = input.closest('.field, fieldset') || input;
      field.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
