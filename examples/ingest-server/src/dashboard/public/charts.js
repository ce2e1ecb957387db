import { days, fmt } from './format.js'

const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#64748b']
const charts = new Map()

/** Creates the chart on first use, then only swaps its data (no flicker on refresh). */
function draw(id, type, data, options = {}) {
  const canvas = document.getElementById(id)
  let chart = charts.get(id)
  if (chart) {
    chart.data = data
    chart.update()
    return chart
  }
  chart = new globalThis.Chart(canvas, {
    type,
    data,
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }, ...options },
  })
  charts.set(id, chart)
  return chart
}

const byDay = (rows, key, range) => {
  const m = new Map(rows.map((r) => [r.day, r[key]]))
  return days(range.from, range.to).map((d) => m.get(d) ?? null)
}

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
  const datasets = [...series.entries()].map(([label, data], i) => ({ label, data, backgroundColor: PALETTE[i % PALETTE.length], stack: 'events' }))
  return draw('chart-events', 'bar', { labels, datasets }, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } })
}

export function funnelChart(row) {
  const r = row ?? { impressions: 0, selections: 0, completions: 0 }
  document.getElementById('funnel-rates').textContent = row ? `selection ${fmt.pct(r.selection_rate)} · completion ${fmt.pct(r.completion_rate)}` : ''
  return draw(
    'chart-funnel',
    'bar',
    { labels: ['Impressions', 'Selections', 'Completions'], datasets: [{ label: 'Prompts', data: [r.impressions, r.selections, r.completions], backgroundColor: PALETTE.slice(0, 3) }] },
    { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
  )
}

export function psrChart(rows) {
  const data = [1, 2, 3, 4, 5].map((n) => rows.find((r) => r.rating == n)?.ratings ?? 0)
  return draw(
    'chart-psr',
    'bar',
    { labels: ['1 ★', '2 ★', '3 ★', '4 ★', '5 ★'], datasets: [{ label: 'Ratings', data, backgroundColor: ['#dc2626', '#f97316', '#f59e0b', '#84cc16', '#16a34a'] }] },
    { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  )
}

export function latencyChart(rows, range) {
  const line = (label, key, color) => ({ label, data: byDay(rows, key, range), borderColor: color, backgroundColor: color, spanGaps: true, tension: 0.2 })
  return draw(
    'chart-latency',
    'line',
    { labels: days(range.from, range.to), datasets: [line('p50', 'p50_ms', PALETTE[1]), line('p95', 'p95_ms', PALETTE[2]), line('p99', 'p99_ms', PALETTE[3]), line('time to first token p50', 'ttft_p50_ms', PALETTE[0])] },
    { scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } } } },
  )
}

export function costChart(rows, range) {
  return draw(
    'chart-cost',
    'bar',
    { labels: days(range.from, range.to), datasets: [{ label: 'USD', data: byDay(rows, 'cost_usd', range), backgroundColor: PALETTE[4] }] },
    { plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => fmt.usd(c.parsed.y) } } }, scales: { y: { beginAtZero: true } } },
  )
}

export function errorChart(errorRows, offTopicRows, range) {
  const pct = (rows, key) => byDay(rows, key, range).map((v) => (v == null ? null : +(v * 100).toFixed(2)))
  return draw(
    'chart-errors',
    'line',
    {
      labels: days(range.from, range.to),
      datasets: [
        { label: 'error rate %', data: pct(errorRows, 'error_rate'), borderColor: PALETTE[3], backgroundColor: PALETTE[3], tension: 0.2 },
        { label: 'off-topic %', data: pct(offTopicRows, 'off_topic_rate'), borderColor: PALETTE[7], backgroundColor: PALETTE[7], tension: 0.2 },
      ],
    },
    { scales: { y: { beginAtZero: true, title: { display: true, text: '% of calls' } } } },
  )
}
