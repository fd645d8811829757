// Reports are gathered off the request path: while the portal gathers
// one, it answers 202 (nothing kept yet) or the last figures kept, with
// the time they were kept (`kept_at`). reportGet() asks again until the
// figures come, and says so plainly in a box under the filters: a
// progress bar while gathering, and "as of" while the figures shown are
// older ones; when newer figures are kept, `fresher` is called to show
// them.
import { api, el } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';

// Seconds between asks, and how long a page keeps asking.
const AGAIN_MS = 2000;
const GIVE_UP_MS = 5 * 60 * 1000;

// path -> {keptAt} of the reports this page is waiting for.
const waiting = new Map();
const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function show() {
  let box = document.getElementById('report-status');
  if (waiting.size === 0) {
    box?.remove();
    return;
  }
  if (!box) {
    box = el('div', 'govuk-inset-text');
    box.id = 'report-status';
    box.setAttribute('role', 'status');
    const after = document.getElementById('filters') ?? document.querySelector('main h1');
    after.after(box);
  }
  const gathering = [...waiting.values()].filter((w) => !w.keptAt);
  const stale = [...waiting.values()].filter((w) => w.keptAt).map((w) => w.keptAt).sort();
  const parts = [];
  if (gathering.length) {
    parts.push(el('p', 'govuk-body', 'Gathering the latest figures. This can take a minute: they will show here when ready.'));
    const bar = el('progress', 'portal-progress');
    bar.setAttribute('aria-label', 'Gathering the latest figures');
    parts.push(bar);
  }
  if (stale.length) {
    parts.push(el('p', 'govuk-body', `These figures are as of ${when(stale[0])}. Newer figures are being gathered and will replace them when ready.`));
  }
  box.replaceChildren(...parts);
}

// The report at `path` ({status, json}, as api() answers) once there are
// figures to show: current ones, or older ones marked by `kept_at` (then
// `fresher(res)` is called with newer ones when they are kept).
export async function reportGet(path, fresher) {
  const end = Date.now() + GIVE_UP_MS;
  let res;
  for (;;) {
    res = await api('GET', path);
    if (res.status !== 202 || Date.now() > end) break;
    waiting.set(path, {});
    show();
    await pause(AGAIN_MS);
  }
  if (res.status === 200 && res.json?.kept_at) {
    waiting.set(path, { keptAt: res.json.kept_at });
    show();
    watch(path, res.json.kept_at, end, fresher);
  } else {
    waiting.delete(path);
    show();
  }
  return res;
}

// Ask again until figures newer than `keptAt` are kept, then show them.
async function watch(path, keptAt, end, fresher) {
  while (Date.now() < end) {
    await pause(AGAIN_MS);
    if (waiting.get(path)?.keptAt !== keptAt) return; // asked afresh meanwhile
    const res = await api('GET', path);
    if (res.status === 202) continue;
    if (res.status !== 200) break;
    if (res.json.kept_at && res.json.kept_at <= keptAt) continue;
    waiting.delete(path);
    show();
    fresher?.(res);
    return;
  }
  waiting.delete(path);
  show();
}

// Forget what this page was waiting for (new filters are asked for).
export function reportForget() {
  waiting.clear();
  show();
}
