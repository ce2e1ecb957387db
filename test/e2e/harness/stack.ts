import { createServer, request, type Server } from 'node:http'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../../../examples/ingest-server/src/index'

export const WRITE_KEY = 'e2e-write-key'
/** The key the example pages carry by default, the one `npm run demo` accepts. */
export const DEMO_WRITE_KEY = 'pk_demo_write_key'
const root = (p: string) => resolve(fileURLToPath(new URL('../../..', import.meta.url)), p)

/** A second origin on loopback: pages the test writes, served as they are. */
export interface PageServer {
  url: string
  pages: Map<string, string>
  close(): Promise<void>
}

async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, string>()
  const server: Server = createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!)
    res.writeHead(html == null ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(html ?? 'not found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, pages, close: () => new Promise((r) => server.close(() => r())) }
}

/**
 * A pass-through proxy in front of the ingest server that notes the id of every event it
 * forwards. The server stores an id once, so duplicates are visible only here, on the wire.
 */
async function startWireProxy(target: string) {
  const seen: { id: string; session_id: string }[] = []
  const posts: { session_id: string; bytes: number; events: number }[] = []
  const to = new URL(target)
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      if (req.method == 'POST' && req.url?.startsWith('/telemetry/events'))
        try {
          const events: { id: string; session_id: string }[] = JSON.parse(body.toString('utf8')).events ?? []
          for (const e of events) seen.push({ id: e.id, session_id: e.session_id })
          posts.push({ session_id: events[0]?.session_id ?? '', bytes: body.length, events: events.length })
        } catch {}
      const up = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers)
        r.pipe(res)
      })
      up.on('error', () => res.writeHead(502).end())
      up.end(body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    /** Ids of a session's events as they crossed the wire, a resent one as often as it was sent. */
    sent: (sessionId: string) => seen.filter((e) => e.session_id == sessionId).map((e) => e.id),
    /** The event requests of a session: body size and event count of each. */
    requests: (sessionId: string) => posts.filter((p) => p.session_id == sessionId),
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

export interface Row {
  id: string
  event: string
  ts: number
  session_id: string
  prompt_id: string | null
  attributes: Record<string, unknown>
}

/**
 * The ingest server (PGlite in memory) serving the built SDK at /sdk/, the examples and the
 * test pages behind a wire-watching proxy, plus a page server on another loopback port as a
 * second origin.
 */
export async function startStack() {
  const other = await startPageServer()
  const staticDirs = [
    { prefix: '/sdk/', root: root('dist') },
    { prefix: '/examples/vanilla-html/', root: root('examples/vanilla-html') },
    { prefix: '/e2e/', root: root('test/e2e/pages') },
  ]
  if (existsSync(root('examples/react-app/dist/index.html'))) staticDirs.push({ prefix: '/examples/react-app/', root: root('examples/react-app/dist') })
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    writeKeys: [WRITE_KEY, DEMO_WRITE_KEY],
    serviceToken: 'e2e-service-token-0123456789',
    allowedOrigins: [other.url],
    rateLimitPerMinute: 1_000_000,
    logLevel: 'warn',
    static: staticDirs,
  })

  const wire = await startWireProxy(server.url)

  /** Every stored event of a session, in the order they were tracked (UUIDv7 ids sort by creation). */
  const events = async (sessionId: string): Promise<Row[]> =>
    (await server.store.query<Row>('SELECT id, event, ts, session_id, prompt_id, attributes FROM events WHERE session_id = $1 ORDER BY id', [sessionId])).rows

  /** Polls until the session has at least `n` events (bounded), then returns them all. */
  async function waitForEvents(sessionId: string, n: number, timeoutMs = 15_000): Promise<Row[]> {
    const until = Date.now() + timeoutMs
    for (;;) {
      const rows = await events(sessionId)
      if (rows.length >= n || Date.now() > until) return rows
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  const psrRatings = async (promptId: string) =>
    (await server.store.query<{ rating: number; note: string | null; source: string }>('SELECT rating, note, source FROM psr_ratings WHERE prompt_id = $1', [promptId])).rows

  return {
    /** Where pages are loaded from: the proxy, so the wire is watched. */
    url: wire.url,
    wire,
    other,
    server,
    events,
    waitForEvents,
    psrRatings,
    hasReactApp: staticDirs.some((s) => s.prefix == '/examples/react-app/'),
    async close() {
      await wire.close()
      await server.close()
      await other.close()
    },
  }
}

export type Stack = Awaited<ReturnType<typeof startStack>>
