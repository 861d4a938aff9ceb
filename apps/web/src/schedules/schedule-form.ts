import { cronError, isValidTimezone, nextFireTimes } from '@workflow-builder/definition'
import type { ScheduleBody } from '../api/schedules.ts'

/** What the schedule form holds (strings, as typed). */
export interface ScheduleFormValues {
  cron: string
  timezone: string
  startImmediately: boolean
  /** Empty: unlimited. */
  maxRuns: string
}

export interface ScheduleFormCheck {
  /** Per field: the reason it is invalid (the cron parser's own message for `cron`). */
  errors: Partial<Record<'cron' | 'timezone' | 'maxRuns', string>>
  /** The next fire times computed here with the same cron library as the API (empty when invalid). */
  preview: Date[]
  /** The request body, when valid. */
  body: ScheduleBody | undefined
}

/**
 * Validates the form as the user types (same rules and messages as the API) and previews the next
 * fire times.
 *
 * @example
 * checkScheduleForm({ cron: '61 * * * *', timezone: 'UTC', startImmediately: false, maxRuns: '' }).errors.cron
 * // 'Constraint error, got value 61 expected range 0-59'
 */
export function checkScheduleForm(v: ScheduleFormValues, now: Date = new Date(), count = 5): ScheduleFormCheck {
  const errors: ScheduleFormCheck['errors'] = {}
  const timezone = v.timezone.trim()
  if (!isValidTimezone(timezone)) errors.timezone = timezone === '' ? 'required' : `unknown time zone "${timezone}"`
  const cron = v.cron.trim()
  const cronReason = cron === '' ? 'required' : cronError(cron, errors.timezone === undefined ? timezone : 'UTC')
  if (cronReason !== undefined) errors.cron = cronReason
  let maxRuns: number | null = null
  if (v.maxRuns.trim() !== '') {
    const n = Number(v.maxRuns)
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) errors.maxRuns = 'a whole number from 1 to 1,000,000, or empty for unlimited'
    else maxRuns = n
  }
  const valid = Object.keys(errors).length === 0
  return {
    errors,
    preview: errors.cron === undefined && errors.timezone === undefined ? nextFireTimes(cron, timezone, count, now) : [],
    body: valid ? { cron, timezone, startImmediately: v.startImmediately, maxRuns } : undefined,
  }
}

/**
 * A time shown in a given zone, with the zone's short name.
 *
 * @example
 * formatInZone('2026-11-30T08:00:00Z', 'Europe/Paris', 'en-GB') // 'Mon 30 Nov 2026, 09:00 CET'
 */
export function formatInZone(iso: string | Date, timezone: string, locale?: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso
  return new Intl.DateTimeFormat(locale, {
    timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  }).format(date)
}

/** The browser's IANA time zone. */
export const userTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

/** IANA zone names for the time zone picker (the runtime's list, UTC first). */
export function timeZoneNames(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? []
  return ['UTC', ...supported.filter((z) => z !== 'UTC')]
}
