const HEX: string[] = []
for (let i = 0; i < 256; i++) HEX.push((i + 256).toString(16).slice(1))

// Random bytes are drawn 4 KiB at a time: one getRandomValues call per 400 ids keeps
// crypto off track()'s hot path.
const POOL = 4096
let pool: Uint8Array | undefined
let at = POOL
let lastMs = -1
let seq = 0

function fill(): void {
  pool ??= new Uint8Array(POOL)
  const c = (globalThis as { crypto?: Crypto }).crypto
  if (c?.getRandomValues) c.getRandomValues(pool)
  else for (let i = 0; i < POOL; i++) pool[i] = (Math.random() * 256) | 0
  at = 0
}

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time, then a 12-bit sequence so ids made in the
 * same millisecond still sort, then 62 random bits.
 */
export function uuidv7(now: number = Date.now()): string {
  if (at + 10 > POOL) fill()
  const r = pool!
  if (now > lastMs) {
    lastMs = now
    seq = r[at]! & 0x3ff // random start leaves room for 3k ids in one millisecond
  } else if (++seq > 0xfff) {
    lastMs++
    seq = 0
  }
  const ms = lastMs
  const top = Math.floor(ms / 0x10000) // first 32 of the 48 time bits
  const low = ms % 0x10000
  const b = at
  at += 10
  return (
    HEX[top >>> 24]! + HEX[(top >>> 16) & 0xff]! + HEX[(top >>> 8) & 0xff]! + HEX[top & 0xff]! + '-' +
    HEX[low >> 8]! + HEX[low & 0xff]! + '-' +
    HEX[0x70 | (seq >> 8)]! + HEX[seq & 0xff]! + '-' +
    HEX[0x80 | (r[b + 1]! & 0x3f)]! + HEX[r[b + 2]!]! + '-' +
    HEX[r[b + 3]!]! + HEX[r[b + 4]!]! + HEX[r[b + 5]!]! + HEX[r[b + 6]!]! + HEX[r[b + 7]!]! + HEX[r[b + 8]!]!
  )
}
