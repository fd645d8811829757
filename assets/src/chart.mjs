// Charts for feedback, coverage and reports: Chart.js from npm (copied into
// dist/ by the build, never committed), drawn on a <canvas> that sits
// beside a table holding the same figures. The canvas is hidden from
// screen readers (the table is the accessible form) and every series has
// its own colour and its own dash or pattern-free label in the legend, so
// colour is never the only way to tell series apart.
import './chart.umd.min.js';

const { Chart } = globalThis;

// GOV.UK Design System colours with enough contrast on white.
const COLOURS = ['#1d70b8', '#f47738', '#00703c', '#912b88', '#505a5f', '#d4351c'];
const DASHES = [[], [6, 3], [2, 2], [10, 4, 2, 4], [1, 3], [8, 8]];

// barChart(canvas, {labels, datasets: [{label, data}], horizontal, max,
// stacked}): draws (or redraws) a bar chart; returns the Chart instance.
export function barChart(canvas, { labels, datasets, horizontal = false, max, stacked = false }) {
  return draw(canvas, 'bar', labels, datasets.map((d, i) => ({
    ...d,
    backgroundColor: COLOURS[i % COLOURS.length],
    borderColor: '#0b0c0c',
    borderWidth: datasets.length > 1 ? i % 3 : 0,
  })), { indexAxis: horizontal ? 'y' : 'x', max, stacked });
}

// lineChart(canvas, {labels, datasets: [{label, data}], max}): one line per
// series, each with its own dash pattern and point style.
export function lineChart(canvas, { labels, datasets, max }) {
  const points = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'cross'];
  return draw(canvas, 'line', labels, datasets.map((d, i) => ({
    ...d,
    borderColor: COLOURS[i % COLOURS.length],
    backgroundColor: COLOURS[i % COLOURS.length],
    borderDash: DASHES[i % DASHES.length],
    pointStyle: points[i % points.length],
    pointRadius: 4,
    spanGaps: false,
  })), { max });
}

function draw(canvas, type, labels, datasets, { indexAxis = 'x', max, stacked = false }) {
  canvas.setAttribute('aria-hidden', 'true');
  canvas.setAttribute('role', 'presentation');
  Chart.getChart(canvas)?.destroy();
  const value = indexAxis === 'x' ? 'y' : 'x';
  return new Chart(canvas, {
    type,
    data: { labels, datasets },
    options: {
      indexAxis,
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: datasets.length > 1, labels: { usePointStyle: type === 'line' } } },
      scales: {
        [value]: { beginAtZero: true, ...(max !== undefined ? { max } : {}), stacked },
        [indexAxis]: { stacked },
      },
    },
  });
}
