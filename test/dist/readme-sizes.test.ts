import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

// The README's size table must say what size-limit measures (both in bytes, brotli).
it("keeps the README's sizes equal to size-limit's", () => {
  const out = execFileSync('npx', ['size-limit', '--json'], { encoding: 'utf8' })
  const measured = JSON.parse(out.slice(out.indexOf('['))) as { name: string; size: number }[]
  const readme = readFileSync('README.md', 'utf8')
  for (const { name, size } of measured) {
    const row = readme.split('\n').find((l) => l.startsWith(`| ${name} |`))
    expect(row, `README has a row for "${name}"`).toBeDefined()
    expect(row).toContain(`| ${size} B |`)
  }
})
