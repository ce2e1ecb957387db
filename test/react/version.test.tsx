import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'

// Names the React under test in the output, and fails when react and react-dom disagree
// (two copies of React would break every hook).
describe(`React ${version}`, () => {
  it('runs with matching react and react-dom', () => {
    expect(domVersion).toBe(version)
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(18)
  })
})
