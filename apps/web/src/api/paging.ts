import type { Page } from './client.ts'

/**
 * Follows `nextCursor` until the list ends or `maxPages` pages were read (for small lists such
 * as projects or the component catalog).
 *
 * @example
 * const projects = await collectPages((cursor) => listProjects(orgId, { cursor, limit: 100 }))
 */
export async function collectPages<T>(page: (cursor: string | undefined) => Promise<Page<T>>, maxPages = 20): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  for (let n = 0; n < maxPages; n++) {
    const result = await page(cursor)
    items.push(...result.items)
    if (result.nextCursor === null) break
    cursor = result.nextCursor
  }
  return items
}
