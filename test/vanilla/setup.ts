import { basicHost, type Envelope, type Host, type SendContext, type Sink } from 'prompt-telemetry'

/** A sink that records every batch with how it was sent. */
export function recordingSink() {
  const sent: { batch: Envelope; ctx: SendContext }[] = []
  const sink: Sink = { send: async (batch, ctx) => (sent.push({ batch, ctx }), { ok: true }) }
  return { sink, sent, events: () => sent.flatMap((s) => s.batch.events) }
}

/** Memory storage and timers, so no test sees another's frequency cap or session. */
export const memoryHost = (): Host => basicHost()

export function click(el: Element) {
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }))
}
