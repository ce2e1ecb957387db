import { utf8Length } from '../core/guardrails'
import type { Envelope } from './types'

/** Largest body per request: under Chrome's 64 KiB keepalive / sendBeacon quota. */
export const MAX_BODY_BYTES = 56 * 1024
export const MAX_BODY_EVENTS = 50

/** One request body and how many events it holds. */
export interface Body {
  body: string
  count: number
}

/**
 * Serializes an envelope into one or more JSON bodies of at most 50 events and 56 KiB each.
 * Each event is stringified once; `dropped` rides on the first body only.
 */
export function encode(env: Envelope, maxBytes = MAX_BODY_BYTES, maxEvents = MAX_BODY_EVENTS): Body[] {
  const parts = env.events.map((e) => JSON.stringify(e))
  const key = env.write_key == null ? '' : `,"write_key":${JSON.stringify(env.write_key)}`
  const tail = (dropped: number) => `],"sent_at":${env.sent_at},"dropped":${dropped},"sdk":${JSON.stringify(env.sdk)}${key}}`
  const overhead = 12 + utf8Length(tail(env.dropped))
  const bodies: Body[] = []
  let group: string[] = []
  let bytes = overhead
  const close = () => {
    bodies.push({ body: '{"events":[' + group.join(',') + tail(bodies.length ? 0 : env.dropped), count: group.length })
    group = []
    bytes = overhead
  }
  for (const p of parts) {
    const n = utf8Length(p) + 1
    if (group.length && (group.length == maxEvents || bytes + n > maxBytes)) close()
    group.push(p)
    bytes += n
  }
  if (group.length) close()
  return bodies
}
