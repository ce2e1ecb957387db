const rnd = (): string => {
  const c = (globalThis as { crypto?: Crypto }).crypto
  // randomUUID exists only in secure contexts (https, localhost); elsewhere build a v4 by hand.
  return c?.randomUUID
    ? c.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (d) =>
        (+d ^ ((c ? c.getRandomValues(new Uint8Array(1))[0]! : Math.random() * 256) & (15 >> (+d / 4)))).toString(16),
      )
}

/**
 * A UUIDv7 (RFC 9562): the 48-bit millisecond time, then the 74 random bits of a v4 UUID.
 * Ids sort by millisecond; the server dedups retried events by them.
 */
export function uuidv7(now: number = Date.now()): string {
  const t = now.toString(16).padStart(12, '0')
  return t.slice(0, 8) + '-' + t.slice(8) + '-7' + rnd().slice(15)
}
