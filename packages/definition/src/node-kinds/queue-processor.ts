import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'
import { QUEUE_NAME_PATTERN } from '../patterns.ts'

/** Handle where the per-item body starts. */
export const QUEUE_ITEM_HANDLE = 'item'
/** Handle taken once processing stops (stop signal, or the queue ran empty with `stopWhenEmpty`). */
export const QUEUE_DONE_HANDLE = 'done'

/** `queue.process` settings. */
export const queueProcessConfigSchema = Type.Object(
  {
    queue: Type.String({
      pattern: QUEUE_NAME_PATTERN,
      maxLength: 40,
      title: 'Work queue',
      description: 'One of the work queues declared on the workflow.',
    }),
    stopWhenEmpty: Type.Optional(
      Type.Boolean({
        default: false,
        title: 'Stop when empty',
        description: 'Continue on `done` as soon as the queue is empty, instead of waiting for more items until the stop signal.',
      }),
    ),
    continueAsNewEvery: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        default: 200,
        title: 'Continue as new after (items)',
        description: 'Starts a fresh history after this many items (earlier if Temporal suggests it), carrying the queue over.',
      }),
    ),
  },
  { additionalProperties: false, title: 'Process work queue' },
)
/** @see queueProcessConfigSchema */
export type QueueProcessConfig = Static<typeof queueProcessConfigSchema>

/**
 * Long-running consumer of a declared work queue: the region reachable from `item` runs once per
 * item taken from the queue (body nodes see `item` and `index`), one at a time, until the queue's
 * `<queue>_stop` signal arrives (or the queue is empty, with `stopWhenEmpty`); then `done`.
 */
export const queueProcessKind: NodeKindDescriptor<QueueProcessConfig> = {
  kind: 'queue.process',
  version: 1,
  label: 'Process work queue',
  description:
    'Takes items from a work queue one at a time and runs the nodes after `item` for each (they can use `item` and `index`); continues on `done` once the queue is stopped.',
  category: 'flow',
  componentType: 'signal',
  runsIn: 'workflow',
  configSchema: queueProcessConfigSchema,
  outputSchema: Type.Object(
    { processed: Type.Integer(), rejected: Type.Integer(), remaining: Type.Array(Type.Unknown()) },
    { description: 'Counts when processing stopped, and the items still waiting.' },
  ),
  inputs: 1,
  outputs: [
    { id: QUEUE_ITEM_HANDLE, label: 'Each item', required: true },
    { id: QUEUE_DONE_HANDLE, label: 'Done' },
  ],
  expressionFields: [],
  declaredNameFields: { queue: 'workQueues' },
  icon: 'list-ordered',
  loop: { bodyHandle: QUEUE_ITEM_HANDLE, doneHandle: QUEUE_DONE_HANDLE },
}
