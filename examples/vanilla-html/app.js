// The page's own code: everything goes through window.PromptTelemetry, which works the same
// before the SDK has loaded (calls queue) and after.
var psrOn = new URLSearchParams(location.search).get('psr') != 'off'

// One rating widget under each card, opened by a copy of that card's prompt.
document.querySelectorAll('.psr').forEach(function (el) {
  PromptTelemetry.mountPsrPrompt(el, { promptId: el.id.slice(4), enabled: psrOn })
})

// The copy itself; the prompt_copied event comes from the button's data-telemetry-* attributes.
document.querySelectorAll('.copy').forEach(function (button) {
  var label = button.textContent
  button.addEventListener('click', function () {
    var text = button.closest('.card').querySelector('.body').textContent
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {})
    button.textContent = 'Copied'
    setTimeout(function () { button.textContent = label }, 1500)
  })
})

// Searches: only the length and a SHA-256 of the normalized query leave the page.
document.getElementById('search').addEventListener('submit', function (e) {
  e.preventDefault()
  var q = document.getElementById('q').value.trim().toLowerCase()
  var hits = document.querySelectorAll('.card').length
  var track = function (hash) {
    PromptTelemetry.track('vault.search_performed', { result_count: hits, query_len: q.length, query_hash: hash })
  }
  if (PromptTelemetry.hash && window.crypto && crypto.subtle) PromptTelemetry.hash(q).then(track, function () { track(undefined) })
  else track(undefined)
})

// A visible log of what was tracked, once the SDK is there (a blocked script leaves it empty).
addEventListener('load', function () {
  var client = PromptTelemetry.client
  if (!client) return
  var log = document.getElementById('log')
  client.subscribe(function (e) {
    var li = document.createElement('li')
    li.textContent = e.event + (e.prompt_id ? ' ' + e.prompt_id : '')
    log.prepend(li)
  })
})
