/**
 * SHA-256 of a raw value as lowercase hex, with WebCrypto (browsers, workers, Node 20+).
 * Hash a search query or a filter before tracking it: the raw value never leaves the page.
 * @example t.track('vault.search_performed', { query_hash: await hash(query.trim().toLowerCase()), ... })
 */
export async function hash(value: string): Promise<string> {
  const bytes = new TextEncoder().encode(value)
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes))
  let out = ''
  for (const b of digest) out += (b + 256).toString(16).slice(1)
  return out
}
