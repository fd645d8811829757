// The annual training report as a page of the portal (reviewers and
// coordinators): the partnership's name and the period, a print button
// and the PDF, and the report itself, drawn by the server
// (GET /api/v1/reports/annual?format=html, app/report_html.c) with a
// chart beside each table. Printed, it is A4 portrait with the
// partnership's name, the period and the page number on every page
// (portal.scss: @page; report-charts.mjs: the running heads).
import { el, pageAccount } from '/assets/api.mjs';
import { chartTables, runningHeads } from '/assets/report-charts.mjs';

// The filters the report takes, passed on from the page's address.
const FILTERS = ['year', 'from', 'to', 'course_id', 'topic', 'agency_id', 'sector', 'area', 'group_level',
  'exclude_formats'];

function query() {
  const here = new URLSearchParams(location.search);
  const q = new URLSearchParams();
  for (const k of FILTERS) if (here.get(k)) q.set(k, here.get(k));
  return q;
}

// "2016/17" as its period, 1 April 2016 to 31 March 2017.
function period(year) {
  const start = Number(year.slice(0, 4));
  return `1 April ${start} to 31 March ${start + 1}`;
}

function fail(message) {
  document.getElementById('loading')?.remove();
  const box = el('div', 'govuk-error-summary');
  box.setAttribute('role', 'alert');
  box.tabIndex = -1;
  const body = el('div', 'govuk-error-summary__body');
  body.append(el('p', 'govuk-body', message));
  box.append(el('h2', 'govuk-error-summary__title', 'There is a problem'), body);
  document.getElementById('errors').replaceChildren(box);
  box.focus();
}

// The report's page from the server. While it is being gathered (202),
// a progress bar says so and the page asks again every few seconds, for
// up to five minutes; older figures come with their own note.
async function gathered(path) {
  const end = Date.now() + 5 * 60 * 1000;
  for (;;) {
    const res = await fetch(path, { headers: { accept: 'text/html' } });
    if (res.status !== 202 || Date.now() > end) return res;
    await res.text(); // read it whole: an unread answer holds its connection
    const loading = document.getElementById('loading');
    if (loading && !loading.querySelector('progress')) {
      const bar = el('progress', 'portal-progress');
      bar.setAttribute('aria-label', 'Gathering the figures');
      loading.replaceChildren('Gathering the figures. This can take a minute: the report will show here when ready.',
        el('br'), bar);
      loading.setAttribute('role', 'status');
    }
    await new Promise((resolve) => { setTimeout(resolve, 2000); });
  }
}

async function main() {
  const account = await pageAccount(['reviewer', 'coordinator'],
    ['You cannot use this page', 'The training reports are for the training sub-group and coordinators.']);
  if (!account) return;
  const q = query();
  const res = await gathered(`/api/v1/reports/annual?${q}${q.size ? '&' : ''}format=html`);
  if (res.status !== 200) {
    let message = 'The report could not be made. Try again later.';
    try {
      const { error } = await res.json();
      if (error?.fields?.year) message = `Year: ${error.fields.year}`;
      else if (error?.message) message = error.message;
    } catch { /* keep the sentence above */ }
    fail(message);
    return;
  }
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  const source = doc.querySelector('main');
  const year = source.dataset.year;
  const partnership = document.getElementById('partnership').textContent.trim();
  const title = `Annual training report ${year}`;
  // The page has its own head: the portal's header, the name and period.
  source.querySelector('.report-head')?.remove();
  document.getElementById('title').textContent = title;
  document.getElementById('period').textContent = `Financial year ${period(year)}`;
  document.title = `${title} – Safeguarding Training Portal`;
  runningHeads(partnership, `${title}, ${period(year)}`);
  document.getElementById('report').replaceChildren(...[...source.childNodes].map((n) => document.adoptNode(n)));
  chartTables(document.getElementById('report'));
  const pdf = new URLSearchParams(q);
  pdf.set('year', year);
  document.getElementById('pdf').href = `/api/v1/reports/annual?${pdf}&format=pdf`;
  document.getElementById('print').addEventListener('click', () => window.print());
  document.getElementById('actions').classList.remove('portal-hidden');
  history.replaceState(null, '', `/reports/annual?${pdf}`);
}

main();
