// A session's feedback for its trainers (/teaching/feedback?id=): the
// summary's figures (all from the portal's statistics engine) as tables,
// the ratings also as a chart.
import { api, el, pageAccount } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { barChart } from '/assets/chart.mjs';
import { CHOICE_LABELS } from '/assets/evaluation-form.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const RATINGS = { content: 'Content', delivery: 'Delivery', venue: 'Venue', trainer: 'Trainer', overall: 'Overall' };
const one = (x) => (x === null || x === undefined ? '–' : x.toFixed(1));
const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);

function row(cells) {
  const tr = el('tr', 'govuk-table__row');
  cells.forEach((c, i) => {
    const cell = el(i === 0 ? 'th' : 'td', i === 0 ? 'govuk-table__header' : 'govuk-table__cell govuk-table__cell--numeric', c);
    if (i === 0) cell.scope = 'row';
    tr.append(cell);
  });
  return tr;
}

async function main() {
  if (!(await pageAccount())) return;
  const base = `/api/v1/sessions/${encodeURIComponent(id)}`;
  const [session, summary] = await Promise.all([api('GET', base), api('GET', `${base}/evaluations/summary`)]);
  const counts = document.getElementById('counts');
  if (session.status !== 200 || summary.status !== 200) {
    counts.textContent = (summary.json ?? session.json)?.error?.message ?? 'There is no such session.';
    return;
  }
  const s = summary.json;
  document.getElementById('title').textContent = session.json.course.title;
  document.title = `Feedback: ${session.json.course.title} – Safeguarding Training Portal`;
  document.getElementById('when').textContent = when(session.json.starts_at);
  document.getElementById('forms-link').href = `/teaching/forms?id=${encodeURIComponent(id)}`;
  const walkIns = s.places.unscheduled ? ` (${s.places.unscheduled} not booked)` : '';
  counts.textContent = `${s.forms.total} forms (${s.forms.online} online, ${s.forms.paper} on paper) from `
    + `${s.places.total} people who attended${walkIns}`
    + (s.completion?.rate != null ? `: ${pct(s.completion.rate)} filled one in (95% range ${pct(s.completion.lower)} to ${pct(s.completion.upper)}).` : '.')
    + (s.forms.held_back ? ` The answers of ${s.forms.held_back} of them are not counted yet.` : '');
  if (s.suppressed) {
    document.getElementById('suppressed').classList.remove('portal-hidden');
    return;
  }
  const names = Object.keys(RATINGS);
  document.getElementById('ratings-rows').replaceChildren(...names.map((k) => {
    const r = s.ratings[k];
    return r.suppressed ? row([RATINGS[k], 'Too few answers', '', ''])
      : row([RATINGS[k], `${one(r.mean)} (${one(r.lower)} to ${one(r.upper)})`, String(r.n), r.distribution.join(', ')]);
  }));
  barChart(document.getElementById('ratings-chart'), {
    labels: names.map((k) => RATINGS[k]),
    datasets: [{ label: 'Average rating', data: names.map((k) => s.ratings[k].mean ?? null) }],
    horizontal: true, max: 5 });
  document.getElementById('paired-rows').replaceChildren(...[['knowledge', 'Knowledge'], ['confidence', 'Confidence']].map(([k, label]) => {
    const p = s[k];
    if (p.suppressed || !p.n) return row([label, 'Too few answers', '', '', '']);
    return row([label, one(p.mean_before), one(p.mean_after),
      `${p.mean_diff >= 0 ? '+' : ''}${one(p.mean_diff)}${p.ci_lower === null ? '' : ` (${one(p.ci_lower)} to ${one(p.ci_upper)})`}`,
      p.impact.score === null ? '–' : String(Math.round(p.impact.score))]);
  }));
  document.getElementById('improve-rows').replaceChildren(...['yes', 'no', 'unsure'].map((k) => {
    const p = s.improve_safeguarding[k];
    return p.suppressed ? row([CHOICE_LABELS[k], 'Too few answers', ''])
      : row([CHOICE_LABELS[k], String(p.k), `${pct(p.rate)} (${pct(p.lower)} to ${pct(p.upper)})`]);
  }));
  const list = (target, items, none) => document.getElementById(target)
    .replaceChildren(...(items.length ? items.map((t) => el('li', '', t)) : [el('li', '', none)]));
  list('comments', s.comments ?? [], 'No comments.');
  list('actions', s.actions ?? [], 'No actions given.');
  document.getElementById('figures').classList.remove('portal-hidden');
}

main();
