import { createTelemetry, promptCatalog, hash, uuidv7 } from '/sdk/index.js'

const $ = (id) => document.getElementById(id)
const log = (line) => {
  $('log').textContent = `${new Date().toLocaleTimeString()}  ${line}\n` + $('log').textContent
}

// The demo login sets a signed session cookie; the server derives user_id from it.
const me = await fetch('/auth/demo-login', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ user_id: 'demo-user' }),
}).then((r) => r.json())
$('who').textContent = me.user_id

const t = createTelemetry({ catalog: promptCatalog, endpoint: '/telemetry/events', flushInterval: 2000, debug: true })
t.subscribe((e) => log(`queued ${e.event}${e.prompt_id ? ' ' + e.prompt_id : ''}`))
setInterval(() => {
  const s = t.stats()
  $('stats').textContent = `queued ${s.queued} · sent ${s.sent} · failed ${s.failed} · retried ${s.retried} · rejected ${s.rejected}`
}, 500)

const prompts = ['p-welcome', 'p-summarize', 'p-translate']
$('show').onclick = () => {
  const list = $('prompts')
  list.textContent = ''
  prompts.forEach((id, rank) => {
    const impression_id = uuidv7()
    t.track('prompt.impression', { prompt_id: id, impression_id, rank, source: 'basic-demo', entropy: 0.4 })
    const li = document.createElement('li')
    const pick = document.createElement('button')
    pick.type = 'button'
    pick.textContent = `Pick ${id}`
    pick.onclick = () => {
      const shown = performance.now()
      t.track('prompt.selection', { prompt_id: id, impression_id, rank, source: 'basic-demo' })
      // Pretend the model answered after a moment.
      setTimeout(() => {
        const dwell_time_ms = Math.round(performance.now() - shown)
        t.track('prompt.completion', { prompt_id: id, impression_id, outcome: 'success', dwell_time_ms, entropy_delta: -0.1 })
      }, 600)
    }
    li.append(pick)
    list.append(li)
  })
}

$('copy').onclick = () => t.track('prompt_copied', { prompt_id: 'p-welcome', variant: 'body', source: 'card' })
$('search').onclick = async () => {
  const q = 'retention'
  t.track('vault.search_performed', { result_count: 3, query_len: q.length, query_hash: await hash(q), latency_ms: 12 })
}
$('rate').onclick = async () => {
  const r = await fetch('/psr', {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ prompt_id: 'p-welcome', rating: 5, source: 'manual' }),
  })
  log(`POST /psr -> ${r.status} ${await r.text()}`)
}
$('flush').onclick = async () => {
  await t.flush()
  log('flushed')
}
