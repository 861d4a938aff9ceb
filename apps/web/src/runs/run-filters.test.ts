import { describe, expect, it } from 'vitest'
import type { RunSummary } from '../api/client.ts'
import { filtersFromParams, filtersToParams, mergeRefreshed } from './run-filters.ts'

const run = (id: string): RunSummary => ({ runId: id, workflowId: 'w', workflowName: 'W', status: 'completed', startedAt: null, endedAt: null, durationMs: null, channel: 'web' })

describe('run filters', () => {
  it('reads and writes the URL, dropping empty values and keeping other params', () => {
    const params = new URLSearchParams('status=failed&workflowId=&from=2026-01-01T00:00:00.000Z&tab=x')
    const filters = filtersFromParams(params)
    expect(filters).toEqual({ status: 'failed', from: '2026-01-01T00:00:00.000Z' })
    const written = filtersToParams({ ...filters, status: undefined, clientId: 'c1' }, params)
    expect(written.toString()).toBe('from=2026-01-01T00%3A00%3A00.000Z&tab=x&clientId=c1')
  })

  it('merges a refreshed first page with older loaded pages', () => {
    const loaded = { items: [run('b'), run('a'), run('z')], nextCursor: 'old' }
    expect(mergeRefreshed({ items: [run('c'), run('b')], nextCursor: 'fresh' }, loaded)).toEqual({
      items: [run('c'), run('b'), run('a'), run('z')],
      nextCursor: 'old',
    })
    // End of the list reached: the fresh page is all there is.
    expect(mergeRefreshed({ items: [run('c')], nextCursor: null }, loaded)).toEqual({ items: [run('c')], nextCursor: null })
    // The overlap was lost: start over from the fresh page.
    expect(mergeRefreshed({ items: [run('q')], nextCursor: 'fresh' }, loaded)).toEqual({ items: [run('q')], nextCursor: 'fresh' })
  })
})
