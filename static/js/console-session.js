// The staff console's <body> is written by Django's admin template, so the idle time-out's
// numbers wait on #console-session (templates/admin/base_site.html). This copies them onto
// <body>, where static/js/session-timeout.js reads them; it runs first (both are deferred).
'use strict';
(function () {
  var source = document.getElementById('console-session');
  if (!source) return;
  ['sessionTimeout', 'sessionWarning', 'sessionSignInUrl'].forEach(function (key) {
    if (source.dataset[key] && !document.body.dataset[key]) {
      document.body.dataset[key] = source.dataset[key];
    }
  });
}());
