/*
 * Live password / username checklist (SPEC E7).
 *
 * Progressive enhancement only: the server renders the rule lists without any
 * state and its validation stays authoritative. This script just adds ✗/✓
 * marks as the person types. It is CSP-safe (script-src 'self';
 * style-src 'self'): no inline styles, no eval — only classes and text.
 * Its words come from the list's data-word-* attributes, which the template translates
 * (templates/includes/checklist_words.html): the script has none of its own.
 */
(function () {
  'use strict';

  // Count code points, not UTF-16 units, so "😀" is one character.
  const len = (s) => Array.from(s).length;

  // The rules of accounts/password_policy.py, by the codes the server renders into the list.
  // Each gets (value, values, params): values holds every referenced field's text, params the
  // list's data-* numbers. A browser test compares every mark with the server's verdict.
  function similar(password, value, maxSimilarity) {
    // difflib's quick_ratio, as Django's UserAttributeSimilarityValidator measures it.
    const a = Array.from(password);
    const b = Array.from(value);
    if (a.length >= 10 * b.length && b.length < (maxSimilarity / 2) * a.length) return false;
    const counts = new Map();
    for (const ch of b) counts.set(ch, (counts.get(ch) || 0) + 1);
    let matches = 0;
    for (const ch of a) {
      const left = counts.get(ch) || 0;
      counts.set(ch, left - 1);
      if (left > 0) matches += 1;
    }
    return (2 * matches) / (a.length + b.length) >= maxSimilarity;
  }

  function personalParts(values) {
    const parts = [];
    for (const value of values) {
      const lowered = value.toLowerCase();
      if (!lowered) continue;
      for (const part of lowered.split(/[^\p{L}\p{N}_]+/u)) if (part) parts.push(part);
      parts.push(lowered);
    }
    return parts;
  }

  const PASSWORD_RULES = {
    length: (p, v, k) => len(p) >= k.minLength && len(p) <= k.maxLength,
    upper: (p) => /\p{Lu}/u.test(p),
    lower: (p) => /\p{Ll}/u.test(p),
    digit: (p) => /\p{Nd}/u.test(p),
    special: (p) => /[\p{P}\p{S}]/u.test(p),
    'not-personal': (p, v, k) => {
      const pw = p.toLowerCase();
      return !personalParts(v.personal).some((part) => similar(pw, part, k.maxSimilarity));
    },
    match: (p, v) => v.confirm !== '' && v.confirm === p,
  };

  // Usernames are checked in their NFKC form, as the server keeps them (full-width letters
  // become ordinary ones). Letters with their marks, digits 0-9 and . - _ @; nothing invisible.
  const nfkc = (u) => u.normalize('NFKC');
  const USERNAME_RULES = {
    'username-length': (u, v, k) => len(nfkc(u)) >= k.minLength && len(nfkc(u)) <= k.maxLength,
    'username-spaces': (u) => u !== '' && !/\s/u.test(nfkc(u)),
    'username-characters': (u) => /^[\p{L}\p{Mn}\p{Mc}0-9._@-]+$/u.test(nfkc(u))
      && !/\p{Default_Ignorable_Code_Point}/u.test(nfkc(u)),
  };

  const ANNOUNCE_DELAY_MS = 600; // announce once typing pauses, not per keystroke

  function field(list, attr) {
    const selector = list.getAttribute(attr);
    return selector ? document.querySelector(selector) : null;
  }

  // The list's numbers (data-min-length, data-max-length, data-max-similarity), as numbers.
  function params(list) {
    const numbers = {};
    for (const [key, value] of Object.entries(list.dataset)) {
      if (value !== '' && !Number.isNaN(Number(value))) numbers[key] = Number(value);
    }
    return numbers;
  }

  // Details the password must not resemble: those the server knows (a JSON script element)
  // and those typed on the same form (data-personal-fields, a comma-separated selector list).
  function personalSources(list) {
    const known = [];
    const script = field(list, 'data-personal');
    if (script) known.push(...JSON.parse(script.textContent));
    const selectors = list.getAttribute('data-personal-fields');
    const inputs = selectors
      ? selectors.split(',').map((s) => document.querySelector(s)).filter(Boolean) : [];
    return { known, inputs };
  }

  // "{met} of {total}" and the like, filled in from ``values``.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }

  function setupList(list, rules, fieldAttrs, mainKey) {
    if (list.classList.contains('rule-list--live')) return; // already enhanced
    const fields = {};
    for (const [key, attr] of Object.entries(fieldAttrs)) fields[key] = field(list, attr);
    if (!fields[mainKey]) return; // nothing to watch: leave the static list alone
    const numbers = params(list);
    const words = {
      done: list.dataset.wordDone || '',
      notMet: list.dataset.wordNotMet || '',
      allMet: list.dataset.wordAllMet || '',
      someMet: list.dataset.wordSomeMet || '',
    };
    const personal = personalSources(list);

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
      values.personal = personal.known.concat(personal.inputs.map((input) => input.value));
      let met = 0;
      for (const item of items) {
        const ok = Boolean(item.test(values[mainKey], values, numbers));
        if (ok) met += 1;
        item.li.classList.toggle('rule-met', ok);
        item.li.classList.toggle('rule-unmet', !ok);
        item.mark.textContent = ok ? '✓' : '✗';
        item.state.textContent = ` — ${ok ? words.done : words.notMet}`;
      }
      if (!announce) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        status.textContent = met === items.length
          ? words.allMet
          : fill(words.someMet, { met, total: items.length });
      }, ANNOUNCE_DELAY_MS);
    }

    for (const input of Object.values(fields).concat(personal.inputs)) {
      if (input) input.addEventListener('input', () => update(true));
    }
    update(false); // initial marks (also covers browser-restored values), silently
  }

  function init() {
    document.querySelectorAll('[data-password-checklist]').forEach((list) => {
      setupList(list, PASSWORD_RULES,
        { password: 'data-password', confirm: 'data-confirm' },
        'password');
    });
    document.querySelectorAll('[data-username-checklist]').forEach((list) => {
      setupList(list, USERNAME_RULES, { username: 'data-username' }, 'username');
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init(); // script loaded late (e.g. async); DOM is already there
  }
})();
