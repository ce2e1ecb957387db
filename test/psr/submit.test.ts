import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { psrUrl, submitPsr } from '../../src/psr'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

describe('psrUrl', () => {
  it('puts /psr next to the events endpoint', () => {
    expect(psrUrl('/telemetry/events')).toBe('/psr')
    expect(psrUrl('/api/telemetry/events/')).toBe('/api/psr')
    expect(psrUrl('https://t.example.com/v1/telemetry/events?x=1')).toBe('https://t.example.com/v1/psr')
  })

  it('uses the origin root for any other endpoint, and /psr without one', () => {
    expect(psrUrl('https://t.example.com/collect')).toBe('https://t.example.com/psr')
    expect(psrUrl('/collect')).toBe('/psr')
    expect(psrUrl(undefined)).toBe('/psr')
  })
})

describe('submitPsr', () => {
  it('posts the rating as text/plain JSON and returns the aggregate', async () => {
    let seen: { type: string | null; body: unknown; credentials: string } | undefined
    server.use(
      http.post('http://127.0.0.1/psr', async ({ request }) => {
        seen = { type: request.headers.get('content-type'), body: JSON.parse(await request.text()), credentials: request.credentials }
        return HttpResponse.json({ avg_rating: 4.5, total_ratings: 2 })
      }),
    )
    const r = await submitPsr({ prompt_id: 'p1', rating: 5, source: 'copy', write_key: 'wk' }, { url: 'http://127.0.0.1/psr' })
    expect(r).toEqual({ avg_rating: 4.5, total_ratings: 2 })
    expect(seen?.type).toBe('text/plain;charset=UTF-8')
    expect(seen?.body).toEqual({ prompt_id: 'p1', rating: 5, source: 'copy', write_key: 'wk' })
    expect(seen?.credentials).toBe('same-origin')
  })

  it('sends cookies only when asked', async () => {
    let credentials = ''
    server.use(http.post('http://127.0.0.1/psr', ({ request }) => ((credentials = request.credentials), HttpResponse.json({}))))
    await submitPsr({ prompt_id: 'p1', rating: 3, source: 'manual' }, { url: 'http://127.0.0.1/psr', credentials: 'include' })
    expect(credentials).toBe('include')
  })

  it('reads a numeric aggregate sent as a string', async () => {
    server.use(http.post('http://127.0.0.1/psr', () => HttpResponse.json({ avg_rating: '4.50', total_ratings: '2' })))
    expect(await submitPsr({ prompt_id: 'p1', rating: 3, source: 'copy' }, { url: 'http://127.0.0.1/psr' })).toEqual({ avg_rating: 4.5, total_ratings: 2 })
  })

  it('gives nulls for an answer without an aggregate', async () => {
    server.use(http.post('http://127.0.0.1/psr', () => new HttpResponse('ok')))
    expect(await submitPsr({ prompt_id: 'p1', rating: 3, source: 'copy' }, { url: 'http://127.0.0.1/psr' })).toEqual({ avg_rating: null, total_ratings: null })
  })

  it('rejects on a non-2xx answer', async () => {
    server.use(http.post('http://127.0.0.1/psr', () => HttpResponse.json({ error: 'already rated today' }, { status: 429 })))
    await expect(submitPsr({ prompt_id: 'p1', rating: 3, source: 'copy' }, { url: 'http://127.0.0.1/psr' })).rejects.toThrow(/429/)
  })

  it('rejects when the server does not answer in time', async () => {
    server.use(http.post('http://127.0.0.1/psr', () => new Promise<Response>(() => {})))
    await expect(submitPsr({ prompt_id: 'p1', rating: 3, source: 'copy' }, { url: 'http://127.0.0.1/psr', timeoutMs: 20 })).rejects.toThrow()
  })
})
