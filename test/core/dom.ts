import { vi } from 'vitest'
import type { Envelope } from '../../src/sinks/types'

/** Helpers for happy-dom tests of the page lifecycle. */

let visibility: DocumentVisibilityState = 'visible'
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })

export function setVisibility(state: DocumentVisibilityState): void {
  visibility = state
  document.dispatchEvent(new Event('visibilitychange'))
}

export const pagehide = (persisted = false) => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted }))
export const pageshow = (persisted = true) => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted }))

export type Beacon = { url: string; blob: Blob; accepted: boolean }

/** Records every beacon; `accept` decides what sendBeacon returns. */
export function spyBeacons(accept: (blob: Blob) => boolean = () => true) {
  const beacons: Beacon[] = []
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, data) => {
    const blob = data as Blob
    const accepted = accept(blob)
    beacons.push({ url: String(url), blob, accepted })
    return accepted
  })
  return beacons
}

export type Fetched = { url: string; init: RequestInit }

/** Replaces fetch with one that records each request and answers `status()` (204 by default). */
export function spyFetch(status: () => number = () => 204) {
  const requests: Fetched[] = []
  vi.stubGlobal('fetch', async (url: RequestInfo | URL, init: RequestInit = {}) => {
    requests.push({ url: String(url), init })
    return new Response(null, { status: status() })
  })
  return requests
}

/** The ids of the events in fetched bodies, in order. */
export const fetchedIds = (requests: Fetched[]): string[] =>
  requests.flatMap((r) => (JSON.parse(String(r.init.body)) as Envelope).events.map((e) => e.id))

/**
 * A sendBeacon that takes bodies until `quota` bytes were queued and refuses every one after,
 * as Chrome does while its 64 KiB of beacons and keepalive requests are in flight.
 */
export function quotaBeacons(quota = 64 * 1024) {
  let used = 0
  return spyBeacons((blob) => used + blob.size <= quota && (used += blob.size) > 0)
}

export const envelopes = async (beacons: Beacon[]): Promise<Envelope[]> =>
  Promise.all(beacons.filter((b) => b.accepted).map(async (b) => JSON.parse(await b.blob.text()) as Envelope))
