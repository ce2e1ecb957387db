// The part of autocannon's API the ingest benchmark uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'
  namespace autocannon {
    interface Options {
      url: string
      method?: string
      headers?: Record<string, string>
      connections?: number
      duration?: number
      requests?: unknown[]
    }
    interface Result {
      errors: number
      timeouts: number
    }
    type Instance = EventEmitter & PromiseLike<Result>
  }
  function autocannon(options: autocannon.Options): autocannon.Instance
  export default autocannon
}
