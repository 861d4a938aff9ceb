/**
 * Display formatting for times and durations.
 */

/**
 * A short duration: `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`, `3 d 4 h`.
 *
 * @example
 * formatDuration(65_000) // '1 min 05 s'
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`
  const totalSeconds = Math.round(seconds)
  const minutes = Math.floor(totalSeconds / 60)
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`
  return `${Math.floor(hours / 24)} d ${hours % 24} h`
}

/**
 * Local date and time, to the second.
 *
 * @example
 * formatDateTime('2026-01-02T10:00:00Z') // '02/01/2026, 11:00:00' (depends on locale and zone)
 */
export function formatDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString()
}

/**
 * Duration between two ISO times, or from `start` until `now` while it is still going.
 *
 * @example
 * elapsedMs('2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z') // 2000
 */
export function elapsedMs(start: string | null | undefined, end: string | null | undefined, now: number = Date.now()): number | undefined {
  if (start === null || start === undefined) return undefined
  const from = Date.parse(start)
  const to = end === null || end === undefined ? now : Date.parse(end)
  return Number.isNaN(from) || Number.isNaN(to) ? undefined : Math.max(0, to - from)
}

/** `<input type="datetime-local">` value for an ISO time, in local time. */
export function toDateTimeLocal(iso: string | undefined): string {
  if (iso === undefined || iso === '') return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** ISO time for an `<input type="datetime-local">` value (read as local time). */
export function fromDateTimeLocal(value: string): string | undefined {
  if (value === '') return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}
