// Random hex is made 4 KiB at a time and sliced: one getRandomValues call per ~270 ids keeps
// crypto and string building off track()'s hot path.
const POOL = 4096
let hex = ''
let at = POOL
let lastMs = -1
let prefix = ''
let seq = 0
const DIGITS = '0123456789abcdef'
const BYTE: string[] = []
for (let i = 0; i < 256; i++) BYTE.push(DIGITS[i >> 4]! + DIGITS[i & 15]!)

function refill(): void {
  const bytes = new Uint8Array(POOL / 2)
  const c = (globalThis as { crypto?: Crypto }).crypto
  if (c?.getRandomValues) c.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = (Math.random() * 256) | 0
  hex = ''
  for (const b of bytes) hex += BYTE[b]
  at = 0
}

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time, a 12-bit sequence so ids made in the same
 * millisecond still sort, then 62 random bits.
 */
export function uuidv7(now: number = Date.now()): string {
  if (at + 16 > POOL) refill()
  if (now > lastMs) {
    lastMs = now
    const t = now.toString(16).padStart(12, '0')
    prefix = t.slice(0, 8) + '-' + t.slice(8) + '-7'
    seq = parseInt(hex.slice(at, at + 2), 16) // a random start leaves room for ~3800 ids per ms
  } else if (++seq > 0xfff) {
    seq = 0
    return uuidv7(lastMs + 1)
  }
  const r = hex.slice(at, (at += 16))
  // The variant's two high bits are 10: 8, 9, a or b.
  return prefix + DIGITS[seq >> 8] + BYTE[seq & 255] + '-' + DIGITS[8 | (r.charCodeAt(0) & 3)] + r.slice(1, 4) + '-' + r.slice(4)
}
