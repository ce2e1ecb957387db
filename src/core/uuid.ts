const D = '0123456789abcdef'
const B: string[] = []
for (let i = 0; i < 256; i++) B.push(D[i >> 4]! + D[i & 15]!)
let lastMs = -1
let prefix = ''
let seq = 0

let c: Crypto | undefined

const rnd = (): string => {
  c ??= (globalThis as { crypto?: Crypto }).crypto // the global is a slow getter in Node
  // randomUUID exists only in secure contexts (https, localhost); elsewhere build a v4 by hand.
  return c?.randomUUID
    ? c.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (d) =>
        (+d ^ ((c ? c.getRandomValues(new Uint8Array(1))[0]! : Math.random() * 256) & (15 >> (+d / 4)))).toString(16),
      )
}

/**
 * A UUIDv7 (RFC 9562): the 48-bit millisecond time, a 12-bit counter so ids made in the same
 * millisecond still sort in the order they were made (method 1 of section 6.2), then the
 * 62 random bits of a v4 UUID. The server dedups retried events by them.
 */
export function uuidv7(now: number = Date.now()): string {
  const r = rnd()
  if (now > lastMs) {
    // A byte table: Number#toString(16) on a 48-bit value takes V8's slow path (~0.8 µs).
    const hi = Math.floor(now / 2 ** 32)
    const lo = now >>> 0
    prefix = B[(hi >> 8) & 255]! + B[hi & 255]! + B[lo >>> 24]! + B[(lo >> 16) & 255]! + '-' + B[(lo >> 8) & 255]! + B[lo & 255]! + '-7'
    lastMs = now
    seq = parseInt(r.slice(15, 17), 16) // a random start leaves room for 3840 ids per ms
  } else if (++seq > 0xfff) return uuidv7(lastMs + 1) // the clock stood still or stepped back: stay ordered
  return prefix + D[seq >> 8] + B[seq & 255] + r.slice(18)
}
