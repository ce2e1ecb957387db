import { MAX_BATCH_EVENTS } from 'prompt-telemetry'

const KEYS = new Set(['events', 'sent_at', 'dropped', 'sdk', 'write_key'])

/**
 * Checks the envelope around the events (docs/wire-format.md): a JSON object with the SDK's
 * keys only and the right types. validateBatch checks the events themselves.
 */
export function checkEnvelope(body: unknown): string | undefined {
  if (body === null || typeof body != 'object' || Array.isArray(body)) return 'body must be a JSON object { "events": [...] }'
  const b = body as Record<string, unknown>
  for (const k of Object.keys(b)) if (!KEYS.has(k)) return `unknown envelope key "${k.slice(0, 64)}" (allowed: ${[...KEYS].join(', ')})`
  if (!Array.isArray(b.events)) return 'events must be an array'
  if (b.events.length > MAX_BATCH_EVENTS) return `at most ${MAX_BATCH_EVENTS} events per batch, got ${b.events.length}`
  if (b.sent_at != null && (typeof b.sent_at != 'number' || !Number.isFinite(b.sent_at))) return 'sent_at must be epoch milliseconds'
  if (b.dropped != null && (!Number.isInteger(b.dropped) || (b.dropped as number) < 0 || (b.dropped as number) > 1e9))
    return 'dropped must be a non-negative integer'
  if (b.sdk != null && (typeof b.sdk != 'string' || b.sdk.length > 64)) return 'sdk must be a string of at most 64 characters'
  if (b.write_key != null && typeof b.write_key != 'string') return 'write_key must be a string'
}
