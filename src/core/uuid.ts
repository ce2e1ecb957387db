// Hex of every byte: Number#toString(16) on a 48-bit value takes V8's slow path (~0.8 µs).
const H: string[] = []
for (let i = 256; i < 512; i++) H.push(i.toString(16).slice(1))

// Random bytes drawn 4 KiB at a time: one getRandomValues call per 455 ids of 9 bytes each.
// WebCrypto's getRandomValues exists in every browser (secure context or not), worker and
// Node 20+; a runtime without it (some embedded engines) gets Math.random, not no ids at all.
let pool: Uint8Array | undefined
let at = 4096
let lastMs = -1
let prefix = ''
let seq = 0

/**
 * A UUIDv7 (RFC 9562): the 48-bit millisecond time, a 12-bit counter so ids made in the same
 * millisecond still sort in the order they were made (method 1 of section 6.2), then 62
 * random bits. The server dedups retried events by them.
 */
export function uuidv7(now: number = Date.now()): string {
  if (!(now >= 0 && now < 2 ** 48)) now = Date.now() // 48 bits of time; anything else would spoil every later id
  if (at > 4087) {
    at = 0
    pool = (globalThis.crypto ?? { getRandomValues: (a: Uint8Array) => a.map(() => Math.random() * 256) }).getRandomValues(pool ?? new Uint8Array(4096))
  }
  const r = pool!
  const i = (at += 9) - 9
  // Ahead of the last id's time; or behind it by over 10 s, which is a clock set back, or a far
  // future `now` given once: ordering gives way rather than stamp every later id with it.
  if (now > lastMs || now < lastMs - 1e4) {
    const hi = (now / 2 ** 32) | 0
    prefix = H[hi >> 8]! + H[hi & 255] + H[now >>> 24] + H[(now >>> 16) & 255] + '-' + H[(now >>> 8) & 255] + H[now & 255] + '-7'
    lastMs = now
    seq = r[i + 8]! // a random start leaves room for 3840 ids per ms
  } else if (++seq > 0xfff) return uuidv7(lastMs + 1) // the clock stood still or stepped back: stay ordered
  // prettier-ignore
  return prefix + H[seq >> 8]![1] + H[seq & 255] + '-' + H[(r[i]! & 63) | 128] + H[r[i + 1]!] + '-' + H[r[i + 2]!] + H[r[i + 3]!] + H[r[i + 4]!] + H[r[i + 5]!] + H[r[i + 6]!] + H[r[i + 7]!]
}
