import { isNodeId } from '@workflow-builder/definition'

const MAX_ID = 64

/**
 * A node or edge id derived from `base` that is not in `taken` and matches the definition's id
 * pattern (a letter, then letters, digits, `_` or `-`, at most 64 characters).
 *
 * @example
 * uniqueId('http.request', new Set(['http_request'])) // 'http_request_2'
 */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  let stem = base.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z]+/, '').replace(/_+$/, '')
  if (stem === '') stem = 'node'
  stem = stem.slice(0, MAX_ID - 4)
  if (!taken.has(stem) && isNodeId(stem)) return stem
  for (let n = 2; ; n++) {
    const suffix = `_${n}`
    const candidate = `${stem.slice(0, MAX_ID - suffix.length)}${suffix}`
    if (!taken.has(candidate)) return candidate
  }
}

/**
 * Id for a new node of `kind`.
 *
 * @example
 * newNodeId('branch.if', new Set()) // 'branch_if'
 */
export function newNodeId(kind: string, taken: ReadonlySet<string>): string {
  return uniqueId(kind, taken)
}

/**
 * Id for a new edge, readable when short enough (`e_fetch_out_shape`), else numbered.
 *
 * @example
 * newEdgeId('check', 'true', 'notify', new Set()) // 'e_check_true_notify'
 */
export function newEdgeId(source: string, handle: string | null | undefined, target: string, taken: ReadonlySet<string>): string {
  const readable = ['e', source, handle ?? '', target].filter((part) => part !== '').join('_')
  return uniqueId(readable.length <= MAX_ID - 4 ? readable : 'edge', taken)
}
