/**
 * How run steps are shown: one display status per step (and per canvas node), each with a
 * colour pair and a label. `retried` is not stored by every writer: a step that succeeded after
 * retries is shown as retried.
 */

/** Statuses a step is displayed with. */
export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'cached', 'failed', 'retried', 'skipped', 'cancelled'] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

export interface StatusStyle {
  /** Accent: border, bar and badge colour. */
  readonly color: string
  /** Light fill behind the node or badge. */
  readonly background: string
  readonly label: string
}

/** Colours chosen to stay distinguishable for common colour-vision deficiencies (blue/orange/red/green differ in lightness too). */
export const STEP_STATUS_STYLES: Readonly<Record<StepStatus, StatusStyle>> = {
  pending: { color: '#6b7280', background: '#f3f4f6', label: 'Pending' },
  running: { color: '#2563eb', background: '#dbeafe', label: 'Running' },
  succeeded: { color: '#15803d', background: '#dcfce7', label: 'Succeeded' },
  // A step cache hit: the stored output of an earlier run, no work done.
  cached: { color: '#0f766e', background: '#ccfbf1', label: 'Cached' },
  failed: { color: '#b91c1c', background: '#fee2e2', label: 'Failed' },
  retried: { color: '#b45309', background: '#fef3c7', label: 'Succeeded after retries' },
  skipped: { color: '#9ca3af', background: '#f9fafb', label: 'Skipped' },
  cancelled: { color: '#7c3aed', background: '#ede9fe', label: 'Cancelled' },
}

/** The step fields the display status depends on. */
export interface StepLike {
  readonly status: string
  readonly retryCount?: number | null
}

/**
 * Display status of one step. Unknown stored statuses fall back to `pending`; `cached` (a step
 * cache hit) has its own; `timed_out`/`terminated` show as failed/cancelled.
 *
 * @example
 * stepStatus({ status: 'succeeded', retryCount: 2 }) // 'retried'
 */
export function stepStatus(step: StepLike): StepStatus {
  switch (step.status) {
    case 'succeeded':
    case 'completed':
      return (step.retryCount ?? 0) > 0 ? 'retried' : 'succeeded'
    case 'cached':
      return 'cached'
    case 'retried':
      return 'retried'
    case 'running':
      return 'running'
    case 'failed':
    case 'timed_out':
      return 'failed'
    case 'skipped':
      return 'skipped'
    case 'cancelled':
    case 'canceled':
    case 'terminated':
      return 'cancelled'
    default:
      return 'pending'
  }
}

/** Colours and label of a step. */
export function stepStatusStyle(step: StepLike): StatusStyle {
  return STEP_STATUS_STYLES[stepStatus(step)]
}

// Which status wins when a node ran several times (loop iterations): the one that needs attention.
const PRIORITY: readonly StepStatus[] = ['failed', 'running', 'cancelled', 'retried', 'pending', 'succeeded', 'cached', 'skipped']

/**
 * Display status per node id for a run: its steps' statuses combined (a failing or running
 * iteration wins over finished ones); nodes without steps are `pending` while the run is in
 * flight and `skipped` once it ended.
 *
 * @example
 * nodeStatuses(['a', 'b'], [{ nodeId: 'a', status: 'succeeded' }], false) // Map { a: 'succeeded', b: 'skipped' }
 */
export function nodeStatuses(
  nodeIds: readonly string[],
  steps: ReadonlyArray<StepLike & { readonly nodeId: string }>,
  runInFlight: boolean,
): Map<string, StepStatus> {
  const seen = new Map<string, Set<StepStatus>>()
  for (const step of steps) {
    const set = seen.get(step.nodeId) ?? new Set<StepStatus>()
    set.add(stepStatus(step))
    seen.set(step.nodeId, set)
  }
  const result = new Map<string, StepStatus>()
  for (const id of nodeIds) {
    const statuses = seen.get(id)
    if (statuses === undefined) result.set(id, runInFlight ? 'pending' : 'skipped')
    else result.set(id, PRIORITY.find((status) => statuses.has(status)) ?? 'pending')
  }
  return result
}

/** Run statuses stored by the engine. */
export const RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/**
 * Whether a run can still change (polling continues while it does).
 *
 * @example
 * isRunInFlight('running') // true
 */
export function isRunInFlight(status: string): boolean {
  return status === 'pending' || status === 'running'
}

/**
 * Display style of a run status, on the same palette as steps.
 *
 * @example
 * runStatusStyle('timed_out').label // 'Timed out'
 */
export function runStatusStyle(status: string): StatusStyle {
  switch (status) {
    case 'completed':
      return { ...STEP_STATUS_STYLES.succeeded, label: 'Completed' }
    case 'failed':
      return STEP_STATUS_STYLES.failed
    case 'timed_out':
      return { ...STEP_STATUS_STYLES.failed, label: 'Timed out' }
    case 'cancelled':
      return STEP_STATUS_STYLES.cancelled
    case 'terminated':
      return { ...STEP_STATUS_STYLES.cancelled, label: 'Terminated' }
    case 'running':
      return STEP_STATUS_STYLES.running
    default:
      return STEP_STATUS_STYLES.pending
  }
}
