// Shared by the test pages: options from the query string, and a record of page lifecycle.
window.options = (() => {
  const q = new URLSearchParams(location.search)
  const num = (k) => (q.has(k) ? Number(q.get(k)) : undefined)
  // A long interval: nothing leaves before the page goes away unless a test flushes.
  return { endpoint: '/telemetry/events', writeKey: q.get('key'), sessionId: q.get('sid'), capacity: num('capacity'), batchSize: num('batch'), flushInterval: 600000 }
})()
window.lifecycle = []
addEventListener('pageshow', (e) => lifecycle.push('pageshow:' + e.persisted))
addEventListener('pagehide', (e) => lifecycle.push('pagehide:' + e.persisted))
document.addEventListener('visibilitychange', () => lifecycle.push(document.visibilityState))
