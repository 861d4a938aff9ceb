/**
 * Snapshot undo/redo. The editor pushes the state *before* each committed change (add, delete,
 * connect, drag end, config edit, paste, layout); undo swaps the present with the last
 * snapshot. Immutable: every operation returns a new history.
 */
export interface History<T> {
  readonly past: readonly T[]
  readonly future: readonly T[]
}

/** Snapshots kept before the oldest is dropped. */
export const HISTORY_LIMIT = 100

/** An empty history. */
export const emptyHistory = <T>(): History<T> => ({ past: [], future: [] })

/**
 * Records `before` (the state a change replaced); clears the redo stack.
 *
 * @example
 * history = record(history, { nodes, edges })
 * setState(next)
 */
export function record<T>(history: History<T>, before: T, limit = HISTORY_LIMIT): History<T> {
  const past = [...history.past, before]
  return { past: past.length > limit ? past.slice(past.length - limit) : past, future: [] }
}

/**
 * Steps back: returns the state to show and the new history, or undefined when there is
 * nothing to undo.
 *
 * @example
 * const step = undo(history, { nodes, edges }); if (step) { setHistory(step.history); setState(step.state) }
 */
export function undo<T>(history: History<T>, present: T): { state: T; history: History<T> } | undefined {
  const state = history.past[history.past.length - 1]
  if (state === undefined) return undefined
  return { state, history: { past: history.past.slice(0, -1), future: [present, ...history.future] } }
}

/** Steps forward again after {@link undo}; undefined when there is nothing to redo. */
export function redo<T>(history: History<T>, present: T): { state: T; history: History<T> } | undefined {
  const [state, ...future] = history.future
  if (state === undefined) return undefined
  return { state, history: { past: [...history.past, present], future } }
}
