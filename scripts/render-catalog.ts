import { FORBIDDEN_ATTRS, type AttrSpec, type Catalog } from '../src/index'

const limits = (a: AttrSpec) =>
  a.kind == 'enum'
    ? a.values!.map((v) => `\`${v}\``).join(', ')
    : a.kind == 'id'
      ? '1-128 of `A-Za-z0-9_.:-`'
      : a.kind == 'hash'
        ? '64 lowercase hex (SHA-256)'
        : a.kind == 'text'
          ? `cut to ${a.maxLength} chars, emails and credentials redacted`
          : a.kind == 'string'
            ? `<= ${a.maxLength} chars, no email or credential`
            : a.kind == 'list'
              ? `<= ${a.maxItems} items of <= ${a.maxLength} chars`
              : [a.min != null && `>= ${a.min}`, a.max != null && `<= ${a.max}`].filter(Boolean).join(', ')

const example = (a: AttrSpec): unknown =>
  ({ id: 'p-42', enum: a.values?.[0], int: a.min ?? 3, number: a.min ?? 0.5, bool: true, string: 'value', text: 'Short note.', hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', list: ['a', 'b'] })[a.kind]

/** Renders a catalog as Markdown: one section per event, a table of attributes, an example. */
export function renderCatalog(catalog: Catalog, title: string): string {
  const out = [
    `# ${title}`,
    '',
    '<!-- Generated from the catalog by `npm run docs`; CI fails when this file drifts. -->',
    '',
    'Every event also carries the envelope fields `id` (UUIDv7), `event`, `ts` (epoch ms), `session_id` and, after `identify()`, `user_id` (see [wire-format.md](wire-format.md)).',
    '',
    `Never allowed as attributes: ${[...new Set([...FORBIDDEN_ATTRS, ...catalog.forbidden])].map((f) => `\`${f}\``).join(', ')}. Attributes not listed for an event are stripped by the client and rejected by the server. One event is at most 4096 bytes of JSON.`,
    '',
    '| event | priority | description |',
    '| --- | --- | --- |',
  ]
  const names = Object.keys(catalog.events).sort()
  for (const n of names) out.push(`| [\`${n}\`](#${n.replace(/[^a-z0-9_-]/g, '')}) | ${catalog.events[n]!.priority ? 'yes' : ''} | ${catalog.events[n]!.description ?? ''} |`)
  for (const n of names) {
    const spec = catalog.events[n]!
    out.push('', `## \`${n}\``, '', spec.description ?? '', '')
    if (spec.priority) out.push('Priority: sent at once, not batched.', '')
    const attrs = Object.entries(spec.attrs ?? {})
    if (!attrs.length) {
      out.push('No attributes.')
      continue
    }
    out.push('| attribute | kind | required | limits | description |', '| --- | --- | --- | --- | --- |')
    for (const [k, a] of attrs) out.push(`| \`${k}\` | ${a.kind} | ${a.optional ? '' : 'yes'} | ${limits(a)} | ${a.description ?? ''} |`)
    const ex = Object.fromEntries(attrs.filter(([, a]) => !a.optional).map(([k, a]) => [k, example(a)]))
    out.push('', '```ts', `t.track('${n}'${attrs.some(([, a]) => !a.optional) ? ', ' + JSON.stringify(ex).replace(/"([a-z_]+)":/g, '$1: ').replace(/"/g, "'").replace(/,/g, ', ') : ''})`, '```')
  }
  return out.join('\n') + '\n'
}
