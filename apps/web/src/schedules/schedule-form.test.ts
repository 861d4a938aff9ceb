import { describe, expect, it } from 'vitest'
import { checkScheduleForm, formatInZone } from './schedule-form.ts'

const form = (over: Partial<Parameters<typeof checkScheduleForm>[0]> = {}) =>
  ({ cron: '0 9 * * mon-fri', timezone: 'Europe/Paris', startImmediately: false, maxRuns: '', ...over })

describe('checkScheduleForm', () => {
  it('previews the next fire times in the schedule\'s zone and builds the body', () => {
    const check = checkScheduleForm(form({ maxRuns: '3', startImmediately: true }), new Date('2026-11-27T12:00:00Z'), 2)
    expect(check.errors).toEqual({})
    expect(check.preview.map((d) => d.toISOString())).toEqual(['2026-11-30T08:00:00.000Z', '2026-12-01T08:00:00.000Z'])
    expect(check.body).toEqual({ cron: '0 9 * * mon-fri', timezone: 'Europe/Paris', startImmediately: true, maxRuns: 3 })
  })

  it('gives the cron parser\'s reason, unknown zones and bad max runs', () => {
    const bad = checkScheduleForm(form({ cron: '61 * * * *', timezone: 'Mars/Olympus', maxRuns: '0' }))
    expect(bad.errors.cron).toMatch(/61/)
    expect(bad.errors.timezone).toBe('unknown time zone "Mars/Olympus"')
    expect(bad.errors.maxRuns).toMatch(/whole number/)
    expect(bad.preview).toEqual([])
    expect(bad.body).toBeUndefined()
    expect(checkScheduleForm(form({ cron: '* * *' })).errors.cron).toMatch(/expected 5 fields/)
    expect(checkScheduleForm(form({ cron: '' })).errors.cron).toBe('required')
  })

  it('formats a time in a zone', () => {
    expect(formatInZone('2026-11-30T08:00:00Z', 'Europe/Paris', 'en-GB')).toMatch(/30 Nov 2026.*09:00/)
    expect(formatInZone('2026-11-30T08:00:00Z', 'Asia/Tokyo', 'en-GB')).toMatch(/30 Nov 2026.*17:00/)
  })
})
