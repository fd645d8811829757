// GOV.UK date inputs (day, month, year) with, where a time is asked for,
// a time box that takes "9:30am", "2pm" or "14:00". A page marks each
// with <div class="govuk-date-input" id="NAME" data-date-input> (add
// data-time for a time) inside a fieldset; the parts are made here. The
// API reads and writes London wall-clock values: YYYY-MM-DD or
// YYYY-MM-DDTHH:MM.
import { el } from '/assets/api.mjs';

function item(id, label, width, mode = 'numeric') {
  const outer = el('div', 'govuk-date-input__item');
  const group = el('div', 'govuk-form-group');
  const l = el('label', 'govuk-label govuk-date-input__label', label);
  l.htmlFor = id;
  const input = el('input', `govuk-input govuk-date-input__input govuk-input--width-${width}`);
  input.id = id;
  input.type = 'text';
  input.inputMode = mode;
  group.append(l, input);
  outer.append(group);
  return outer;
}

// Make the parts of every date input of `root`.
export function mountDateInputs(root = document) {
  for (const box of root.querySelectorAll('[data-date-input]')) {
    const name = box.id;
    box.replaceChildren(item(`${name}-day`, 'Day', 2), item(`${name}-month`, 'Month', 2),
      item(`${name}-year`, 'Year', 4));
    if ('time' in box.dataset) box.append(item(`${name}-time`, 'Time', 5, 'text'));
  }
}

const part = (name, p) => document.getElementById(`${name}-${p}`);

// Show a London wall-clock value (or '') in the date input `name`.
export function writeDate(name, value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value ?? '');
  part(name, 'day').value = m ? String(Number(m[3])) : '';
  part(name, 'month').value = m ? String(Number(m[2])) : '';
  part(name, 'year').value = m ? m[1] : '';
  const time = part(name, 'time');
  if (time) {
    if (!m || m[4] === undefined) {
      time.value = '';
    } else {
      const h = Number(m[4]);
      time.value = `${h % 12 || 12}${m[5] === '00' ? '' : `:${m[5]}`}${h < 12 ? 'am' : 'pm'}`;
    }
  }
}

// "9:30am", "2pm", "14:00", "9.30" as [hours, minutes], or null.
function parseTime(text) {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  const half = m[3]?.toLowerCase();
  if (half && (h < 1 || h > 12)) return null;
  if (half === 'pm' && h < 12) h += 12;
  if (half === 'am' && h === 12) h = 0;
  if (!half && m[2] === undefined) return null;
  return h < 24 && min < 60 ? [h, min] : null;
}

// What the date input `name` holds: {value} (null when left empty), or
// {error} naming it by `label` ("Starts", "From").
export function readDate(name, label) {
  const [d, mo, y] = ['day', 'month', 'year'].map((p) => part(name, p).value.trim());
  const time = part(name, 'time');
  const t = time ? time.value.trim() : '';
  if (!d && !mo && !y && !t) return { value: null };
  const day = Number(d);
  const month = Number(mo);
  const year = Number(y);
  const real = /^\d{1,2}$/.test(d) && /^\d{1,2}$/.test(mo) && /^\d{4}$/.test(y)
    && month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!real) return { error: `${label} must be a real date, like 19 12 2026` };
  const date = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!time) return { value: date };
  const hm = parseTime(t);
  if (!hm) return { error: `${label} must have a time, like 9:30am or 2pm` };
  return { value: `${date}T${String(hm[0]).padStart(2, '0')}:${String(hm[1]).padStart(2, '0')}` };
}
