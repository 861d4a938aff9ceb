import type { Problem } from './problem.ts'

/** What the validator needs to know about a child workflow a `workflow.child` node starts. */
export interface ChildWorkflowFacts {
  /** Signal names the child's deployed version sends its parent (`signal.parent` nodes). */
  signalsToParent?: readonly string[]
  /** Query names the child's deployed version asks its parent (`query.parent` nodes). */
  queriesToParent?: readonly string[]
}

/** The query every run answers (the state of its steps). */
const STATE_QUERY = 'wbState'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Problems of one `workflow.child` node that need the rest of the definition or the child:
 * `blockUntil` naming unknown nodes or undeclared signals, and a child that signals its parent
 * when the node does not allow it (or with a signal this workflow does not declare).
 *
 * @example
 * childNodeProblems(node, { nodeIds, signalNames, child: { signalsToParent: ['done'] } })
 * // [{ nodeId, field: 'config.canSignalParent', code: 'child_signal_not_allowed', ... }]
 */
export function childNodeProblems(
  node: { id: string; config: Record<string, unknown> },
  ctx: { nodeIds: ReadonlySet<string>; signalNames: ReadonlySet<unknown>; queryNames?: ReadonlySet<unknown>; child?: ChildWorkflowFacts | undefined },
): Problem[] {
  const problems: Problem[] = []
  const config = node.config
  const block = isObject(config['blockUntil']) ? config['blockUntil'] : undefined
  const waitsOn = Array.isArray(block?.['nodes']) ? block['nodes'] : []
  waitsOn.forEach((id, i) => {
    if (typeof id !== 'string') return
    if (id === node.id || !ctx.nodeIds.has(id)) {
      problems.push({
        nodeId: node.id, field: `config.blockUntil.nodes[${i}]`, code: 'unknown_node',
        message: id === node.id ? 'a node cannot wait for itself' : `there is no node "${id}" in this workflow`,
      })
    }
  })
  if (typeof block?.['signal'] === 'string' && !ctx.signalNames.has(block['signal'])) {
    problems.push({
      nodeId: node.id, field: 'config.blockUntil.signal', code: 'unknown_signal',
      message: `signal "${block['signal']}" is not declared in the workflow's signals`,
    })
  }
  const sends = [...new Set(ctx.child?.signalsToParent ?? [])]
  if (sends.length > 0 && config['canSignalParent'] !== true) {
    problems.push({
      nodeId: node.id, field: 'config.canSignalParent', code: 'child_signal_not_allowed',
      message: `workflow "${String(config['workflowSlug'])}" signals its parent (${sends.join(', ')}); allow "Child may signal this run" or remove its Signal parent nodes`,
    })
  }
  for (const name of sends) {
    if (!ctx.signalNames.has(name)) {
      problems.push({
        nodeId: node.id, field: 'config.workflowSlug', code: 'unknown_signal',
        message: `workflow "${String(config['workflowSlug'])}" sends its parent signal "${name}", which this workflow does not declare`,
      })
    }
  }
  const asks = [...new Set(ctx.child?.queriesToParent ?? [])]
  if (asks.length > 0 && config['canQueryParent'] !== true) {
    problems.push({
      nodeId: node.id, field: 'config.canQueryParent', code: 'child_query_not_allowed',
      message: `workflow "${String(config['workflowSlug'])}" queries its parent (${asks.join(', ')}); allow "Child may query this run" or remove its Query parent nodes`,
    })
  }
  for (const name of asks) {
    if (name !== STATE_QUERY && !(ctx.queryNames?.has(name) ?? false)) {
      problems.push({
        nodeId: node.id, field: 'config.workflowSlug', code: 'unknown_query',
        message: `workflow "${String(config['workflowSlug'])}" asks its parent query "${name}", which this workflow does not declare`,
      })
    }
  }
  return problems
}
