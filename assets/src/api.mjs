// Shared by the pages: calls to the portal's API (with the session's
// CSRF token on every state-changing request), and GOV.UK error summary
// and error messages for forms. Text from the API goes into the page as
// text, never as HTML.

let csrfToken = null;
let account = null;

// The signed-in account (with its CSRF token), or null: asked once a
// page (the header and the page's own script share the answer).
export function me() {
  account ??= fetch('/api/v1/me', { headers: { accept: 'application/json' } })
    .then(async (res) => {
      // Read the body even of a 401, or the request never ends.
      const a = await res.json().catch(() => null);
      if (res.status !== 200 || !a) return null;
      csrfToken = a.csrf_token;
      return a;
    })
    .catch(() => null);
  return account;
}

// The path of this page, for returning to it after signing in.
export function here() {
  return window.location.pathname + window.location.search;
}

// Where to go after signing in: `next` when it is a path of this site
// (never another site: "//evil.example" and "https://evil.example" are
// refused), otherwise the account page.
export function safeNext(next) {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next)) return '/account';
  const url = new URL(next, window.location.origin);
  return url.origin === window.location.origin ? url.pathname + url.search : '/account';
}

// A page this person may not use, or cannot use as reached: say so
// plainly in place of the page (never a half-drawn form beside it), with
// a way on.
export function refuse(heading, message, link = ['/account', 'Go to your account']) {
  const back = el('p', 'govuk-body');
  const a = el('a', 'govuk-link', link[1]);
  a.href = link[0];
  back.append(a);
  document.querySelector('main').replaceChildren(el('h1', 'govuk-heading-l', heading),
    el('p', 'govuk-body', message), back);
  document.title = `${heading} – Safeguarding Training Portal`;
}

// Send a signed-out visitor to sign in, returning here afterwards.
export function signInFirst() {
  window.location.assign(`/sign-in?next=${encodeURIComponent(here())}`);
}

// The signed-in account a page goes on with, or null when it cannot: a
// signed-out visitor is sent to sign in (and comes back here after), and
// one without any of `roles` (when some are named) is told plainly in
// place of the page, `refusal` being refuse()'s [heading, message, link].
export async function pageAccount(roles = [], refusal = []) {
  const account = await me();
  if (!account) {
    signInFirst();
    return null;
  }
  if (roles.length > 0 && !roles.some((role) => account.roles.includes(role))) {
    refuse(...refusal);
    return null;
  }
  return account;
}

export function setCsrf(token) {
  csrfToken = token;
}

// One API call: {status, json}. `body` is JSON unless a string.
export async function api(method, path, body, type = 'application/json', extra = {}) {
  const headers = { accept: 'application/json', ...extra };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = type;
  const res = await fetch(path, {
    method, headers,
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Remove the error summary and every field's error message.
export function clearErrors(form) {
  document.querySelector('.govuk-error-summary')?.remove();
  for (const group of form.querySelectorAll('.govuk-form-group--error')) {
    group.classList.remove('govuk-form-group--error');
    group.querySelector('.govuk-error-message')?.remove();
    for (const box of group.querySelectorAll('.govuk-date-input__input')) box.classList.remove('govuk-input--error');
    for (const input of group.querySelectorAll('[aria-describedby]')) {
      input.classList.remove('govuk-input--error', 'govuk-select--error', 'govuk-file-upload--error',
        'govuk-textarea--error');
      const kept = input.getAttribute('aria-describedby').split(' ').filter((ref) => !ref.endsWith('-error'));
      if (kept.length) input.setAttribute('aria-describedby', kept.join(' '));
      else input.removeAttribute('aria-describedby');
    }
  }
  if (document.title.startsWith('Error: ')) document.title = document.title.slice(7);
}

// Show the problems: a list of {field, message} (field: an input's id,
// or null for the form as a whole). The summary lists every problem,
// links to its field, and takes the focus, as GOV.UK's pattern says.
export function showErrors(form, problems) {
  clearErrors(form);
  problems = inFormOrder(form, problems).map((p) => ({ ...p, message: named(form, p) }));
  const summary = el('div', 'govuk-error-summary');
  summary.dataset.module = 'govuk-error-summary';
  summary.tabIndex = -1;
  const alert = el('div');
  alert.setAttribute('role', 'alert');
  alert.append(el('h2', 'govuk-error-summary__title', 'There is a problem'));
  const body = el('div', 'govuk-error-summary__body');
  const list = el('ul', 'govuk-list govuk-error-summary__list');
  for (const { field, message } of problems) {
    const item = el('li');
    const input = field ? form.querySelector(`#${CSS.escape(field)}`) : null;
    if (input) {
      // A GOV.UK date input, named by its box of boxes or by its Day box:
      // the message goes above the three boxes, never inside one.
      const dateBox = input.matches('.govuk-date-input') ? input : input.closest('.govuk-date-input');
      const dateInput = Boolean(dateBox);
      const link = el('a', '', message);
      // A date input's link goes to its first box.
      link.href = `#${dateInput ? dateBox.querySelector('input')?.id ?? field : field}`;
      item.append(link);
      const group = (dateBox ?? input).closest('.govuk-form-group');
      if (group && !group.classList.contains('govuk-form-group--error')) {
        group.classList.add('govuk-form-group--error');
        const msg = el('p', 'govuk-error-message');
        msg.id = `${field}-error`;
        msg.append(el('span', 'govuk-visually-hidden', 'Error: '), document.createTextNode(message));
        // Radios and checkboxes: the message goes above the set (not for
        // a field shown under a choice, which has its own).
        const choices = input.matches('.govuk-radios__input, .govuk-checkboxes__input')
          ? input.closest('.govuk-radios, .govuk-checkboxes') : null;
        if (choices) {
          choices.before(msg);
        } else if (dateInput) {
          dateBox.before(msg);
          for (const box of dateBox.querySelectorAll('input')) box.classList.add('govuk-input--error');
        } else {
          input.before(msg);
          const kind = input.tagName === 'SELECT' ? 'govuk-select--error'
            : input.type === 'file' ? 'govuk-file-upload--error'
              : input.tagName === 'TEXTAREA' ? 'govuk-textarea--error' : 'govuk-input--error';
          input.classList.add(kind);
        }
        const described = dateInput ? dateBox.closest('fieldset') ?? dateBox : input;
        const hints = described.getAttribute('aria-describedby');
        described.setAttribute('aria-describedby', hints ? `${hints} ${msg.id}` : msg.id);
      }
    } else {
      item.textContent = message;
    }
    list.append(item);
  }
  body.append(list);
  alert.append(body);
  summary.append(alert);
  document.querySelector('main').prepend(summary);
  document.title = `Error: ${document.title}`;
  summary.focus();
}

// The problems in the order of their fields in the form (the form's
// own problems first), as GOV.UK's error summary lists them.
function inFormOrder(form, problems) {
  const at = (p) => (p.field ? form.querySelector(`#${CSS.escape(p.field)}`) : null);
  return [...problems].sort((a, b) => {
    const x = at(a);
    const y = at(b);
    if (!x || !y) return (x ? 1 : 0) - (y ? 1 : 0);
    return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
}

// An answer left empty is named: "Enter the course title", "Choose a
// format", from the field's data-name (or its label) and its kind.
function named(form, { field, message }) {
  const input = field ? form.querySelector(`#${CSS.escape(field)}`) : null;
  if (!input || !/^This cannot be empty\.?$/.test(message)) return message;
  const label = form.querySelector(`label[for="${CSS.escape(field)}"]`)?.textContent.trim() ?? field;
  const name = input.dataset.name ?? `the ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
  return `${input.tagName === 'SELECT' || input.type === 'checkbox' ? 'Choose' : 'Enter'} ${name}`;
}

// The problems of an API error answer, for showErrors().
export function problemsOf(json, fallback = 'Something went wrong. Try again.') {
  const fields = json?.error?.fields ?? {};
  const problems = Object.entries(fields)
    .filter(([, message]) => typeof message === 'string')
    .map(([field, message]) => ({ field, message }));
  return problems.length ? problems : [{ field: null, message: json?.error?.message ?? fallback }];
}

// Fill a select from [{value, label}], keeping what was chosen.
export function fillSelect(select, items) {
  const chosen = select.value;
  for (const { value, label } of items) {
    const option = el('option', '', label);
    option.value = value;
    select.append(option);
  }
  if (chosen) select.value = chosen;
}

// An email address or a long code as text nodes with a line-break
// opportunity (<wbr>) after each @ and dot, so that a line too narrow for
// it breaks between its parts, never inside a word.
export function breakable(text) {
  const out = [];
  for (const part of text.split(/(?<=[@.])/)) {
    if (out.length) out.push(document.createElement('wbr'));
    out.push(document.createTextNode(part));
  }
  return out;
}

export { el };
