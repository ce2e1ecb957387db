import { describe, expect, it } from 'vitest'
import { BadParam, parseId, parseLimit, parseRange, readQuery } from '../../examples/ingest-server/src/reports/params'
import { reportByName, REPORTS } from '../../examples/ingest-server/src/reports/definitions'
import { parseReportQuery } from '../../examples/ingest-server/src/reports/run'

const NOW = new Date('2025-06-15T12:34:56Z')

describe('report parameters', () => {
  it('defaults to the last 30 days up to now', () => {
    expect(parseRange({}, NOW)).toEqual({ from: new Date('2025-05-16T12:34:56Z'), to: NOW })
  })

  it('reads a date-only to as the end of that UTC day, and keeps date-times as given', () => {
    expect(parseRange({ from: '2025-06-01', to: '2025-06-01' }, NOW)).toEqual({ from: new Date('2025-06-01T00:00:00Z'), to: new Date('2025-06-02T00:00:00Z') })
    expect(parseRange({ from: '2025-06-01T08:00:00+02:00', to: '2025-06-01T12:00:00.5Z' }, NOW)).toEqual({
      from: new Date('2025-06-01T06:00:00Z'),
      to: new Date('2025-06-01T12:00:00.500Z'),
    })
  })

  it.each(['2025-6-1', '2025-06-31', '2025-02-30T00:00:00Z', '0000-01-01', '9999-12-31', '1969-12-31T23:59:59Z', '2025-13-01', '06/01/2025', '1718000000000', '2025-06-01T10:00', '2025-06-01 10:00:00Z', '', ' 2025-06-01'])(
    'refuses %j as a date',
    (v) => {
      expect(() => parseRange({ from: v }, NOW)).toThrow(BadParam)
    },
  )

  // Cut to the millisecond, .0005 took in an event at .000 as `from` and left it out as `to`.
  it('rounds a bound finer than a millisecond up, so whole-millisecond events fall on the right side', () => {
    // A valid range holding no whole millisecond: empty, not refused.
    expect(parseRange({ from: '2025-06-01T12:00:00.0005Z', to: '2025-06-01T12:00:00.0009Z' }, NOW)).toEqual({
      from: new Date('2025-06-01T12:00:00.001Z'),
      to: new Date('2025-06-01T12:00:00.001Z'),
    })
    expect(() => parseRange({ from: '2025-06-01T12:00:00.0009Z', to: '2025-06-01T12:00:00.0005Z' }, NOW)).toThrow('from must be before to')
    expect(parseRange({ from: '2025-06-01T12:00:00.000000Z', to: '2025-06-01T12:00:00.0005Z' }, NOW)).toEqual({
      from: new Date('2025-06-01T12:00:00.000Z'),
      to: new Date('2025-06-01T12:00:00.001Z'),
    })
  })

  it('refuses an empty or inverted range and one longer than 400 days', () => {
    expect(() => parseRange({ from: '2025-06-02T00:00:00Z', to: '2025-06-02T00:00:00Z' }, NOW)).toThrow('from must be before to')
    expect(() => parseRange({ from: '2025-06-03', to: '2025-06-01' }, NOW)).toThrow('from must be before to')
    expect(() => parseRange({ from: '2024-01-01', to: '2025-06-01' }, NOW)).toThrow('400 days')
  })

  it('takes identifiers and limits of the expected shape only', () => {
    expect(parseId('lens', undefined)).toBeNull()
    expect(parseId('lens', '')).toBeNull()
    expect(parseId('lens', 'founder.v2')).toBe('founder.v2')
    expect(parseId('source', 'home page')).toBe('home page') // any stored text: it is bound, never spliced
    expect(parseId('lens', "a' OR 1=1")).toBe("a' OR 1=1")
    for (const bad of ['x'.repeat(129), 'a\0b', 'a\ud800']) expect(() => parseId('lens', bad)).toThrow(BadParam)
    expect(parseLimit(undefined, 10, 5)).toBe(5)
    expect(parseLimit('10', 10, 5)).toBe(10)
    for (const bad of ['0', '11', '-1', '2.5', 'ten', '1e1']) expect(() => parseLimit(bad, 10, 5)).toThrow(BadParam)
  })

  it('refuses unknown and repeated parameters', () => {
    expect(() => readQuery({ sort: 'day', evil: '1' }, ['sort'])).toThrow('unknown parameter "evil"')
    expect(() => readQuery({ sort: ['day', 'calls'] }, ['sort'])).toThrow('sort must be given once')
  })

  it('lets only a report column through as the sort, and only asc or desc as the order', () => {
    const def = reportByName('llm-users')!
    expect(parseReportQuery(def, { sort: 'cost_usd', order: 'asc' }, NOW)).toMatchObject({ sort: 'cost_usd', order: 'asc', limit: 1000 })
    expect(() => parseReportQuery(def, { sort: 'cost_usd DESC; DELETE FROM events' }, NOW)).toThrow('sort must be one of')
    // In any case, as the prompt routes take it.
    expect(parseReportQuery(def, { order: 'DESC' }, NOW)).toMatchObject({ order: 'desc' })
    expect(() => parseReportQuery(def, { order: 'sideways' }, NOW)).toThrow('order must be asc or desc')
    expect(() => parseReportQuery(def, { lens: 'founder' }, NOW)).toThrow('unknown parameter "lens"')
    expect(parseReportQuery(reportByName('funnel')!, { lens: 'founder' }, NOW).filters).toEqual({ lens: 'founder', source: null })
  })

  it('declares every default sort among its columns, and identifier-safe column names only', () => {
    for (const def of REPORTS) {
      expect(def.columns).toContain(def.sort)
      for (const c of def.columns) expect(c).toMatch(/^[a-z][a-z0-9_]*$/)
      expect(def.fn).toMatch(/^report_[a-z_]+$/)
    }
  })
})
