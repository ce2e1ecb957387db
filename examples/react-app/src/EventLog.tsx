import { useEffect, useState } from 'react'
import { useTelemetry } from 'prompt-telemetry/react'

type Row = { id: string; event: string; detail: string }
const SHOWN = ['prompt_id', 'rank', 'rating', 'has_note', 'outcome', 'feedback', 'reason', 'source']

/** What the SDK queued, newest first, and what it sent: the page's view of the pipeline. */
export function EventLog() {
  const t = useTelemetry()
  const [rows, setRows] = useState<Row[]>([])
  const [stats, setStats] = useState(t.stats())
  useEffect(() => {
    const stop = t.subscribe((e) => {
      const detail = SHOWN.filter((k) => e[k] != null).map((k) => `${k}=${String(e[k])}`).join(' ')
      setRows((r) => [{ id: e.id, event: e.event, detail }, ...r].slice(0, 14))
    })
    const timer = setInterval(() => setStats(t.stats()), 500)
    return () => (stop(), clearInterval(timer))
  }, [t])
  return (
    <section className="log" aria-label="Events">
      <h2>Events</h2>
      <p className="stats">
        queued {stats.queued} · sent {stats.sent} · failed {stats.failed} · dropped {stats.dropped}
      </p>
      <ol>
        {rows.map((r) => (
          <li key={r.id}>
            <code>{r.event}</code> <span>{r.detail}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
