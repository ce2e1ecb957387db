const int = new Intl.NumberFormat('en-US')
const dec = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
const cents = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2, maximumFractionDigits: 8 })

export const fmt = {
  int: (v) => (v == null ? '–' : int.format(v)),
  num: (v) => (v == null ? '–' : dec.format(v)),
  pct: (v) => (v == null ? '–' : `${dec.format(v * 100)}%`),
  pct100: (v) => (v == null ? '–' : `${dec.format(v)}%`),
  ms: (v) => (v == null ? '–' : v >= 10_000 ? `${dec.format(v / 1000)} s` : `${int.format(Math.round(v))} ms`),
  // A cheap call costs fractions of a cent: two significant digits, never a row of zeros.
  usd: (v) => (v == null ? '–' : `$${v > 0 && v < 0.01 ? cents.format(v) : v < 1 && v > 0 ? v.toFixed(4) : dec.format(v)}`),
  date: (v) => (v == null ? '–' : new Date(v).toISOString().slice(0, 16).replace('T', ' ')),
  text: (v) => (v == null ? '–' : String(v)),
  hash: (v) => (v == null ? '–' : `${String(v).slice(0, 12)}…`),
}

/** Every UTC day from `from` to `to` (YYYY-MM-DD), both included. */
export function days(from, to) {
  const out = []
  for (let d = new Date(from + 'T00:00:00Z'); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10))
  return out
}
