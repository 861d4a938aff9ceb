import { describe, expect, it } from 'vitest'
import { cronError, nextFireTimes } from './cron.ts'

describe('nextFireTimes', () => {
  it('reads the expression in its time zone', () => {
    const from = new Date('2026-11-27T12:00:00Z') // a Friday
    expect(nextFireTimes('0 9 * * mon-fri', 'Europe/Paris', 2, from).map((d) => d.toISOString()))
      .toEqual(['2026-11-30T08:00:00.000Z', '2026-12-01T08:00:00.000Z'])
    expect(nextFireTimes('0 9 * * mon-fri', 'America/New_York', 1, from).map((d) => d.toISOString()))
      .toEqual(['2026-11-27T14:00:00.000Z']) // still 07:00 there
  })

  it('crosses a daylight-saving change at the same wall-clock time', () => {
    const times = nextFireTimes('30 2 * * *', 'UTC', 3, new Date('2026-03-28T00:00:00Z'))
    expect(times.map((d) => d.toISOString())).toEqual(['2026-03-28T02:30:00.000Z', '2026-03-29T02:30:00.000Z', '2026-03-30T02:30:00.000Z'])
    const paris = nextFireTimes('0 12 * * *', 'Europe/Paris', 2, new Date('2026-03-28T00:00:00Z'))
    expect(paris.map((d) => d.toISOString())).toEqual(['2026-03-28T11:00:00.000Z', '2026-03-29T10:00:00.000Z'])
  })

  it('is empty for an invalid expression or zone', () => {
    expect(nextFireTimes('61 * * * *')).toEqual([])
    expect(nextFireTimes('* * * * *', 'Mars/Olympus')).toEqual([])
    expect(cronError('61 * * * *')).toMatch(/61/)
  })
})
