/*
 * Session time-out warning (SPEC A5).
 *
 * The server signs a session out after the practice's idle time-out; it puts that time-out
 * (in seconds) and how long before it to warn on <body data-session-timeout
 * data-session-warning>. This script only warns: shortly before the end it opens the dialog of
 * templates/accounts/session_warning.html. "Stay signed in" posts the keepalive form (the
 * server restarts its idle clock and answers 204); "Sign out" submits the header's sign-out
 * form. When the time is up the browser goes to the sign-in page, where the server says why.
 *
 * CSP-safe (script-src 'self', style-src 'self'): no inline code or styles, only the hidden
 * and inert attributes, classes and text.
 *
 * No words of its own: the dialog's data- attributes carry them in the page's language
 * (templates/accounts/session_warning.html, which the portal and the staff console include),
 * with %(name)s where a value goes. A count of 1 takes the "-one" form, any other the
 * "-other" one: the rule of English and Spanish.
 */
(function () {
  'use strict';

  const body = document.body;
  const timeout = Number(body.dataset.sessionTimeout);
  const warning = Number(body.dataset.sessionWarning);
  const signInUrl = body.dataset.sessionSignInUrl;
  const dialog = document.getElementById('session-warning');
  if (!timeout || !signInUrl || !dialog) return;

  const words = dialog.dataset;
  const form = dialog.querySelector('[data-session-keepalive]');
  const countdown = dialog.querySelector('[data-session-countdown]');
  const announce = dialog.querySelector('[data-session-announce]');
  const stayButton = form.querySelector('button[type="submit"]');
  // Spoken once each, so that a screen reader is not interrupted every second.
  const ANNOUNCE_AT = [60, 30, 10];

  let deadline = 0;
  let warnTimer = null;
  let endTimer = null;
  let tickTimer = null;
  let returnFocus = null;
  let announced = new Set();

  function remainingSeconds() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  // "%(count)s minutes" with {count: 2}: "2 minutes".
  function fill(pattern, values) {
    return pattern.replace(/%\((\w+)\)s/g, (match, name) => String(values[name]));
  }

  function count(n, unit) {
    return fill(n === 1 ? words[unit + 'One'] : words[unit + 'Other'], { count: n });
  }

  // "1 minute 5 seconds": read out the same by screen readers as it shows on screen.
  function inWords(seconds) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    if (!m) return count(s, 'second');
    if (!s) return count(m, 'minute');
    return fill(words.minutesAndSeconds, { minutes: count(m, 'minute'), seconds: count(s, 'second') });
  }

  function tick() {
    const left = remainingSeconds();
    countdown.textContent = inWords(left);
    const due = ANNOUNCE_AT.find((at) => left <= at && !announced.has(at));
    if (due !== undefined) {
      ANNOUNCE_AT.filter((at) => at >= left).forEach((at) => announced.add(at));
      announce.textContent = fill(words.announce, { time: inWords(left) });
    }
  }

  // While the dialog is open, everything else on the page is inert (not focusable, not
  // announced), like a native modal dialog.
  function setPageInert(inert) {
    Array.from(body.children).forEach((el) => {
      if (el === dialog || el.tagName === 'SCRIPT') return;
      el.inert = inert;
    });
  }

  function open() {
    if (!dialog.hidden) return;
    returnFocus = document.activeElement;
    announced = new Set(ANNOUNCE_AT.filter((at) => at >= remainingSeconds()));
    announce.textContent = '';
    tick();
    setPageInert(true);
    dialog.hidden = false;
    body.classList.add('session-warning-open');
    // The least drastic choice; the dialog's title and text are read out with it.
    stayButton.focus();
    tickTimer = window.setInterval(tick, 1000);
  }

  function close() {
    window.clearInterval(tickTimer);
    if (dialog.hidden) return;
    dialog.hidden = true;
    body.classList.remove('session-warning-open');
    setPageInert(false);
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }

  function expire() {
    const here = window.location.pathname + window.location.search;
    window.location.assign(signInUrl + '?next=' + encodeURIComponent(here));
  }

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    deadline = Date.now() + timeout * 1000;
    warnTimer = window.setTimeout(open, Math.max(0, timeout - warning) * 1000);
    endTimer = window.setTimeout(expire, timeout * 1000);
  }

  function stay(event) {
    event.preventDefault();
    window.fetch(form.action, {
      method: 'POST',
      body: new FormData(form), // carries the CSRF token of the form
      credentials: 'same-origin',
      redirect: 'error',
    }).then((response) => {
      if (response.status !== 204) {
        expire(); // the server has already signed this session out
        return;
      }
      close();
      schedule();
    }, () => {
      // No answer (offline?): keep the warning open so the person can try again.
      announce.textContent = words.offline;
    });
  }

  form.addEventListener('submit', (event) => {
    // The Sign out button belongs to the header's form (form="sign-out-form"), so only
    // "Stay signed in" submits this one.
    stay(event);
  });

  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      // Closing the warning is a sign of life, like "Stay signed in".
      form.requestSubmit();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = Array.from(dialog.querySelectorAll('button'));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  schedule();
}());
