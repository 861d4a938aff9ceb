import type { ErrorSchema } from '@rjsf/utils'
import type { PathSegment } from '@workflow-builder/definition'

/** A problem message located by a field path (the definition's `Problem` and API problems fit). */
export interface FieldMessage {
  readonly field: string
  readonly message: string
}

/**
 * Splits a field path as written by the definition package (`config.cases[0].id`,
 * `config.headers["X Trace"]`) into segments; the inverse of `formatFieldPath`.
 *
 * @example
 * parseFieldPath('config.headers["X Trace"]') // ['config', 'headers', 'X Trace']
 */
export function parseFieldPath(field: string): PathSegment[] {
  const segments: PathSegment[] = []
  let i = 0
  while (i < field.length) {
    const c = field[i]
    if (c === '.') {
      i++
    } else if (c === '[') {
      if (field[i + 1] === '"') {
        // A JSON string key: find its closing quote, honouring escapes.
        let j = i + 2
        while (j < field.length && field[j] !== '"') j += field[j] === '\\' ? 2 : 1
        segments.push(JSON.parse(field.slice(i + 1, j + 1)) as string)
        i = j + 2
      } else {
        const close = field.indexOf(']', i)
        const end = close === -1 ? field.length : close
        segments.push(Number(field.slice(i + 1, end)))
        i = end + 1
      }
    } else {
      let j = i
      while (j < field.length && field[j] !== '.' && field[j] !== '[') j++
      segments.push(field.slice(i, j))
      i = j
    }
  }
  return segments
}

/**
 * Turns problems whose field lies under `prefix` (`config`) into rjsf `extraErrors`, keyed by
 * the rest of the path. Problems on the prefix itself or elsewhere come back as `unplaced`, for
 * the panel to list above the form.
 *
 * @example
 * problemsToErrorSchema([{ field: 'config.url', message: 'must be a URL' }], 'config').errorSchema
 * // { url: { __errors: ['must be a URL'] } }
 */
export function problemsToErrorSchema<P extends FieldMessage>(
  problems: readonly P[],
  prefix: string,
): { errorSchema: ErrorSchema; unplaced: P[] } {
  const root: Record<string, unknown> = {}
  const unplaced: P[] = []
  const prefixSegments = parseFieldPath(prefix)
  for (const problem of problems) {
    const path = parseFieldPath(problem.field)
    const under = prefixSegments.every((segment, index) => path[index] === segment) && path.length > prefixSegments.length
    if (!under) {
      unplaced.push(problem)
      continue
    }
    let node = root
    for (const segment of path.slice(prefixSegments.length)) {
      const key = String(segment)
      const next = (node[key] ?? {}) as Record<string, unknown>
      node[key] = next
      node = next
    }
    const errors = (node['__errors'] ?? []) as string[]
    node['__errors'] = [...errors, problem.message]
  }
  return { errorSchema: root as ErrorSchema, unplaced }
}
