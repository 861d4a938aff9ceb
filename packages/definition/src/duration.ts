/** Duration strings: days, hours, minutes and seconds in that order, each optional, e.g. `1h30m`. */
export const DURATION_PATTERN = '^(?=\\d)(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$'

/** Longest accepted delay: 366 days. */
export const MAX_DURATION_MS = 366 * 86_400_000

const durationRegExp = new RegExp(DURATION_PATTERN)

/**
 * Parses a duration string such as `90s`, `5m`, `1h30m` or `2d` into milliseconds.
 * Returns undefined for anything else.
 *
 * @example
 * parseDuration('1h30m') // 5_400_000
 * parseDuration('soon') // undefined
 */
export function parseDuration(value: string): number | undefined {
  const match = durationRegExp.exec(value)
  if (!match) return undefined
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match
  return (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000
}
