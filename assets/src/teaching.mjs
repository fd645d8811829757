// A trainer's sessions, upcoming and past, each with its register.
import { api, el, pageAccount } from '/assets/api.mjs';
import { when, londonDate } from '/assets/when.mjs';

// Upcoming: places taken; past: who came, once the register is taken.
function counts(s, past) {
  if (!past) return `${s.confirmed} of ${s.capacity}`;
  if (s.status === 'cancelled') return 'Cancelled';
  if (s.register_taken) return `${s.attended} of ${s.booked} came`;
  return s.booked ? `${s.booked} booked, register not taken` : 'No one booked';
}

function row(s, past) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.session = String(s.id);
  const cell = el('td', 'govuk-table__cell');
  if (s.status === 'cancelled') {
    cell.textContent = 'Cancelled';
  } else {
    const link = el('a', 'govuk-link', 'Register');
    link.href = `/teaching/register?id=${s.id}`;
    link.append(el('span', 'govuk-visually-hidden', ` for ${s.course.title}, ${when(s.starts_at)}`));
    cell.append(link);
    // Past sessions: their feedback and paper forms.
    if (new Date(s.starts_at) <= new Date()) {
      for (const [text, href] of [['Feedback', '/teaching/feedback'], ['Paper forms', '/teaching/forms']]) {
        const a = el('a', 'govuk-link', text);
        a.href = `${href}?id=${s.id}`;
        a.append(el('span', 'govuk-visually-hidden', ` for ${s.course.title}, ${when(s.starts_at)}`));
        cell.append(el('br'), a);
      }
    }
  }
  tr.append(el('td', 'govuk-table__cell', s.course.title), el('td', 'govuk-table__cell', when(s.starts_at)),
    el('td', 'govuk-table__cell', s.venue),
    el('td', 'govuk-table__cell', counts(s, past)), cell);
  return tr;
}

// Past sessions a page at a time, latest first (?past=offset): a phone
// gets a short list, not years of cards.
const PAST = 10;
const pastFrom = Math.max(0, Number.parseInt(new URLSearchParams(window.location.search).get('past') ?? '0', 10) || 0);

function pastLink(id, to) {
  const box = document.getElementById(id);
  box.classList.toggle('portal-hidden', to === null);
  if (to !== null) box.querySelector('a').href = to ? `/teaching?past=${to}#past` : '/teaching#past';
}

async function main() {
  if (!(await pageAccount())) return;
  // Upcoming from today, soonest first; past up to yesterday, latest first.
  const upcoming = await api('GET', `/api/v1/sessions?trainer=me&from=${londonDate()}&limit=100`);
  const pastQuery = `/api/v1/sessions?trainer=me&to=${londonDate(-1)}`;
  const pastCount = await api('GET', `${pastQuery}&limit=1`);
  const count = document.getElementById('count');
  if (upcoming.status !== 200 || pastCount.status !== 200) {
    count.textContent = (upcoming.json ?? pastCount.json)?.error?.message ?? 'Your sessions could not be loaded.';
    return;
  }
  const pastTotal = pastCount.json.total;
  const from = Math.min(pastFrom, Math.max(0, pastTotal - 1));
  const limit = Math.max(1, Math.min(PAST, pastTotal - from));
  const past = await api('GET', `${pastQuery}&limit=${limit}&offset=${Math.max(0, pastTotal - from - limit)}`);
  const soon = upcoming.json.sessions;
  const before = (past.json?.sessions ?? []).reverse();
  const total = upcoming.json.total + pastTotal;
  count.textContent = total ? `You train ${total} session${total === 1 ? '' : 's'}.`
    : 'You are not down to train any sessions.';
  document.getElementById('upcoming-rows').replaceChildren(...soon.map((s) => row(s, false)));
  document.getElementById('past-rows').replaceChildren(...before.map((s) => row(s, true)));
  document.getElementById('upcoming').classList.toggle('portal-hidden', soon.length === 0);
  document.getElementById('past').classList.toggle('portal-hidden', before.length === 0);
  if (pastTotal > PAST) {
    document.getElementById('past-caption').textContent = `Past: ${from + 1} to ${from + before.length} of ${pastTotal}, latest first`;
    document.getElementById('past-pages').classList.remove('portal-hidden');
    pastLink('past-newer', from > 0 ? Math.max(0, from - PAST) : null);
    pastLink('past-older', from + PAST < pastTotal ? from + PAST : null);
  }
}

main();
