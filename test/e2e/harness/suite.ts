import { afterAll, beforeAll } from 'vitest'
import { launchChromium, type Chromium } from './chromium'
import { startStack, type Stack } from './stack'

/** A test file's Chromium and ingest stack: started before its tests, closed after them. */
export function chromiumAndStack(): { chrome: Chromium; stack: Stack } {
  const env = {} as { chrome: Chromium; stack: Stack }
  beforeAll(async () => {
    ;[env.chrome, env.stack] = await Promise.all([launchChromium(), startStack()])
  })
  afterAll(async () => {
    await env.chrome?.close()
    await env.stack?.close()
  })
  return env
}
