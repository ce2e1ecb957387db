import { createTelemetry, memorySink, basicHost, promptCatalog, type Host, type KeyValue } from 'prompt-telemetry'

/** A client with a memory sink and a fresh memory host; `storage` overrides the cap's store. */
export function testClient(o: { endpoint?: string; writeKey?: string; storage?: KeyValue } = {}) {
  const sink = memorySink()
  const host: Host = { ...basicHost(), ...(o.storage ? { storage: o.storage } : {}) }
  const client = createTelemetry({ catalog: promptCatalog, sink, host, endpoint: o.endpoint ?? 'http://127.0.0.1/telemetry/events', writeKey: o.writeKey })
  const seen: { event: string; [k: string]: unknown }[] = []
  client.subscribe((e) => seen.push(e))
  return { client, sink, seen, host }
}
