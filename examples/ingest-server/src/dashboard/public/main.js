import { isOperator, report, signIn, signOut, Unauthorized } from './api.js'
import { costChart, errorChart, eventsChart, funnelChart, latencyChart, psrChart } from './charts.js'
import { fmt } from './format.js'
import { renderTable } from './table.js'

const $ = (id) => document.getElementById(id)
const state = { days: 14, sort: 'impressions', order: 'desc', lens: '', source: '' }
// Each load is numbered: an answer a newer load of the same panels overtook is dropped, or a
// quick change of range or filter left the panels showing the older choice.
const latest = { all: 0, prompts: 0 }

const PROMPT_COLUMNS = [
  { key: 'prompt_id', label: 'Prompt' },
  { key: 'impressions', label: 'Impressions', numeric: true, format: fmt.int },
  { key: 'selections', label: 'Selections', numeric: true, format: fmt.int },
  { key: 'completions', label: 'Completions', numeric: true, format: fmt.int },
  { key: 'selection_rate', label: 'Selection rate', numeric: true, format: fmt.pct },
  { key: 'completion_rate', label: 'Completion rate', numeric: true, format: fmt.pct },
  { key: 'avg_dwell_time_ms', label: 'Avg dwell', numeric: true, format: fmt.ms },
  { key: 'avg_entropy_delta', label: 'Avg entropy Δ', numeric: true, format: fmt.num },
  { key: 'psr_avg', label: 'PSR', numeric: true, format: fmt.num },
  { key: 'psr_ratings', label: 'Ratings', numeric: true, format: fmt.int },
  { key: 'last_surfaced', label: 'Last surfaced', numeric: true, format: fmt.date },
]

/** The range of the selector, as whole UTC days ending today. */
function range() {
  const to = new Date()
  const from = new Date(to)
  from.setUTCDate(from.getUTCDate() - (state.days - 1))
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) }
}

/**
 * Switches between the sign-in form and the dashboard. `focus`: move the keyboard focus to the
 * heading of the view shown (after signing in or out, when the control that had it is hidden).
 */
function show(view, focus = false) {
  const hid = document.activeElement?.closest(view == 'login' ? '#board, #controls' : '#login')
  document.body.dataset.state = view
  $('login').hidden = view != 'login'
  $('board').hidden = view == 'login'
  $('controls').hidden = view == 'login'
  if (focus || hid) $(view == 'login' ? 'login-title' : 'title').focus()
}

async function loadPrompts() {
  const mine = ++latest.prompts
  const r = range()
  const filters = { lens: state.lens, source: state.source }
  const [perf, funnel] = await Promise.all([
    report('prompt-performance', { ...r, ...filters, sort: state.sort, order: state.order, limit: 200 }),
    report('funnel', { ...r, ...filters }),
  ])
  if (mine != latest.prompts) return
  const table = $('prompts')
  table.hidden = perf.rows.length == 0
  $('prompts-empty').hidden = perf.rows.length > 0
  renderTable(table, PROMPT_COLUMNS, perf.rows, {
    key: state.sort,
    order: state.order,
    onSort: (key, order) => {
      Object.assign(state, { sort: key, order })
      run(loadPrompts)
    },
  })
  funnelChart(funnel.rows[0])
}

function fillFilter(select, values, current) {
  const first = select.options[0]
  const opts = values.map((v) => Object.assign(document.createElement('option'), { value: v, textContent: v }))
  select.replaceChildren(first, ...opts)
  select.value = values.includes(current) ? current : ''
}

async function loadAll() {
  const mine = ++latest.all
  const r = range()
  const q = (name, extra) => report(name, { ...r, ...extra })
  const [events, psr, latencyDaily, latency, cost, errorRate, offTopic, errors, models, users, fingerprints, ingest, facets] = await Promise.all([
    q('events-daily'),
    q('psr-distribution'),
    q('llm-latency-daily'),
    q('llm-latency'),
    q('llm-cost'),
    q('llm-error-rate'),
    q('llm-off-topic'),
    q('llm-errors'),
    q('llm-models'),
    q('llm-users', { limit: 10 }),
    q('llm-fingerprints', { limit: 10 }),
    q('ingest'),
    q('prompt-facets'),
  ])
  if (mine != latest.all) return
  fillFilter($('lens'), facets.rows.filter((f) => f.facet == 'lens').map((f) => f.value), state.lens)
  fillFilter($('source'), facets.rows.filter((f) => f.facet == 'source').map((f) => f.value), state.source)
  state.lens = $('lens').value
  state.source = $('source').value
  await loadPrompts()
  if (mine != latest.all) return

  eventsChart(events.rows, r)
  psrChart(psr.rows)
  latencyChart(latencyDaily.rows, r)
  costChart(cost.rows, r)
  errorChart(errorRate.rows, offTopic.rows, r)

  const sum = (rows, k) => rows.reduce((a, x) => a + (x[k] ?? 0), 0)
  const calls = sum(errorRate.rows, 'calls')
  const total = latency.rows.find((x) => x.kind == 'call' && x.metric == 'total')
  const ttft = latency.rows.find((x) => x.kind == 'call' && x.metric == 'ttft')
  const ratings = sum(psr.rows, 'ratings')
  const accepted = sum(ingest.rows, 'events_accepted')
  $('kpi-calls').textContent = fmt.int(calls)
  $('kpi-cost').textContent = fmt.usd(sum(cost.rows, 'cost_usd'))
  // A model missing from the price table costs nothing in the sum: say how many calls that is.
  const unpriced = sum(cost.rows, 'unpriced_calls')
  $('kpi-pricing').textContent = [cost.pricing && `prices ${cost.pricing.version}`, unpriced && `${fmt.int(unpriced)} calls unpriced, not counted`].filter(Boolean).join(' · ')
  $('kpi-errors').textContent = calls ? fmt.pct(sum(errorRate.rows, 'errors') / calls) : '–'
  $('kpi-p95').textContent = fmt.ms(total?.p95_ms)
  $('kpi-ttft').textContent = ttft ? `first token p50 ${fmt.ms(ttft.p50_ms)}` : ''
  $('kpi-psr').textContent = ratings ? fmt.num(psr.rows.reduce((a, x) => a + x.rating * x.ratings, 0) / ratings) : '–'
  $('kpi-psr-n').textContent = `${fmt.int(ratings)} ratings`
  $('kpi-events').textContent = fmt.int(sum(ingest.rows, 'events_stored'))
  $('kpi-accept').textContent = accepted ? `${fmt.pct(accepted / (accepted + sum(ingest.rows, 'events_rejected')))} accepted` : ''

  renderTable($('t-errors'), [
    { key: 'error_type', label: 'Error type' },
    { key: 'failed_step', label: 'Failed step' },
    { key: 'errors', label: 'Errors', numeric: true, format: fmt.int },
    { key: 'pct_of_calls', label: '% of calls', numeric: true, format: fmt.pct100 },
    { key: 'users', label: 'Users', numeric: true, format: fmt.int },
  ], errors.rows)
  renderTable($('t-models'), [
    { key: 'provider', label: 'Provider' },
    { key: 'model', label: 'Model' },
    { key: 'calls', label: 'Calls', numeric: true, format: fmt.int },
    { key: 'error_rate', label: 'Errors', numeric: true, format: fmt.pct },
    { key: 'p50_ms', label: 'p50', numeric: true, format: fmt.ms },
    { key: 'p95_ms', label: 'p95', numeric: true, format: fmt.ms },
    { key: 'ttft_p50_ms', label: 'TTFT p50', numeric: true, format: fmt.ms },
    { key: 'cost_usd', label: 'Cost', numeric: true, format: fmt.usd },
    { key: 'cost_per_call_usd', label: 'Per call', numeric: true, format: fmt.usd },
  ], models.rows)
  renderTable($('t-latency'), [
    { key: 'label', label: 'Step' },
    { key: 'samples', label: 'Samples', numeric: true, format: fmt.int },
    { key: 'p50_ms', label: 'p50', numeric: true, format: fmt.ms },
    { key: 'p95_ms', label: 'p95', numeric: true, format: fmt.ms },
    { key: 'p99_ms', label: 'p99', numeric: true, format: fmt.ms },
  ], latency.rows.map((x) => ({ ...x, label: x.kind == 'step' ? x.metric : { total: 'whole call', ttfb: 'first byte', ttft: 'first token' }[x.metric] ?? x.metric })))
  renderTable($('t-users'), [
    { key: 'user_id', label: 'User' },
    { key: 'calls', label: 'Calls', numeric: true, format: fmt.int },
    { key: 'total_tokens', label: 'Tokens', numeric: true, format: fmt.int },
    { key: 'cost_usd', label: 'Cost', numeric: true, format: fmt.usd },
    { key: 'errors', label: 'Errors', numeric: true, format: fmt.int },
    { key: 'off_topic', label: 'Off-topic', numeric: true, format: fmt.int },
  ], users.rows)
  renderTable($('t-fingerprints'), [
    { key: 'query_fingerprint', label: 'Fingerprint', format: fmt.hash },
    { key: 'calls', label: 'Calls', numeric: true, format: fmt.int },
    { key: 'users', label: 'Users', numeric: true, format: fmt.int },
    { key: 'avg_duration_ms', label: 'Avg', numeric: true, format: fmt.ms },
    { key: 'errors', label: 'Errors', numeric: true, format: fmt.int },
  ], fingerprints.rows)
  renderTable($('t-ingest'), [
    { key: 'day', label: 'Day' },
    { key: 'requests', label: 'Requests', numeric: true, format: fmt.int },
    { key: 'requests_rejected', label: 'Refused', numeric: true, format: fmt.int },
    { key: 'events_accepted', label: 'Accepted', numeric: true, format: fmt.int },
    { key: 'events_rejected', label: 'Rejected', numeric: true, format: fmt.int },
    { key: 'events_stored', label: 'Stored', numeric: true, format: fmt.int },
    { key: 'client_dropped', label: 'Dropped by SDK', numeric: true, format: fmt.int },
  ], [...ingest.rows].reverse())
}

/**
 * Runs a load, switching to the login form when the session is gone. Loads overlap when the
 * range or a filter changes quickly: the page is ready once the last of them ends, and shows an
 * error if any of them failed.
 */
let running = 0
let failed = false
async function run(load) {
  if (running++ == 0) failed = false
  document.body.dataset.state = 'loading'
  // aria-disabled, not disabled: a disabled button would drop the keyboard focus it may have.
  $('refresh').setAttribute('aria-disabled', 'true')
  let signedOut = false
  try {
    await load()
  } catch (e) {
    if (e instanceof Unauthorized) signedOut = true
    else {
      failed = true
      $('load-error').textContent = `Could not load the reports: ${e.message}`
      $('load-error').hidden = false
    }
  } finally {
    if (--running == 0) $('refresh').removeAttribute('aria-disabled')
    if (signedOut) show('login')
    else if (running == 0 && document.body.dataset.state == 'loading') {
      if (!failed) {
        $('load-error').hidden = true
        $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`
      }
      document.body.dataset.state = failed ? 'error' : 'ready'
    }
  }
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault()
  $('login-error').textContent = ''
  try {
    await signIn($('token').value)
    $('token').value = ''
    show('loading', true)
    await run(loadAll)
  } catch (err) {
    $('login-error').textContent = err.message
  }
})
$('refresh').addEventListener('click', (e) => e.currentTarget.getAttribute('aria-disabled') != 'true' && run(loadAll))
$('range').addEventListener('change', (e) => {
  state.days = +e.target.value
  run(loadAll)
})
for (const id of ['lens', 'source'])
  $(id).addEventListener('change', (e) => {
    state[id] = e.target.value
    run(loadPrompts)
  })
$('logout').addEventListener('click', async () => {
  await signOut()
  show('login', true)
})

if (await isOperator()) {
  show('loading')
  await run(loadAll)
} else show('login')
