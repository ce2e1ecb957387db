import type { FastifyInstance } from 'fastify'
import { looksSensitive, redact } from 'prompt-telemetry'
import { ID, identify } from '../auth'
import type { ServerConfig } from '../config'
import { authError, HttpError, storageError } from '../errors'
import type { Store } from '../store'
import { UNSTORABLE } from '../text'

const KEYS = new Set(['prompt_id', 'version', 'rating', 'note', 'source', 'write_key'])
const SOURCES = ['copy', 'duplicate', 'manual', 'other']
const NOTE_MAX = 280
// NUL or half a surrogate pair: PostgreSQL cannot store them. In `u` mode a whole pair is one
// code point outside the class, so only a lone half matches.

interface PsrInput {
  prompt_id: string
  version: string | null
  rating: number
  note: string | null
  source: string
}

/** Checks a POST /psr body; returns the reason it is refused, or the clean rating. */
export function checkPsr(body: unknown): string | PsrInput {
  if (body === null || typeof body != 'object' || Array.isArray(body)) return 'body must be a JSON object'
  const b = body as Record<string, unknown>
  for (const k of Object.keys(b)) if (!KEYS.has(k)) return `unknown key "${k.slice(0, 64)}" (allowed: ${[...KEYS].join(', ')})`
  if (typeof b.prompt_id != 'string' || !ID.test(b.prompt_id)) return 'prompt_id must be an id (1-128 of A-Z a-z 0-9 _ . : -)'
  if (looksSensitive(b.prompt_id)) return 'prompt_id looks like an email or a credential' // as on /telemetry/events
  if (b.version != null && (typeof b.version != 'string' || b.version.length > 32)) return 'version must be a string of at most 32 characters'
  if (typeof b.version == 'string' && UNSTORABLE.test(b.version)) return 'version must not contain NUL or unpaired surrogates'
  if (typeof b.version == 'string' && looksSensitive(b.version)) return 'version looks like an email or a credential'
  if (!Number.isInteger(b.rating) || (b.rating as number) < 1 || (b.rating as number) > 5) return 'rating must be an integer from 1 to 5'
  if (b.note != null && typeof b.note != 'string') return 'note must be a string'
  if (typeof b.note == 'string' && [...b.note].length > NOTE_MAX) return `note must be at most ${NOTE_MAX} characters`
  if (typeof b.note == 'string' && UNSTORABLE.test(b.note))
    return 'note must not contain NUL or unpaired surrogates'
  if (typeof b.source != 'string' || !SOURCES.includes(b.source)) return `source must be one of ${SOURCES.join('|')}`
  // Redaction can lengthen the note ('[redacted]'), so clamp after it.
  const note = typeof b.note == 'string' && b.note.trim() ? [...redact(b.note)].slice(0, NOTE_MAX).join('') : null
  return { prompt_id: b.prompt_id, version: (b.version as string) ?? null, rating: b.rating as number, note, source: b.source }
}

/**
 * POST /psr: one rating per owner, prompt and UTC day; a same-day resubmit replaces it.
 * Answers the prompt's aggregate over all owners and days.
 */
export function psrRoute(app: FastifyInstance, o: { config: ServerConfig; store: Store }) {
  const { config, store } = o
  app.post('/psr', { bodyLimit: 8 * 1024 }, async (req) => {
    const body = req.body as Record<string, unknown> | undefined
    const caller = identify(req, config, body && typeof body == 'object' ? body.write_key : undefined)
    if (caller.kind === 'none' || caller.kind === 'bad_key' || caller.kind === 'malformed_key') throw authError(caller.kind)
    const input = checkPsr(body)
    if (typeof input == 'string') throw new HttpError(400, input)
    const now = config.now()
    try {
      const up = await store.query<{ replaced: boolean }>(
        `INSERT INTO psr_ratings AS p (owner_id, prompt_id, version, rating, note, source, day, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (owner_id, prompt_id, day) DO UPDATE SET
           version = excluded.version, rating = excluded.rating, note = excluded.note,
           source = excluded.source, updated_at = excluded.updated_at
         RETURNING (p.xmax::text <> '0') AS replaced`,
        [caller.userId, input.prompt_id, input.version, input.rating, input.note, input.source, now.toISOString().slice(0, 10), now.toISOString()],
      )
      const agg = await store.query<{ avg_rating: number | null; total_ratings: number }>(
        'SELECT round(avg(rating), 2) AS avg_rating, count(*) AS total_ratings FROM psr_ratings WHERE prompt_id = $1',
        [input.prompt_id],
      )
      return { ...agg.rows[0]!, replaced: up.rows[0]!.replaced, trace_id: req.traceId }
    } catch (e) {
      throw storageError(e)
    }
  })
}
