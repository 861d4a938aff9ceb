/// <reference path="./cron-parser-shim.d.ts" />
import { CronExpressionParser } from 'cron-parser/dist/CronExpressionParser.js'

/**
 * Whether `timezone` is an IANA time zone name known to the runtime's `Intl` data.
 *
 * @example
 * isValidTimezone('Europe/Paris') // true
 * isValidTimezone('Mars/Olympus') // false
 */
export function isValidTimezone(timezone: string): boolean {
  if (timezone.trim() === '') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone })
    return true
  } catch {
    return false
  }
}

/**
 * Checks a five-field cron expression (minute hour day-of-month month day-of-week) with
 * cron-parser. Returns the parser's error message, or undefined when the expression is valid.
 *
 * @example
 * cronError('*\/15 9-17 * * mon-fri') // undefined
 * cronError('61 * * * *') // 'Constraint error, got value 61 expected range 0-59'
 */
export function cronError(expression: string, timezone = 'UTC'): string | undefined {
  const fields = expression.trim().split(/\s+/).filter((field) => field !== '')
  if (fields.length !== 5) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { tz: timezone })
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

/**
 * The next `count` times a five-field cron expression fires in `timezone`, after `from` (default
 * now). Empty when the expression or zone is invalid. Used where Temporal cannot be asked (the
 * editor's preview, a schedule that cannot fire).
 *
 * @example
 * nextFireTimes('0 9 * * mon-fri', 'Europe/Paris', 2, new Date('2026-11-27T12:00:00Z'))
 * // [2026-11-30T08:00:00.000Z, 2026-12-01T08:00:00.000Z]
 */
export function nextFireTimes(expression: string, timezone = 'UTC', count = 5, from: Date = new Date()): Date[] {
  if (!isValidTimezone(timezone) || cronError(expression, timezone) !== undefined) return []
  const fields = expression.trim().split(/\s+/).join(' ')
  return CronExpressionParser.parse(fields, { tz: timezone, currentDate: from })
    .take(count)
    .map((d) => d.toDate())
}
