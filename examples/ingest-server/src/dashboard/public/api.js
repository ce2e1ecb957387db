// Calls to the server's own routes with the operator session cookie.

export class Unauthorized extends Error {}

/** GET a JSON route; an answer of 401 or 403 means "sign in". */
export async function get(path, query = {}) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v != null && v !== '') qs.set(k, String(v))
  const res = await fetch(path + (qs.toString() ? '?' + qs : ''), { credentials: 'same-origin', headers: { accept: 'application/json' } })
  if (res.status == 401 || res.status == 403) throw new Unauthorized()
  const body = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(`${path}: ${body.error ?? res.status}`)
  return body
}

/** GET /reports/<name> and answer its rows with the rest of the answer. */
export const report = (name, query) => get(`/reports/${name}`, query)

export async function signIn(token) {
  const res = await fetch('/auth/operator-login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  })
  if (!res.ok) {
    const body = await res.json().catch(() => ({}))
    throw new Error(res.status == 403 ? 'That is not the service token.' : body.error ?? `sign-in failed (${res.status})`)
  }
}

export const signOut = () => fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' })

/** True when the browser already holds an operator session. */
export const isOperator = () => get('/auth/me').then((me) => me.role == 'operator', () => false)
