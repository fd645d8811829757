// The evaluation forms' questions (from GET /api/v1/evaluations/questions
// or a stage's GET) as GOV.UK form groups: radios for scales and choices,
// a textarea for text, checkboxes for "what changed". Each question's
// first input has the field's name as its id, so that the error summary
// links to it. The typed-in ("entry") mode is for trainers copying paper
// forms with the keyboard alone: a number box for scales, a select for
// choices.
import { el } from '/assets/api.mjs';

export const CHOICE_LABELS = {
  yes: 'Yes', no: 'No', partly: 'Partly', unsure: 'Unsure', not_sure: 'Not sure',
  information_sharing: 'Information sharing', joint_working: 'Joint working', referrals: 'Referrals',
};

function hintOf(q) {
  const m = q.label.match(/^(.*?)\s*\(([^)]*)\)$/);
  return m ? [m[1], m[2]] : [q.label, null];
}

function group(q, legendText, hint, inner, fieldset = true) {
  const g = el('div', 'govuk-form-group');
  if (!fieldset) {
    g.append(...inner);
    return g;
  }
  const fs = el('fieldset', 'govuk-fieldset');
  const legend = el('legend', 'govuk-fieldset__legend govuk-fieldset__legend--s', legendText);
  fs.append(legend);
  if (hint) {
    const h = el('div', 'govuk-hint', hint);
    h.id = `${q.field}-hint`;
    fs.setAttribute('aria-describedby', h.id);
    fs.append(h);
  }
  fs.append(...inner);
  g.append(fs);
  return g;
}

function radios(q, values, labels, inline) {
  const box = el('div', `govuk-radios govuk-radios--small${inline ? ' govuk-radios--inline' : ''}`);
  box.dataset.module = 'govuk-radios';
  values.forEach((v, i) => {
    const item = el('div', 'govuk-radios__item');
    const input = el('input', 'govuk-radios__input');
    input.type = 'radio';
    input.name = q.field;
    input.value = String(v);
    input.id = i === 0 ? q.field : `${q.field}-${v}`;
    const label = el('label', 'govuk-label govuk-radios__label', labels[i]);
    label.htmlFor = input.id;
    item.append(input, label);
    box.append(item);
  });
  return box;
}

// Form groups for `questions`; `entry` for the keyboard-fast mode;
// `optional(field)` true marks a question "(optional)" where some are
// not (GOV.UK marks the optional ones, not the required).
export function questionGroups(questions, { entry = false, optional = null } = {}) {
  return questions.map((q) => {
    const [asked, hint] = hintOf(q);
    const text = optional?.(q.field) ? `${asked} (optional)` : asked;
    if (q.kind === 'scale') {
      const values = Array.from({ length: q.max - q.min + 1 }, (_, i) => q.min + i);
      if (entry) {
        const label = el('label', 'govuk-label govuk-label--s', text);
        label.htmlFor = q.field;
        const input = el('input', 'govuk-input govuk-input--width-2');
        input.id = q.field;
        input.name = q.field;
        input.inputMode = 'numeric';
        input.autocomplete = 'off';
        const h = el('div', 'govuk-hint', `${hint ?? ''}; leave blank if not answered`);
        h.id = `${q.field}-hint`;
        input.setAttribute('aria-describedby', h.id);
        return group(q, null, null, [label, h, input], false);
      }
      return group(q, text, hint, [radios(q, values, values.map(String), true)]);
    }
    if (q.kind === 'choice') {
      if (entry) {
        const label = el('label', 'govuk-label govuk-label--s', text);
        label.htmlFor = q.field;
        const select = el('select', 'govuk-select');
        select.id = q.field;
        select.name = q.field;
        select.append(el('option', '', 'Not answered'));
        select.firstChild.value = '';
        for (const c of q.choices) {
          const o = el('option', '', CHOICE_LABELS[c] ?? c);
          o.value = c;
          select.append(o);
        }
        return group(q, null, null, [label, select], false);
      }
      return group(q, text, hint, [radios(q, q.choices, q.choices.map((c) => CHOICE_LABELS[c] ?? c), true)]);
    }
    if (q.kind === 'text') {
      const label = el('label', 'govuk-label govuk-label--s', text);
      label.htmlFor = q.field;
      const area = el('textarea', 'govuk-textarea');
      area.id = q.field;
      area.name = q.field;
      area.rows = entry ? 2 : 3;
      area.maxLength = q.max_length;
      return group(q, null, null, [label, area], false);
    }
    // A set: checkboxes, and "none of these" (an empty list).
    const box = el('div', 'govuk-checkboxes govuk-checkboxes--small');
    box.dataset.module = 'govuk-checkboxes';
    [...q.choices, 'none'].forEach((c, i) => {
      const item = el('div', 'govuk-checkboxes__item');
      const input = el('input', 'govuk-checkboxes__input');
      input.type = 'checkbox';
      input.name = q.field;
      input.value = c;
      input.id = i === 0 ? q.field : `${q.field}-${c}`;
      const label = el('label', 'govuk-label govuk-checkboxes__label', c === 'none' ? 'None of these' : CHOICE_LABELS[c] ?? c);
      label.htmlFor = input.id;
      item.append(input, label);
      box.append(item);
    });
    // The API's hint says how an empty list is sent; here the person
    // ticks "None of these" instead.
    return group(q, text, 'Select all that apply, or "None of these"', [box]);
  });
}

// The answers in `form` for `questions`, as the API takes them (blank:
// not sent).
export function readAnswers(form, questions) {
  const out = {};
  for (const q of questions) {
    if (q.kind === 'set') {
      const ticked = [...form.querySelectorAll(`input[name="${q.field}"]:checked`)].map((i) => i.value);
      if (ticked.length) out[q.field] = ticked.filter((v) => v !== 'none');
      continue;
    }
    const chosen = form.querySelector(`input[type=radio][name="${q.field}"]:checked`);
    const input = chosen ?? form.querySelector(`[name="${q.field}"]:not([type=radio])`);
    const v = input?.value?.trim() ?? '';
    if (v === '') continue;
    out[q.field] = q.kind === 'scale' && /^\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

// Get a stage's questions.
export async function questionsOf(stage) {
  const res = await fetch(`/api/v1/evaluations/questions/${stage}`, { headers: { accept: 'application/json' } });
  return (await res.json()).questions;
}

export const STAGES = { before: 'Before the course', same_day: 'Evaluation of the day', followup: 'Three months on' };
