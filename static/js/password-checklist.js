/*
 * Live password / username checklist (SPEC E7).
 *
 * Progressive enhancement only: the server renders the rule lists without any
 * state and its validation stays authoritative. This script just adds ✗/✓
 * marks as the person types. It is CSP-safe (script-src 'self';
 * style-src 'self'): no inline styles, no eval — only classes and text.
 */
(function () {
  'use strict';

  // Count code points, not UTF-16 units, so "😀" is one character.
  const len = (s) => Array.from(s).length;

  // Each rule gets (value, values) where values holds every referenced field.
  const PASSWORD_RULES = {
    length: (p) => len(p) >= 8 && len(p) <= 200,
    upper: (p) => /\p{Lu}/u.test(p),
    lower: (p) => /\p{Ll}/u.test(p),
    digit: (p) => /\p{Nd}/u.test(p),
    special: (p) => /[^\p{L}\p{N}\s]/u.test(p),
    'not-username': (p, v) => {
      // Short usernames would match almost anything, so only check from 3 chars.
      if (len(v.username) < 3) return true;
      const pw = p.toLowerCase();
      const user = v.username.toLowerCase();
      return !pw.includes(user) && !user.includes(pw);
    },
    match: (p, v) => v.confirm !== '' && v.confirm === p,
  };

  const USERNAME_RULES = {
    'username-length': (u) => len(u) >= 6 && len(u) <= 50,
    'username-spaces': (u) => u !== '' && !/\s/.test(u),
  };

  const ANNOUNCE_DELAY_MS = 600; // announce once typing pauses, not per keystroke

  function field(list, attr) {
    const selector = list.getAttribute(attr);
    return selector ? document.querySelector(selector) : null;
  }

  function setupList(list, rules, label, fieldAttrs, mainKey) {
    if (list.classList.contains('rule-list--live')) return; // already enhanced
    const fields = {};
    for (const [key, attr] of Object.entries(fieldAttrs)) fields[key] = field(list, attr);
    if (!fields[mainKey]) return; // nothing to watch: leave the static list alone

    // Only enhance rules we know; unknown items stay as plain text.
    const items = Array.from(list.querySelectorAll('li[data-rule]'))
      .filter((li) => Object.prototype.hasOwnProperty.call(rules, li.dataset.rule))
      .map((li) => {
        const mark = document.createElement('span');
        mark.className = 'rule-mark';
        mark.setAttribute('aria-hidden', 'true'); // the words below carry the state
        const state = document.createElement('span');
        state.className = 'visually-hidden';
        li.prepend(mark);
        li.append(state);
        return { li, mark, state, test: rules[li.dataset.rule] };
      });
    if (items.length === 0) return;

    // One polite live region per list, placed right after it.
    const status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('aria-live', 'polite');
    list.after(status);
    list.classList.add('rule-list--live');

    let timer = null;

    function update(announce) {
      const values = {};
      for (const key of Object.keys(fields)) values[key] = fields[key] ? fields[key].value : '';
      let met = 0;
      for (const item of items) {
        const ok = Boolean(item.test(values[mainKey], values));
        if (ok) met += 1;
        item.li.classList.toggle('rule-met', ok);
        item.li.classList.toggle('rule-unmet', !ok);
        item.mark.textContent = ok ? '✓' : '✗';
        item.state.textContent = ok ? ' — done' : ' — not met yet';
      }
      if (!announce) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        status.textContent = met === items.length
          ? `${label}: all requirements met.`
          : `${label}: ${met} of ${items.length} requirements met.`;
      }, ANNOUNCE_DELAY_MS);
    }

    for (const input of Object.values(fields)) {
      if (input) input.addEventListener('input', () => update(true));
    }
    update(false); // initial marks (also covers browser-restored values), silently
  }

  function init() {
    document.querySelectorAll('[data-password-checklist]').forEach((list) => {
      setupList(list, PASSWORD_RULES, 'Password',
        { password: 'data-password', confirm: 'data-confirm', username: 'data-username' },
        'password');
    });
    document.querySelectorAll('[data-username-checklist]').forEach((list) => {
      setupList(list, USERNAME_RULES, 'Username', { username: 'data-username' }, 'username');
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init(); // script loaded late (e.g. async); DOM is already there
  }
})();
