import type { ListRunsQuery, RunSummary } from '../api/client.ts'

/** Run list filters, as kept in the URL (`?status=failed&workflowId=...`). */
export interface RunFilters {
  status?: string
  workflowId?: string
  projectId?: string
  /** ISO timestamps bounding the start time. */
  from?: string
  to?: string
  clientId?: string
  /** A JSON object the run's context must contain. */
  q?: string
}

export const RUN_FILTER_KEYS = ['status', 'workflowId', 'projectId', 'from', 'to', 'clientId', 'q'] as const

/**
 * Filters from the page's search params (unknown and empty values ignored).
 *
 * @example
 * filtersFromParams(new URLSearchParams('status=failed&x=1')) // { status: 'failed' }
 */
export function filtersFromParams(params: URLSearchParams): RunFilters {
  const filters: RunFilters = {}
  for (const key of RUN_FILTER_KEYS) {
    const value = params.get(key)
    if (value !== null && value !== '') filters[key] = value
  }
  return filters
}

/** Search params for filters, keeping other params of `base`. */
export function filtersToParams(filters: RunFilters, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base)
  for (const key of RUN_FILTER_KEYS) {
    const value = filters[key]
    if (value === undefined || value === '') params.delete(key)
    else params.set(key, value)
  }
  return params
}

/** The list query for filters. */
export function filtersToQuery(filters: RunFilters): ListRunsQuery {
  return { ...filters }
}

export const TIME_PRESETS = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const

/**
 * A refreshed first page merged with the pages loaded before: the fresh items replace the
 * start of the list; older items after the last fresh one are kept (with their cursor).
 *
 * @example
 * mergeRefreshed({ items: [c, b], nextCursor: 'x' }, { items: [b, a], nextCursor: null }) // { items: [c, b, a], nextCursor: null }
 */
export function mergeRefreshed(
  fresh: { items: RunSummary[]; nextCursor: string | null },
  loaded: { items: RunSummary[]; nextCursor: string | null },
): { items: RunSummary[]; nextCursor: string | null } {
  const last = fresh.items[fresh.items.length - 1]
  if (last === undefined || fresh.nextCursor === null) return fresh
  const index = loaded.items.findIndex((run) => run.runId === last.runId)
  if (index < 0) return fresh
  const tail = loaded.items.slice(index + 1)
  return tail.length === 0 ? fresh : { items: [...fresh.items, ...tail], nextCursor: loaded.nextCursor }
}
