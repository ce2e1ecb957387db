import type { FastifyInstance } from 'fastify'
import { promptCatalog, validateBatch, type WireEvent } from 'prompt-telemetry'
import { bearer, identify, serviceCall } from '../auth'
import type { ServerConfig } from '../config'
import { checkEnvelope } from '../envelope'
import { authError, dbWait, HttpError, storageError, within } from '../errors'
import type { EventRow, EventWriter } from '../store'
import type { Tracing } from '../tracing'

const DAY = 86_400_000
const ENVELOPE = new Set(['id', 'event', 'ts', 'session_id', 'user_id', 'prompt_id'])

function toRow(e: WireEvent, userId: string | null, traceId: string): EventRow {
  const attributes: Record<string, unknown> = {}
  // An empty source says nothing: stored as none, as the reports' rollups (and filters) count it.
  for (const k in e) if (!ENVELOPE.has(k) && !(k == 'source' && e[k] === '')) attributes[k] = e[k]
  return {
    id: e.id,
    event: e.event,
    ts: e.ts,
    session_id: e.session_id,
    user_id: userId, // the caller's, derived by the server; a page's claim is dropped
    prompt_id: typeof e.prompt_id == 'string' ? e.prompt_id : null,
    attributes,
    trace_id: traceId,
  }
}

/** POST /telemetry/events: a batch of 1-50 catalog events; valid ones are stored once by id. */
export function eventsRoute(app: FastifyInstance, o: { config: ServerConfig; writer: EventWriter; tracing: Tracing }) {
  const { config, writer, tracing } = o
  app.post('/telemetry/events', { bodyLimit: config.bodyLimit }, async (req) => {
    const body = req.body as Record<string, unknown> | undefined
    const service = serviceCall(req, config)
    // A backend with a mistyped token would otherwise be taken for a page and lose its user ids.
    if (!service && bearer(req) !== undefined) throw new HttpError(403, 'wrong service token')
    const caller = service ? ({ kind: 'service', userId: null } as const) : identify(req, config, body && typeof body == 'object' ? body.write_key : undefined)
    if (caller.kind === 'none' || caller.kind === 'bad_key' || caller.kind === 'malformed_key') throw authError(caller.kind)
    req.span.setAttribute('enduser.kind', caller.kind)

    const envelopeError = checkEnvelope(body)
    if (envelopeError) throw new HttpError(400, envelopeError)
    const result = validateBatch(promptCatalog, body, { unknownKeys: 'reject' })
    if (result.error) throw new HttpError(400, result.error)

    // A client clock more than a minute off (sent_at against ours) shifts its events by the
    // difference; what is still more than a day ahead is refused, or it would top every
    // "latest" report for good.
    const now = config.now().getTime()
    const skew = typeof body!.sent_at == 'number' ? now - body!.sent_at : 0
    const shift = Math.abs(skew) > 60_000 ? skew : 0
    const bad = new Set(result.rejected.map((r) => r.index))
    const rejected = result.rejected.slice()
    const rows: EventRow[] = []
    let index = 0
    for (const e of result.events) {
      while (bad.has(index)) index++
      const ts = e.ts + shift
      if (ts > now + DAY || ts < 0) rejected.push({ index, reason: 'ts is more than a day ahead of the server clock, or before 1970' })
      else rows.push(toRow({ ...e, ts }, service ? (e.user_id ?? null) : caller.userId, req.traceId))
      index++
    }
    rejected.sort((a, b) => a.index - b.index)
    const n = (body!.events as unknown[]).length
    req.span.setAttributes({ 'ingest.events': n, 'ingest.accepted': rows.length, 'ingest.rejected': rejected.length })
    req.ingest = { accepted: rows.length, rejected: rejected.length }
    if (rows.length == 0) {
      writer.count({ events_rejected: rejected.length })
      throw new HttpError(400, 'no valid events in the batch', { rejected })
    }
    await within(
      dbWait(config.requestTimeoutMs),
      tracing.child(req.span, 'store events', (span) => {
        span.setAttribute('db.rows', rows.length)
        return writer.write(rows, {
          events_accepted: rows.length,
          events_rejected: rejected.length,
          client_dropped: typeof body!.dropped == 'number' ? body!.dropped : 0,
        })
      }),
    ).catch((e) => {
      throw storageError(e)
    })
    return { accepted: rows.length, rejected, trace_id: req.traceId }
  })
}
