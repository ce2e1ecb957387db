/** Times fn in chunks of `per` calls and returns per-call medians and p99 in microseconds. */
export function measure(fn: () => void, { chunks = 3000, per = 100, warmup = 200 } = {}) {
  for (let i = 0; i < warmup * per; i++) fn()
  const samples: number[] = []
  for (let c = 0; c < chunks; c++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < per; i++) fn()
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / per)
  }
  samples.sort((a, b) => a - b)
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!
  return { median: q(0.5), p99: q(0.99) }
}

export const us = (n: number) => (n < 10 ? n.toFixed(3) : n.toFixed(1)) + ' µs'
