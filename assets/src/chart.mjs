// Charts for feedback, coverage and reports: Chart.js from npm (copied into
// dist/ by the build, never committed), drawn on a <canvas> that sits
// beside a table holding the same figures. The canvas is hidden from
// screen readers (the table is the accessible form) and every series has
// its own colour and its own dash or pattern-free label in the legend, so
// colour is never the only way to tell series apart.
import './chart.umd.min.js';

const { Chart } = globalThis;
// Text a person can read: GOV.UK's body size for labels and titles.
Chart.defaults.font.size = 14;
Chart.defaults.color = '#0b0c0c';

// A long category label as lines of at most `width` characters, broken
// between words (Chart.js draws an array as lines), so that a narrow
// screen shows a course's whole name rather than cut it off.
function lines(label, width = 24) {
  const out = [];
  for (const word of String(label).split(/\s+/)) {
    if (out.length && (out.at(-1).length + word.length + 1) <= width) out[out.length - 1] += ` ${word}`;
    else out.push(word);
  }
  return out;
}

// GOV.UK Design System colours with enough contrast on white.
const COLOURS = ['#1d70b8', '#f47738', '#00703c', '#912b88', '#505a5f', '#d4351c'];
const DASHES = [[], [6, 3], [2, 2], [10, 4, 2, 4], [1, 3], [8, 8]];

// barChart(canvas, {labels, datasets: [{label, data}], horizontal, max,
// stacked, title, categoryTitle, valueTitle}): draws (or redraws) a bar
// chart; returns the Chart instance. A dataset's data may hold [low,
// high] pairs (floating bars: an interval). The titles name the chart
// and its axes (the category axis runs down the page when horizontal).
export function barChart(canvas, { labels, datasets, horizontal = false, max, stacked = false, title, categoryTitle,
  valueTitle }) {
  return draw(canvas, 'bar', labels, datasets.map((d, i) => ({
    backgroundColor: COLOURS[i % COLOURS.length],
    borderColor: '#0b0c0c',
    borderWidth: datasets.length > 1 ? i % 3 : 0,
    ...d,
  })), { indexAxis: horizontal ? 'y' : 'x', max, stacked, title, categoryTitle, valueTitle });
}

// lineChart(canvas, {labels, datasets: [{label, data}], max, title,
// categoryTitle, valueTitle}): one line per series, each with its own
// dash pattern and point style.
export function lineChart(canvas, { labels, datasets, max, title, categoryTitle, valueTitle }) {
  const points = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'cross'];
  return draw(canvas, 'line', labels, datasets.map((d, i) => ({
    ...d,
    borderColor: COLOURS[i % COLOURS.length],
    backgroundColor: COLOURS[i % COLOURS.length],
    borderDash: DASHES[i % DASHES.length],
    pointStyle: points[i % points.length],
    pointRadius: 4,
    spanGaps: false,
  })), { max, title, categoryTitle, valueTitle });
}

function draw(canvas, type, labels, datasets, { indexAxis = 'x', max, stacked = false, title, categoryTitle,
  valueTitle }) {
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
      plugins: {
        legend: { display: datasets.length > 1, labels: { usePointStyle: type === 'line' } },
        title: { display: Boolean(title), text: title ?? '', align: 'start', font: { size: 16, weight: 'bold' } },
      },
      scales: {
        [value]: { beginAtZero: true, ...(max !== undefined ? { max } : {}), stacked,
          title: { display: Boolean(valueTitle), text: valueTitle ?? '' } },
        [indexAxis]: { stacked, title: { display: Boolean(categoryTitle), text: categoryTitle ?? '' },
          ticks: { autoSkip: false, callback(v) { return lines(this.getLabelForValue(v)); } } },
      },
    },
  });
}
