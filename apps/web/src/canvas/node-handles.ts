import { getNodeKind, outputHandles, type OutputHandle } from '@workflow-builder/definition'

/**
 * Output handles of a node as the canvas shows them: the descriptor's handles for this config.
 * Dynamic handles (switch cases, signal timeout) are computed even from a half-filled config,
 * since the kinds' functions tolerate missing fields; a config they cannot read gives none.
 * Unknown kinds have no handles.
 *
 * @example
 * nodeOutputHandles('branch.if', { condition: '' }).map((h) => h.id) // ['true', 'false']
 */
export function nodeOutputHandles(kind: string, config: unknown): readonly OutputHandle[] {
  const descriptor = getNodeKind(kind)
  if (descriptor === undefined) return []
  if (typeof descriptor.outputs !== 'function') return descriptor.outputs
  try {
    const handles = outputHandles(descriptor, (config ?? {}) as Record<string, unknown>)
    // A case id the user is still typing may be empty or repeated: show each id once.
    const seen = new Set<string>()
    return handles.filter((handle) => {
      if (typeof handle.id !== 'string' || handle.id === '' || seen.has(handle.id)) return false
      seen.add(handle.id)
      return true
    })
  } catch {
    return []
  }
}

/**
 * Whether nodes of this kind accept incoming edges (triggers and unknown kinds do not).
 *
 * @example
 * acceptsInput('trigger.manual') // false
 */
export function acceptsInput(kind: string): boolean {
  return getNodeKind(kind)?.inputs === 1
}
