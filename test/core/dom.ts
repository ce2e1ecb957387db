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

/** Replaces fetch with one that records each request and answers 204. */
export function spyFetch() {
  const requests: Fetched[] = []
  vi.stubGlobal('fetch', async (url: RequestInfo | URL, init: RequestInit = {}) => {
    requests.push({ url: String(url), init })
    return new Response(null, { status: 204 })
  })
  return requests
}

export const envelopes = async (beacons: Beacon[]): Promise<Envelope[]> =>
  Promise.all(beacons.filter((b) => b.accepted).map(async (b) => JSON.parse(await b.blob.text()) as Envelope))
