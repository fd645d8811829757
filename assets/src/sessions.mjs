// The upcoming sessions of a course, with places left.
import { api, el } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';

async function main() {
  const course = new URLSearchParams(window.location.search).get('course_id') ?? '';
  const today = new Date().toISOString().slice(0, 10);
  const res = await api('GET', `/api/v1/sessions?course_id=${encodeURIComponent(course)}&from=${today}&limit=100`);
  const count = document.getElementById('count');
  if (res.status !== 200) {
    count.textContent = res.json?.error?.message ?? 'The dates could not be loaded.';
    return;
  }
  const sessions = res.json.sessions.filter((s) => s.status === 'scheduled');
  if (sessions.length) document.getElementById('title').textContent = sessions[0].course.title;
  count.textContent = sessions.length ? `${sessions.length} upcoming date${sessions.length === 1 ? '' : 's'}`
    : 'No dates are scheduled yet.';
  const rows = sessions.map((s) => {
    const tr = el('tr', 'govuk-table__row');
    const link = el('a', 'govuk-link', s.places_left > 0 ? 'Book' : 'Join the waitlist');
    link.href = `/session?id=${s.id}`;
    const cell = el('td', 'govuk-table__cell');
    cell.append(link);
    tr.append(el('td', 'govuk-table__cell', when(s.starts_at)), el('td', 'govuk-table__cell', s.venue),
      el('td', 'govuk-table__cell', s.places_left > 0 ? String(s.places_left) : `Full (${s.waitlisted} waiting)`), cell);
    return tr;
  });
  document.getElementById('rows').replaceChildren(...rows);
  document.getElementById('table').classList.toggle('portal-hidden', sessions.length === 0);
}

main();
