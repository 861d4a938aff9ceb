import { describe, expect, it } from 'vitest'
import { workQueueDefinition } from './fixtures/work-queue.ts'
import { getNodeKind } from './node-kinds/index.ts'
import type { Problem } from './problem.ts'
import type { WorkflowDefinition } from './schema.ts'
import { analyzeStructure } from './structure.ts'
import { validateWorkflow } from './validate.ts'
import { queueMessageNames, workflowQueries, workflowSignals } from './work-queues.ts'

const check = (def: unknown): Array<Omit<Problem, 'message'>> => validateWorkflow(def).map(({ message: _m, ...rest }) => rest)
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

describe('work queue declarations', () => {
  it('accepts the fixtures (with and without approval, every order)', () => {
    expect(validateWorkflow(workQueueDefinition())).toEqual([])
    expect(validateWorkflow(workQueueDefinition({ approval: true, queue: { order: 'priority', maxSize: 3, deduplicate: true, dedupeBy: 'id' } }))).toEqual([])
    expect(validateWorkflow(workQueueDefinition({ queue: { order: 'lifo' }, continueAsNewEvery: 2, stopWhenEmpty: true }))).toEqual([])
  })

  it('rejects bad queue names, sizes and orders, naming the field', () => {
    for (const [queue, field] of [
      [{ name: 'my-queue' }, 'workQueues[0].name'],
      [{ name: '1st' }, 'workQueues[0].name'],
      [{ name: 'q'.repeat(41) }, 'workQueues[0].name'],
      [{ name: 'orders', maxSize: 0 }, 'workQueues[0].maxSize'],
      [{ name: 'orders', maxSize: 10_001 }, 'workQueues[0].maxSize'],
      [{ name: 'orders', maxSize: 1.5 }, 'workQueues[0].maxSize'],
      [{ name: 'orders', order: 'random' }, 'workQueues[0].order'],
      [{ name: 'orders', dedupeBy: 'a b' }, 'workQueues[0].dedupeBy'],
    ] as const) {
      const def = clone(workQueueDefinition()) as unknown as { workQueues: unknown[] }
      def.workQueues[0] = queue
      const problems = check(def)
      expect(problems, JSON.stringify(queue)).toContainEqual({ field, code: 'invalid_structure' })
    }
  })

  it('duplicate queues, and generated names colliding with declared signals and queries', () => {
    const def = clone(workQueueDefinition())
    def.workQueues = [{ name: 'orders' }, { name: 'orders' }]
    expect(check(def)).toContainEqual({ field: 'workQueues[1].name', code: 'duplicate_queue' })
    const clash = clone(workQueueDefinition())
    clash.signals = [{ name: 'orders_add' }, { name: 'orders_enqueue' }]
    clash.queries = [{ name: 'orders_state' }]
    expect(check(clash)).toEqual([
      { field: 'workQueues[0].name', code: 'duplicate_signal' },
      { field: 'workQueues[0].name', code: 'duplicate_signal' },
      { field: 'workQueues[0].name', code: 'duplicate_query' },
    ])
  })

  it('duplicate declared signal names', () => {
    const def = clone(workQueueDefinition({ approval: true }))
    def.signals = [...(def.signals ?? []), { name: 'approve' }]
    expect(check(def)).toEqual([{ field: 'signals[1].name', code: 'duplicate_signal' }])
  })

  it('queue.process must name a declared queue, once', () => {
    const def = clone(workQueueDefinition())
    ;(def.nodes[1] as { config: Record<string, unknown> }).config['queue'] = 'missing'
    expect(check(def)).toContainEqual({ nodeId: 'consume', field: 'config.queue', code: 'unknown_queue' })
    const twice: WorkflowDefinition = clone(workQueueDefinition())
    twice.nodes.push({ id: 'again', kind: 'queue.process', label: 'Again', config: { queue: 'orders' }, position: { x: 0, y: 0 } })
    twice.nodes.push({ id: 'h2', kind: 'transform', label: 'H2', config: { mapping: {} }, position: { x: 0, y: 0 } })
    twice.edges = twice.edges.filter((e) => e.id !== 'e4')
    twice.edges.push({ id: 'e5', source: 'consume', sourceHandle: 'done', target: 'again' })
    twice.edges.push({ id: 'e6', source: 'again', sourceHandle: 'item', target: 'h2' })
    twice.edges.push({ id: 'e7', source: 'again', sourceHandle: 'done', target: 'done' })
    expect(check(twice)).toEqual([{ nodeId: 'again', field: 'config.queue', code: 'queue_consumed_twice' }])
  })

  it('query returns paths must name existing nodes and queues', () => {
    const def = clone(workQueueDefinition())
    def.queries = [
      { name: 'a', returns: 'steps.nope.output' },
      { name: 'b', returns: 'queues.nope' },
      { name: 'c', returns: 'steps.handle.output.id' },
      { name: 'd', returns: 'input.customer' },
    ]
    expect(check(def)).toEqual([
      { field: 'queries[0].returns', code: 'expression_unknown_step' },
      { field: 'queries[1].returns', code: 'unknown_queue' },
    ])
    def.queries = [{ name: 'x', returns: 'process.env' }]
    expect(check(def)).toEqual([{ field: 'queries[0].returns', code: 'invalid_structure' }])
  })

  it('queue.process is a loop: body nodes may use item/index; not inside another loop', () => {
    const structure = analyzeStructure(workQueueDefinition())
    expect(structure.ok).toBe(true)
    if (!structure.ok) return
    const block = structure.root.blocks[1]
    expect(block).toMatchObject({ type: 'forEach', kind: 'queue.process', nodeId: 'consume', resultNodeId: 'handle' })
    const nested = clone(workQueueDefinition())
    nested.nodes.push({ id: 'each', kind: 'flow.forEach', label: 'Each', config: { items: '{{ [1, 2] }}' }, position: { x: 0, y: 0 } })
    nested.edges = nested.edges.map((e) => (e.id === 'e1' ? { ...e, target: 'each' } : e))
    nested.edges.push({ id: 'e9', source: 'each', sourceHandle: 'item', target: 'consume' })
    nested.edges = nested.edges.filter((e) => e.id !== 'e4')
    nested.nodes = nested.nodes.filter((n) => n.id !== 'done')
    expect(check(nested)).toContainEqual({ nodeId: 'consume', field: '', code: 'unstructured_graph' })
  })

  it('lists declared and generated signals and queries', () => {
    const def = workQueueDefinition({ approval: true })
    expect(queueMessageNames('orders')).toEqual({ add: 'orders_add', stop: 'orders_stop', state: 'orders_state', enqueue: 'orders_enqueue' })
    expect(workflowSignals(def).map((s) => [s.name, s.workQueue ?? null])).toEqual([
      ['approve', null],
      ['orders_add', 'orders'],
      ['orders_stop', 'orders'],
    ])
    expect(workflowSignals(def)[1]?.parametersSchema).toEqual(def.workQueues?.[0]?.itemSchema)
    expect(workflowQueries(def).map((q) => [q.name, q.returns, q.workQueue ?? null])).toEqual([
      ['lastHandled', 'steps.handle.output', null],
      ['orders_contents', 'queues.orders', null],
      ['orders_state', 'queues.orders', 'orders'],
    ])
    expect(getNodeKind('queue.process')?.loop).toEqual({ bodyHandle: 'item', doneHandle: 'done' })
  })
})
