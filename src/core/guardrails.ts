/** The most one serialized event may weigh (seed AC-3). */
export const MAX_EVENT_BYTES = 4096

// Emails (internationalized top-level domains too), bearer and basic credentials, tokens in a
// URL's query, JWTs, well-known API key prefixes (OpenAI, Anthropic, Stripe, GitHub, GitLab,
// npm, Hugging Face, Slack, AWS, Google API keys and OAuth tokens), and the value given to a
// password or a secret (`password: x`, `DB_PASSWORD=x`, `"client_secret": "x"`, an AWS secret
// access key): a name with `=`, or `:` and a space or quote, not the word alone
// (`secret-santa-ideas`, `games:secret:santa`); and a bare AWS secret access key, 40 of A-Z a-z
// 0-9 / + mixing cases and digits (a hex hash has no capitals). Matched anywhere in a string; never sent. An email
// match starts only where a word does (the captured $1), which keeps the scan linear on long
// text without spaces. `sk-`/`pk-`/`rk-` need a run of 16 letters and digits, as a key has and
// a slug such as `pk-customer-onboarding-flow` has not.
const SECRET =
  /(^|[\s"@])[^\s@"]+@[^\s@"]+\.[a-z\x80-\uffff]{2,}|\bbasic\s+[\w+/=]{16,}|\bbearer\s+\S{8,}|[?&#](?:access_token|id_token|refresh_token|api_?key|client_secret|password)=[^&\s#]{6,}|\beyJ[\w-]{8,}\.[\w-]{8,}(?:\.[\w-]+)?|\b(?:sk|pk|rk)[-_][\w-]*?[a-z\d]{16}[\w-]*|\b(?:gh[oprsu]|github_pat)_\w{16,}|\bnpm_[a-z0-9]{36}\b|\bhf_[a-z]{30,}\b|\bglpat-[\w-]{20,}|\bxox[abprs]-[\w-]{10,}|\bA[KS]IA[0-9A-Z]{16}\b|\bAIza[\w-]{35}|\bya29\.[\w-]{16,}|(^|[^a-z])(?:passw(?:or)?d|pwd|secret\w{0,24})["']?[ \t]{0,3}(?:=|:[ \t"'])[ \t]{0,3}["']?[^\s"']{4,}/i

const EVERY = new RegExp(SECRET.source, 'gi')
// Case matters here, so apart: 40 of A-Z a-z 0-9 / + with capitals, small letters and digits.
const KEY40 = /(^|[^\w/+])(?=[\w/+]{0,39}[A-Z])(?=[\w/+]{0,39}[a-z])(?=[\w/+]{0,39}\d)[A-Za-z\d/+]{40}(?![\w/+])/
const KEYS40 = new RegExp(KEY40.source, 'g')
const WIDE = /[^\0-\x7f]/
// Lookalikes folded for the check: fullwidth `＠` and letters (NFKC), the invisible characters
// that can sit inside a pasted key (every default-ignorable code point: zero-width spaces,
// joiners, variation selectors, tags), and ideographic full stops in the domain of an address
// with an ASCII local part (browsers take them for dots; in Japanese and Chinese text, where
// `＠` is also "at", they end sentences). No lookbehind: older Safari cannot parse it.
const fold = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(/[a-z\d._%+-]+@[\p{L}\p{N}-]+(?:[.\u3002][\p{L}\p{N}-]+)+/giu, (m) => m.replace(/\u3002/g, '.'))

/** True when a string looks like an email address or a credential, lookalikes included. */
// Every pattern needs 12 characters, an @, or a `:` or `=` (`pwd=abcd`): short ids skip the regex.
export const looksSensitive = (s: string): boolean =>
  (s.length > 11 || /[@\uff20\ufe6b:=]/.test(s)) && (SECRET.test(s) || KEY40.test(s) || (WIDE.test(s) && SECRET.test(fold(s))))

/** Replaces every email address or credential in free text; text hiding one in lookalikes is folded first. */
// What a match started with (a space before an email, the `_` of `DB_PASSWORD`) stays.
const hide = (_: string, a?: string, b?: string) => (a || b || '') + '[redacted]'
export const redact = (s: string): string => {
  const r = s.replace(EVERY, hide).replace(KEYS40, hide)
  const f = WIDE.test(r) && fold(r) // folded once, for the check and the redaction
  return f && SECRET.test(f) ? f.replace(EVERY, hide) : r
}

/**
 * Cuts free text to max characters and redacts it. The redaction runs on a window 256
 * characters wider (an email is at most 254, RFC 5321), so a secret cut in two by the limit
 * is still caught, and is cut again after, since "[redacted]" can be longer than what it hides.
 * A surrogate pair cut in two loses its half; NUL and lone halves already there become U+FFFD:
 * servers that store text (PostgreSQL) refuse them, and the event with them.
 */
export const clamp = (s: string, max: number): string =>
  redact(s.slice(0, max + 256))
    .slice(0, max)
    .replace(/[\ud800-\udbff]$/, '')
    .replace(/[\0\ud800-\udfff]/gu, '\ufffd')

/** UTF-8 length of a string without allocating. */
export function utf8Length(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // Each half of a surrogate pair adds 1: the pair is 4 bytes.
    if (c > 0x7f) n += c > 0x7ff ? (c >= 0xd800 && c < 0xe000 ? 1 : 2) : 1
  }
  return n
}

/**
 * An event's JSON length in code units, roughly and cheaply (a number or boolean counts 24):
 * six times it bounds the UTF-8 bytes, escapes included, so the exact, allocating measure runs
 * only for events that might be near the limit.
 */
export function roughSize(e: Record<string, unknown>): number {
  let n = 2
  for (const k in e) {
    const v = e[k]
    n += k.length + 4
    if (typeof v == 'string') n += v.length + 2
    else if (Array.isArray(v)) for (const x of v) n += String(x).length + 3
    else n += 24
  }
  return n
}
