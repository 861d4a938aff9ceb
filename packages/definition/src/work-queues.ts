/**
 * Work queues declared on a workflow (`definition.workQueues`) and the messages generated for
 * each: the `<queue>_add` and `<queue>_stop` signals, the `<queue>_state` query and the
 * `<queue>_enqueue` update (which can reject an item, unlike a signal). Also the full list of
 * signals and queries a workflow answers, declared and generated, as the API stores them.
 */
import type { JsonSchemaSubset, QueryDeclaration, SignalDeclaration, WorkflowDefinition, WorkQueueDeclaration } from './schema.ts'

/** Names of the messages generated for one work queue. */
export interface QueueMessageNames {
  /** Signal adding one item; an item that does not fit is dropped and recorded as rejected. */
  readonly add: string
  /** Signal that ends processing: the current item finishes, then `queue.process` takes `done`. */
  readonly stop: string
  /** Query answering the queue's {@link WorkQueueStateShape}. */
  readonly state: string
  /** Update adding one item, answering its position or failing with "queue full" / "duplicate item". */
  readonly enqueue: string
}

/**
 * The generated message names of a queue.
 *
 * @example
 * queueMessageNames('orders') // { add: 'orders_add', stop: 'orders_stop', state: 'orders_state', enqueue: 'orders_enqueue' }
 */
export function queueMessageNames(queue: string): QueueMessageNames {
  return { add: `${queue}_add`, stop: `${queue}_stop`, state: `${queue}_state`, enqueue: `${queue}_enqueue` }
}

/** JSON Schema of what a queue's state query answers (for forms and the API's query docs). */
export const WORK_QUEUE_STATE_SCHEMA: JsonSchemaSubset = {
  type: 'object',
  title: 'Work queue state',
  properties: {
    name: { type: 'string' },
    items: { type: 'array', description: 'Waiting items, in the order they will be taken.' },
    inFlight: { description: 'The item being processed, or null.' },
    processed: { type: 'integer' },
    rejected: { type: 'integer' },
    maxSize: { type: 'integer' },
    stopped: { type: 'boolean' },
  },
}

/** A signal the workflow accepts, declared or generated for a work queue. */
export interface WorkflowSignalInfo {
  readonly name: string
  readonly description?: string
  readonly parametersSchema?: JsonSchemaSubset
  /** Set for signals generated for a work queue (the queue's name). */
  readonly workQueue?: string
}

/** A query the workflow answers, declared or generated for a work queue. */
export interface WorkflowQueryInfo {
  readonly name: string
  readonly description?: string
  readonly returnSchema?: JsonSchemaSubset
  readonly returns?: string
  readonly workQueue?: string
}

function queueSignals(queue: WorkQueueDeclaration): WorkflowSignalInfo[] {
  const names = queueMessageNames(queue.name)
  return [
    {
      name: names.add,
      description: `Adds an item to work queue "${queue.name}" (dropped when full or duplicate).`,
      ...(queue.itemSchema === undefined ? {} : { parametersSchema: queue.itemSchema }),
      workQueue: queue.name,
    },
    { name: names.stop, description: `Stops processing work queue "${queue.name}" after the current item.`, workQueue: queue.name },
  ]
}

/**
 * Every signal of a workflow: the declared ones, then two per work queue.
 *
 * @example
 * workflowSignals({ ...definition, workQueues: [{ name: 'orders' }] }).map((s) => s.name) // [..., 'orders_add', 'orders_stop']
 */
export function workflowSignals(definition: Pick<WorkflowDefinition, 'signals' | 'workQueues'>): WorkflowSignalInfo[] {
  const declared = (definition.signals ?? []).map((signal: SignalDeclaration): WorkflowSignalInfo => ({ ...signal }))
  return [...declared, ...(definition.workQueues ?? []).flatMap(queueSignals)]
}

/**
 * Every query of a workflow: the declared ones, then `<queue>_state` per work queue (`wbState`
 * is built in and not listed).
 *
 * @example
 * workflowQueries({ workQueues: [{ name: 'orders' }] }) // [{ name: 'orders_state', returns: 'queues.orders', ... }]
 */
export function workflowQueries(definition: Pick<WorkflowDefinition, 'queries' | 'workQueues'>): WorkflowQueryInfo[] {
  const declared = (definition.queries ?? []).map((query: QueryDeclaration): WorkflowQueryInfo => ({ ...query }))
  const generated = (definition.workQueues ?? []).map(
    (queue): WorkflowQueryInfo => ({
      name: queueMessageNames(queue.name).state,
      description: `Contents and counters of work queue "${queue.name}".`,
      returnSchema: WORK_QUEUE_STATE_SCHEMA,
      returns: `queues.${queue.name}`,
      workQueue: queue.name,
    }),
  )
  return [...declared, ...generated]
}
