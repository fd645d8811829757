// DSL group supervision pages: the words for the API's codes, dates as
// people read them, GOV.UK date inputs (day, month, year), and tables
// that scroll inside their own box on a phone.
import { el } from '/assets/api.mjs';

export const KINDS = { primary: 'Primary schools', secondary: 'Secondary schools', mixed: 'Mixed' };
export const TOPICS = {
  practice_dilemmas: 'Practice dilemmas', specific_topic: 'A specific topic',
  child_protection_cases: 'Child protection cases', case_review_learning: 'Learning from case reviews',
  wellbeing: 'Wellbeing',
};
export const ATTENDANCE = { present: 'Present', apologies: 'Apologies', absent: 'Absent' };
export const TRAINING = {
  in_date: 'In date', lapsing: 'In date, expiring within 90 days', expired: 'Lapsed',
  never: 'Never trained',
};
export const FLAGS = { no_supervision_this_term: 'No supervision this term', training_lapsed: 'Training lapsed' };

// "Monday 12 October 2026" for a YYYY-MM-DD date, or a dash.
export function day(date) {
  if (!date) return '–';
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`)).replace(',', '');
}

// A GOV.UK date input: a fieldset with day, month and year boxes whose
// ids are `${id}-day` etc.; the first box carries `id` for error links.
export function dateInput(id, legend, hint) {
  const group = el('div', 'govuk-form-group');
  const fieldset = el('fieldset', 'govuk-fieldset');
  fieldset.setAttribute('role', 'group');
  fieldset.append(el('legend', 'govuk-fieldset__legend govuk-fieldset__legend--s', legend));
  if (hint) {
    const h = el('div', 'govuk-hint', hint);
    h.id = `${id}-hint`;
    fieldset.setAttribute('aria-describedby', h.id);
    fieldset.append(h);
  }
  const boxes = el('div', 'govuk-date-input');
  for (const [part, label, width] of [['day', 'Day', 2], ['month', 'Month', 2], ['year', 'Year', 4]]) {
    const item = el('div', 'govuk-date-input__item');
    const g = el('div', 'govuk-form-group');
    const input = el('input', `govuk-input govuk-date-input__input govuk-input--width-${width}`);
    input.id = part === 'day' ? id : `${id}-${part}`;
    input.name = `${id}-${part}`;
    input.inputMode = 'numeric';
    const l = el('label', 'govuk-label govuk-date-input__label', label);
    l.htmlFor = input.id;
    g.append(l, input);
    item.append(g);
    boxes.append(item);
  }
  fieldset.append(boxes);
  group.append(fieldset);
  return group;
}

// The date typed into dateInput(id) as YYYY-MM-DD; '' when empty, and
// what was typed when it is not a date (for the API to name).
export function readDate(id) {
  const v = (part) => document.getElementById(part === 'day' ? id : `${id}-${part}`).value.trim();
  const [d, m, y] = [v('day'), v('month'), v('year')];
  if (!d && !m && !y) return '';
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return `${y}-${m}-${d}`;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

export function setDate(id, date) {
  const [y, m, d] = (date ?? '').split('-');
  document.getElementById(id).value = d ? String(Number(d)) : '';
  document.getElementById(`${id}-month`).value = m ? String(Number(m)) : '';
  document.getElementById(`${id}-year`).value = y ?? '';
}

// A table: caption, column headings, rows of cells (text or nodes),
// one card a row on a phone (portal.mjs labels the cells; the first
// cell is the card's heading, the others a line each), inside a box
// that scrolls sideways should it still be too wide (named by the
// caption, or `label`).
export function table(caption, headings, rows, label) {
  const box = el('div', 'portal-table-scroll');
  // A scrolling box is reached and named from the keyboard.
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', caption ?? label ?? headings.join(', '));
  const t = el('table', 'govuk-table portal-table--cards portal-cards--named');
  if (caption) t.append(el('caption', 'govuk-table__caption govuk-table__caption--m', caption));
  const head = el('thead', 'govuk-table__head');
  const hr = el('tr', 'govuk-table__row');
  for (const h of headings) {
    const th = el('th', 'govuk-table__header', h);
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = el('tbody', 'govuk-table__body');
  for (const cells of rows) {
    const tr = el('tr', 'govuk-table__row');
    for (const c of cells) {
      const td = el('td', 'govuk-table__cell');
      if (c instanceof Node) td.append(c);
      else td.textContent = c ?? '';
      tr.append(td);
    }
    body.append(tr);
  }
  t.append(head, body);
  box.append(t);
  return box;
}

// A GOV.UK details element: `summary` to open it, `node` inside.
export function folded(summary, node) {
  const details = el('details', 'govuk-details');
  const s = el('summary', 'govuk-details__summary');
  s.append(el('span', 'govuk-details__summary-text', summary));
  const text = el('div', 'govuk-details__text');
  text.append(node);
  details.append(s, text);
  return details;
}

export function link(href, text) {
  const a = el('a', 'govuk-link', text);
  a.href = href;
  return a;
}

// A rate with its interval, as a person reads it.
export function rate(p) {
  if (!p || p.rate === null) return 'No one expected';
  const pc = (x) => `${Math.round(x * 100)}%`;
  return `${pc(p.rate)} (${p.k} of ${p.n}; 95% interval ${pc(p.lower)} to ${pc(p.upper)})`;
}
