// The printable paper form of a session (/teaching/paper-form?id=): the
// same-day questions in the order of the spreadsheet template.
import { api } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { questionGroups, questionsOf } from '/assets/evaluation-form.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';

async function main() {
  const session = await api('GET', `/api/v1/sessions/${encodeURIComponent(id)}`);
  if (session.status === 200) {
    document.getElementById('title').textContent = session.json.course.title;
    document.getElementById('when').textContent = `${when(session.json.starts_at)}, ${session.json.venue}`;
  }
  const groups = questionGroups(await questionsOf('same_day'));
  for (const g of groups) {
    const area = g.querySelector('textarea');
    if (area) area.rows = 4;
  }
  document.getElementById('questions').replaceChildren(...groups);
}

document.getElementById('print').addEventListener('click', () => window.print());
main();
