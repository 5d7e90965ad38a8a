// "Print Instructions": a button that opens the browser's print dialog (no inline handlers,
// so the page keeps a strict Content-Security-Policy).
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
});
