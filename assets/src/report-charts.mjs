// Charts of the annual report (the page /reports/annual, and the
// document GET /api/v1/reports/annual?format=html it is drawn from): each
// table marked data-chart="bar|line" gets a chart of its own figures
// beside it, drawn with chart.mjs. The table stays the accessible form.
// data-chart-series names the columns charted (1-based after the row
// header: "4", "1,2" or "1-4"); data-chart-transpose draws one line a row
// over the columns (years); data-chart-top="6" draws only the six rows
// with the most in those columns (the agencies that matter, not the
// first six by name), ranked by the columns charted or by the column
// data-chart-rank names; data-chart-max, -horizontal.
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

// The chart's title: the table's caption.
const captionOf = (table) => table.caption?.textContent.trim();

// Draw the chart of every marked table under `root`.
export function chartTables(root = document) {
  for (const table of root.querySelectorAll('table[data-chart]')) {
    const cols = columns(table.dataset.chartSeries ?? '1');
    const heads = [...table.tHead.rows[0].cells].map((c) => c.textContent.trim());
    let rows = [...table.tBodies[0].rows];
    if (rows.length === 0) continue;
    const top = Number(table.dataset.chartTop);
    const ranked = table.dataset.chartRank ? columns(table.dataset.chartRank) : cols;
    const sum = (r) => ranked.reduce((s, c) => s + (value(r.cells[c]) ?? 0), 0);
    if (top && rows.length > top) {
      rows = rows.map((r, i) => [r, sum(r), i]).sort((a, b) => b[1] - a[1] || a[2] - b[2])
        .slice(0, top).map(([r]) => r);
    }
    const box = document.createElement('div');
    box.className = 'report-chart';
    // Room for the plot under the legend: a line a row needs more.
    box.style.height = `${Math.max(table.dataset.chartTranspose ? 380 : 260,
      table.dataset.chartHorizontal ? rows.length * 42 + 80 : 0)}px`;
    const canvas = document.createElement('canvas');
    box.append(canvas);
    (table.closest('.report-scroll') ?? table).before(box);
    const max = table.dataset.chartMax ? Number(table.dataset.chartMax) : undefined;
    const label = (r) => r.cells[0].textContent.trim();
    const words = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    const title = top && [...table.tBodies[0].rows].length > top
      ? `${captionOf(table)}: the ${words[top] ?? top} with the most places` : captionOf(table);
    if (table.dataset.chartTranspose) {
      lineChart(canvas, {
        labels: cols.map((c) => heads[c]),
        datasets: rows.map((r) => ({ label: label(r), data: cols.map((c) => value(r.cells[c])) })),
        max,
        title,
        categoryTitle: 'Financial year',
        valueTitle: 'Places taken up',
      });
    } else {
      barChart(canvas, {
        labels: rows.map(label),
        datasets: cols.map((c) => ({ label: heads[c], data: rows.map((r) => value(r.cells[c])) })),
        horizontal: Boolean(table.dataset.chartHorizontal),
        max,
        title,
        categoryTitle: heads[0],
        valueTitle: cols.length === 1 ? heads[cols[0]] : undefined,
      });
    }
  }
}

// The running heads of the printed pages (the partnership's name at the
// left, the report and its period at the right; the page number is in
// portal.scss): a rule for the named page "annual", in a stylesheet made
// through the CSSOM (the policy allows no inline style).
export function runningHeads(left, right) {
  const quote = (t) => `"${String(t).replace(/["\\]/g, '\\$&').replace(/\n/g, ' ')}"`;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`@page annual { @top-left { content: ${quote(left)}; } @top-right { content: ${quote(right)}; } }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

// The document of the API (and the PDF printed from it) draws its own
// charts and heads; the page does so once it has put the report in.
const main = document.querySelector('body.report-print main');
if (main) {
  runningHeads(main.dataset.partnership, `Annual training report ${main.dataset.year}, ${main.dataset.period}`);
  chartTables();
}
