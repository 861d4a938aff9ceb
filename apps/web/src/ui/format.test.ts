import { describe, expect, it } from 'vitest'
import { elapsedMs, formatDuration, fromDateTimeLocal, toDateTimeLocal } from './format.ts'

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(1234)).toBe('1.2 s')
    expect(formatDuration(42_000)).toBe('42 s')
    expect(formatDuration(65_000)).toBe('1 min 05 s')
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe('2 h 03 min')
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h')
  })

  it('computes elapsed time, open-ended while running', () => {
    expect(elapsedMs('2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z')).toBe(2000)
    expect(elapsedMs('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:00:05Z'))).toBe(5000)
    expect(elapsedMs(null, null)).toBeUndefined()
  })

  it('round-trips datetime-local values to the minute', () => {
    const iso = '2026-03-04T05:06:00.000Z'
    expect(fromDateTimeLocal(toDateTimeLocal(iso))).toBe(iso)
    expect(fromDateTimeLocal('')).toBeUndefined()
    expect(toDateTimeLocal('nonsense')).toBe('')
  })
})
