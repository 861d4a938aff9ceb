/**
 * Field paths used in problems: dotted property names with `[n]` for array indexes and
 * `["..."]` for keys that are not plain names, e.g. `config.headers["X Trace"]` or `nodes[3].label`.
 */

export type PathSegment = string | number

const plainKey = /^[A-Za-z_$][A-Za-z0-9_$-]*$/

/**
 * Formats path segments as a field path.
 *
 * @example
 * formatFieldPath(['config', 'headers', 'Content-Type']) // 'config.headers.Content-Type'
 * formatFieldPath(['nodes', 3, 'label']) // 'nodes[3].label'
 * formatFieldPath(['config', 'mapping', 'a b']) // 'config.mapping["a b"]'
 */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = ''
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (plainKey.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

/**
 * Splits a JSON pointer (`/nodes/3/label`) into segments. When `root` is given, a segment becomes a
 * number only where the pointed-at container is an array (so a map key `"404"` stays a string);
 * without `root`, every all-digit segment becomes a number.
 *
 * @example
 * pointerToSegments('/nodes/3/config/a~1b') // ['nodes', 3, 'config', 'a/b']
 */
export function pointerToSegments(pointer: string, root?: unknown): PathSegment[] {
  if (pointer === '') return []
  const raw = pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  const segments: PathSegment[] = []
  let current: unknown = root
  for (const part of raw) {
    const numeric = /^(0|[1-9][0-9]*)$/.test(part)
    const isIndex = root === undefined ? numeric : numeric && Array.isArray(current)
    segments.push(isIndex ? Number(part) : part)
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined
  }
  return segments
}
