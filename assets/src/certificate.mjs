// A certificate of attendance to print (/certificate?booking=).
import { api, pageAccount } from '/assets/api.mjs';
import { when, STATUS } from '/assets/when.mjs';

const booking = new URLSearchParams(window.location.search).get('booking') ?? '';

function duration(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} hour${h === 1 ? '' : 's'}` : '', m ? `${m} minutes` : ''].filter(Boolean).join(' ');
}

async function main() {
  if (!(await pageAccount())) return;
  const res = await api('GET', `/api/v1/bookings/${encodeURIComponent(booking)}/certificate`);
  const message = document.getElementById('message');
  if (res.status !== 200) {
    message.textContent = res.json?.error?.message ?? 'There is no such certificate.';
    return;
  }
  const c = res.json;
  document.getElementById('full_name').textContent = c.full_name;
  document.getElementById('course_title').textContent = c.course_title;
  document.getElementById('date').textContent = when(c.starts_at, false);
  document.getElementById('duration').textContent = duration(c.duration_minutes);
  document.getElementById('group_level').textContent = c.group_level ?? '';
  document.getElementById('attendance').textContent = STATUS[c.attendance] ?? '';
  document.getElementById('reference').textContent = c.reference;
  document.getElementById('issued_on').textContent = when(`${c.issued_on}T12:00:00Z`, false);
  message.textContent = `This certifies that ${c.full_name} attended this multi-agency safeguarding course.`;
  document.getElementById('details').classList.remove('portal-hidden');
  document.getElementById('print').classList.remove('portal-hidden');
}

document.getElementById('print').addEventListener('click', () => window.print());
main();
