import { utf8Length } from '../core/guardrails'
import type { Envelope } from './types'

/** Largest body per request: under Chrome's 64 KiB keepalive / sendBeacon quota. */
export const MAX_BODY_BYTES = 56 * 1024
export const MAX_BODY_EVENTS = 50

/** Splits an envelope in two halves; `dropped` stays with the first. */
export const halves = (env: Envelope): [Envelope, Envelope] => {
  const h = env.events.length >> 1
  return [
    { ...env, events: env.events.slice(0, h) },
    { ...env, events: env.events.slice(h), dropped: 0 },
  ]
}

/**
 * Serializes an envelope into JSON bodies of at most 50 events and 56 KiB each, halving
 * until every part fits (events are at most 4 KB, so this stays shallow).
 */
export function encode(env: Envelope, maxBytes = MAX_BODY_BYTES): { env: Envelope; body: string }[] {
  const body = JSON.stringify(env)
  const n = env.events.length
  return n > 1 && (n > MAX_BODY_EVENTS || utf8Length(body) > maxBytes) ? halves(env).flatMap((e) => encode(e, maxBytes)) : [{ env, body }]
}
