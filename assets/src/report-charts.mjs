// Charts of the printable annual report (GET /api/v1/reports/annual?
// format=html): each table marked data-chart="bar|line" gets a chart of
// its own figures beside it, drawn with chart.mjs. The table stays the
// accessible form. data-chart-series names the columns charted (1-based
// after the row header: "4", "1,2" or "1-4"); data-chart-transpose draws
// one line a row over the columns (years); data-chart-max, -horizontal.
import { barChart, lineChart } from './chart.mjs';
import { when } from './when.mjs';

// Older figures say when they were kept, in London's time.
for (const note of document.querySelectorAll('[data-kept-at]')) {
  note.textContent = `These figures are as of ${when(note.dataset.keptAt)}. Newer figures are being gathered: reload this page in a minute to see them.`;
}

function columns(spec) {
  return spec.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b ? Array.from({ length: b - a + 1 }, (_, i) => a + i) : [a];
  });
}

function value(cell) {
  const v = cell?.dataset.value ?? cell?.textContent;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : null;
}

for (const table of document.querySelectorAll('table[data-chart]')) {
  const cols = columns(table.dataset.chartSeries ?? '1');
  const heads = [...table.tHead.rows[0].cells].map((c) => c.textContent.trim());
  const rows = [...table.tBodies[0].rows];
  if (rows.length === 0) continue;
  const box = document.createElement('div');
  box.className = 'report-chart';
  box.style.height = `${Math.max(240, table.dataset.chartHorizontal ? rows.length * 22 : 0)}px`;
  const canvas = document.createElement('canvas');
  box.append(canvas);
  table.before(box);
  const max = table.dataset.chartMax ? Number(table.dataset.chartMax) : undefined;
  const label = (r) => r.cells[0].textContent.trim();
  if (table.dataset.chartTranspose) {
    lineChart(canvas, {
      labels: cols.map((c) => heads[c]),
      datasets: rows.slice(0, 6).map((r) => ({ label: label(r), data: cols.map((c) => value(r.cells[c])) })),
      max,
    });
  } else {
    barChart(canvas, {
      labels: rows.map(label),
      datasets: cols.map((c) => ({ label: heads[c], data: rows.map((r) => value(r.cells[c])) })),
      horizontal: Boolean(table.dataset.chartHorizontal),
      max,
    });
  }
}
