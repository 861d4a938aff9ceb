import { describe, expect, it, vi } from 'vitest'
import { collectPages } from './paging.ts'

describe('collectPages', () => {
  it('follows cursors to the end', async () => {
    const page = vi.fn(async (cursor: string | undefined) =>
      cursor === undefined ? { items: [1, 2], nextCursor: 'c2' } : cursor === 'c2' ? { items: [3], nextCursor: 'c3' } : { items: [4], nextCursor: null },
    )
    await expect(collectPages(page)).resolves.toEqual([1, 2, 3, 4])
    expect(page.mock.calls.map((call) => call[0])).toEqual([undefined, 'c2', 'c3'])
  })

  it('stops after maxPages', async () => {
    const page = vi.fn(async () => ({ items: [0], nextCursor: 'again' }))
    await expect(collectPages(page, 3)).resolves.toEqual([0, 0, 0])
  })
})
