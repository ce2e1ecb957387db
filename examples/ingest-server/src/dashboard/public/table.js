import { fmt } from './format.js'

/**
 * Fills a <table> with rows. `columns`: [{ key, label, format }]. With `sort` ({ key, order,
 * onSort }) every header is a button and carries aria-sort; a header that had the keyboard
 * focus has it again after the header row is rebuilt.
 */
export function renderTable(table, columns, rows, sort) {
  let head = table.tHead
  if (!head) head = table.createTHead()
  const focused = head.contains(document.activeElement) ? document.activeElement.closest('th')?.dataset.key : undefined
  const tr = document.createElement('tr')
  for (const c of columns) {
    const th = document.createElement('th')
    th.scope = 'col'
    th.dataset.key = c.key
    if (c.numeric) th.className = 'num'
    if (sort) {
      const b = document.createElement('button')
      b.type = 'button'
      b.textContent = c.label
      const active = sort.key == c.key
      th.setAttribute('aria-sort', active ? (sort.order == 'asc' ? 'ascending' : 'descending') : 'none')
      if (active) b.dataset.order = sort.order
      b.addEventListener('click', () => sort.onSort(c.key, active && sort.order == 'desc' ? 'asc' : active ? 'desc' : c.numeric ? 'desc' : 'asc'))
      th.append(b)
    } else th.textContent = c.label
    tr.append(th)
  }
  head.replaceChildren(tr)
  if (focused != null) [...tr.cells].find((th) => th.dataset.key == focused)?.querySelector('button')?.focus()
  const body = table.tBodies[0] ?? table.createTBody()
  body.replaceChildren(
    ...rows.map((row) => {
      const r = document.createElement('tr')
      for (const c of columns) {
        const td = document.createElement('td')
        td.textContent = (c.format ?? fmt.text)(row[c.key])
        if (c.numeric) td.className = 'num'
        r.append(td)
      }
      return r
    }),
  )
  if (!rows.length) {
    const r = document.createElement('tr')
    const td = document.createElement('td')
    td.colSpan = columns.length
    td.className = 'muted'
    td.textContent = 'Nothing in this range.'
    r.append(td)
    if (!sort) body.append(r)
  }
}
