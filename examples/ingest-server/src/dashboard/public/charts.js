import { days, fmt } from './format.js'
import { renderTable } from './table.js'

// Every colour is at least 3:1 against the white panel (WCAG 1.4.11); series never rely on colour
// alone: lines differ by dash and point shape, stacked bars by a fill pattern.
const PALETTE = ['#2563eb', '#16a34a', '#b45309', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#64748b']
const RATINGS = ['#dc2626', '#ea580c', '#a16207', '#4d7c0f', '#15803d']
const LINES = [
  { borderDash: [], pointStyle: 'circle' },
  { borderDash: [6, 4], pointStyle: 'rect' },
  { borderDash: [2, 3], pointStyle: 'triangle' },
  { borderDash: [10, 4, 2, 4], pointStyle: 'rectRot' },
]
const PATTERNS = ['solid', 'stripes', 'dots', 'cross', 'bars', 'backstripes', 'grid', 'solid']
const LEGEND = { position: 'bottom', labels: { boxWidth: 12 } }
const LINE_LEGEND = { position: 'bottom', labels: { usePointStyle: true, boxWidth: 12 } }
const charts = new Map()

/** A fill of `color` with a white `kind` of pattern on it, for a bar told apart without colour. */
function pattern(color, kind) {
  if (kind == 'solid') return color
  const c = document.createElement('canvas')
  c.width = c.height = 8
  const g = c.getContext('2d')
  g.fillStyle = color
  g.fillRect(0, 0, 8, 8)
  g.strokeStyle = g.fillStyle = 'rgba(255,255,255,.75)'
  g.lineWidth = 1.5
  const path = {
    stripes: [[0, 8, 8, 0], [-2, 2, 2, -2], [6, 10, 10, 6]],
    backstripes: [[0, 0, 8, 8], [-2, 6, 2, 10], [6, -2, 10, 2]],
    cross: [[0, 0, 8, 8], [0, 8, 8, 0]],
    bars: [[4, 0, 4, 8]],
    grid: [[4, 0, 4, 8], [0, 4, 8, 4]],
  }[kind]
  if (path)
    for (const [x1, y1, x2, y2] of path) {
      g.beginPath()
      g.moveTo(x1, y1)
      g.lineTo(x2, y2)
      g.stroke()
    }
  else g.fillRect(3, 3, 2.5, 2.5) // dots
  return g.createPattern(c, 'repeat')
}

/**
 * Creates the chart on first use, then only swaps its data (no flicker on refresh). Every chart
 * has its numbers in a table under it (`table`: the header of the label column and the format of
 * the values) and says "No data for this range" instead of drawing empty axes (`table.empty`, or
 * no value at all, or only zeros with `table.zeroIsEmpty`).
 */
function draw(id, type, data, options = {}, table = {}) {
  const canvas = document.getElementById(id)
  const values = data.datasets.flatMap((d) => d.data)
  const empty = table.empty ?? (values.every((v) => v == null) || (table.zeroIsEmpty && values.every((v) => !v)))
  canvas.parentElement.hidden = empty
  document.getElementById(`${id}-empty`).hidden = !empty
  document.getElementById(`${id}-table`).closest('details').hidden = empty
  renderTable(
    document.getElementById(`${id}-table`),
    [{ key: 'label', label: table.head ?? '' }, ...data.datasets.map((d, i) => ({ key: i, label: d.label, numeric: true, format: table.format }))],
    data.labels.map((label, i) => Object.assign({ label }, data.datasets.map((d) => d.data[i]))),
  )
  let chart = charts.get(id)
  if (chart) {
    chart.data = data
    chart.update()
    return chart
  }
  chart = new globalThis.Chart(canvas, {
    type,
    data,
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: LEGEND }, ...options },
  })
  charts.set(id, chart)
  return chart
}

const byDay = (rows, key, range) => {
  const m = new Map(rows.map((r) => [r.day, r[key]]))
  return days(range.from, range.to).map((d) => m.get(d) ?? null)
}

/** A line series: its colour and, so that colour is not the only difference, the dash and point shape of `style`. */
const line = (label, data, color, style) => ({ label, data, borderColor: color, backgroundColor: color, ...LINES[style], pointRadius: 3, pointHoverRadius: 5, tension: 0.2 })

/** Stacked events per day: the six busiest event names, the rest as "other". */
export function eventsChart(rows, range) {
  const labels = days(range.from, range.to)
  const totals = new Map()
  for (const r of rows) totals.set(r.event, (totals.get(r.event) ?? 0) + r.events)
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([e]) => e)
  const series = new Map([...top, 'other'].map((e) => [e, labels.map(() => 0)]))
  for (const r of rows) {
    const s = series.get(top.includes(r.event) ? r.event : 'other')
    const i = labels.indexOf(r.day)
    if (s && i >= 0) s[i] += r.events
  }
  if (series.get('other').every((v) => v == 0)) series.delete('other')
  const datasets = [...series.entries()].map(([label, data], i) => ({
    label,
    data,
    backgroundColor: pattern(PALETTE[i % PALETTE.length], PATTERNS[i % PATTERNS.length]),
    borderColor: '#fff',
    borderWidth: { top: 1 },
    stack: 'events',
  }))
  return draw('chart-events', 'bar', { labels, datasets }, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'events' } } } }, { head: 'Day', format: fmt.int, zeroIsEmpty: true })
}

export function funnelChart(row) {
  const r = row ?? { impressions: 0, selections: 0, completions: 0 }
  document.getElementById('funnel-rates').textContent = r.impressions > 0 ? `selection ${fmt.pct(r.selection_rate)} · completion ${fmt.pct(r.completion_rate)}` : 'no impressions'
  return draw(
    'chart-funnel',
    'bar',
    { labels: ['Impressions', 'Selections', 'Completions'], datasets: [{ label: 'Prompts', data: [r.impressions, r.selections, r.completions], backgroundColor: PALETTE.slice(0, 3) }] },
    { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
    { head: 'Step', format: fmt.int, zeroIsEmpty: true },
  )
}

export function psrChart(rows) {
  const data = [1, 2, 3, 4, 5].map((n) => rows.find((r) => r.rating == n)?.ratings ?? 0)
  return draw(
    'chart-psr',
    'bar',
    { labels: ['1 ★', '2 ★', '3 ★', '4 ★', '5 ★'], datasets: [{ label: 'Ratings', data, backgroundColor: RATINGS }] },
    { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'ratings' } } } },
    { head: 'Stars', format: fmt.int, zeroIsEmpty: true },
  )
}

export function latencyChart(rows, range) {
  return draw(
    'chart-latency',
    'line',
    {
      labels: days(range.from, range.to),
      datasets: [
        line('p50', byDay(rows, 'p50_ms', range), PALETTE[1], 0),
        line('p95', byDay(rows, 'p95_ms', range), PALETTE[2], 1),
        line('p99', byDay(rows, 'p99_ms', range), PALETTE[3], 2),
        line('time to first token p50', byDay(rows, 'ttft_p50_ms', range), PALETTE[0], 3),
      ], // no line across days without calls: a gap is not a trend
    },
    { plugins: { legend: LINE_LEGEND }, scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } } } },
    { head: 'Day', format: fmt.ms },
  )
}

export function costChart(rows, range) {
  return draw(
    'chart-cost',
    'bar',
    { labels: days(range.from, range.to), datasets: [{ label: 'Cost (USD)', data: byDay(rows, 'cost_usd', range), backgroundColor: PALETTE[4] }] },
    { plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => fmt.usd(c.parsed.y) } } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'USD' } } } },
    { head: 'Day', format: fmt.usd, empty: !rows.some((r) => r.calls > 0) },
  )
}

export function errorChart(errorRows, offTopicRows, range) {
  const pct = (rows, key) => byDay(rows, key, range).map((v) => (v == null ? null : +(v * 100).toFixed(2)))
  return draw(
    'chart-errors',
    'line',
    {
      labels: days(range.from, range.to),
      datasets: [line('error rate %', pct(errorRows, 'error_rate'), PALETTE[3], 0), line('off-topic %', pct(offTopicRows, 'off_topic_rate'), PALETTE[7], 1)],
    },
    { plugins: { legend: LINE_LEGEND }, scales: { y: { beginAtZero: true, title: { display: true, text: '% of calls' } } } },
    { head: 'Day', format: fmt.pct100 },
  )
}
