// Shared by the pages: calls to the portal's API (with the session's
// CSRF token on every state-changing request), and GOV.UK error summary
// and error messages for forms. Text from the API goes into the page as
// text, never as HTML.

let csrfToken = null;

// The signed-in account (with its CSRF token), or null.
export async function me() {
  const res = await fetch('/api/v1/me', { headers: { accept: 'application/json' } });
  if (res.status !== 200) return null;
  const account = await res.json();
  csrfToken = account.csrf_token;
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
      const link = el('a', '', message);
      link.href = `#${field}`;
      item.append(link);
      const group = input.closest('.govuk-form-group');
      if (group && !group.classList.contains('govuk-form-group--error')) {
        group.classList.add('govuk-form-group--error');
        const msg = el('p', 'govuk-error-message');
        msg.id = `${field}-error`;
        msg.append(el('span', 'govuk-visually-hidden', 'Error: '), document.createTextNode(message));
        // Radios and checkboxes: the message goes above the set.
        const choices = input.closest('.govuk-radios, .govuk-checkboxes');
        if (choices) {
          choices.before(msg);
        } else {
          input.before(msg);
          const kind = input.tagName === 'SELECT' ? 'govuk-select--error'
            : input.type === 'file' ? 'govuk-file-upload--error'
              : input.tagName === 'TEXTAREA' ? 'govuk-textarea--error' : 'govuk-input--error';
          input.classList.add(kind);
        }
        const hints = input.getAttribute('aria-describedby');
        input.setAttribute('aria-describedby', hints ? `${hints} ${msg.id}` : msg.id);
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

export { el };
