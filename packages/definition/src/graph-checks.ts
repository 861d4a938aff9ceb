/**
 * Whole-graph rules shared by `validateWorkflow` and `analyzeStructure`.
 */
import { findCycles, isTrigger, reachableFrom, type WorkflowGraph } from './graph.ts'
import type { Problem } from './problem.ts'

/**
 * Exactly one trigger: `missing_trigger` (definition-level) or `multiple_triggers` on every
 * trigger after the first. Returns the trigger ids too.
 *
 * @example
 * checkTriggers(graph).triggerIds // ['start']
 */
export function checkTriggers(graph: WorkflowGraph): { triggerIds: string[]; problems: Problem[] } {
  const triggerIds = [...graph.nodes.values()].filter((node) => isTrigger(node)).map((node) => node.id)
  const problems: Problem[] = []
  if (triggerIds.length === 0) {
    problems.push({ field: 'nodes', code: 'missing_trigger', message: 'a workflow needs a trigger node' })
  }
  for (const id of triggerIds.slice(1)) {
    problems.push({
      nodeId: id,
      field: '',
      code: 'multiple_triggers',
      message: `a workflow has exactly one trigger; "${triggerIds[0]}" is already one`,
    })
  }
  return { triggerIds, problems }
}

/**
 * One `cycle` problem per cycle, on the node and edge that close it.
 *
 * @example
 * checkCycles(graph) // [{ nodeId: 'a', edgeId: 'b-a', field: '', code: 'cycle', message: '...' }]
 */
export function checkCycles(graph: WorkflowGraph): Problem[] {
  return findCycles(graph).map((cycle) => {
    const edge = graph.edges.find((e) => e.id === cycle.closingEdgeId)
    return {
      nodeId: edge?.target ?? cycle.nodeIds[0],
      edgeId: cycle.closingEdgeId,
      field: '',
      code: 'cycle',
      message: `the graph must be acyclic (loop through ${cycle.nodeIds.map((id) => `"${id}"`).join(', ')}); use flow.forEach for repetition`,
    }
  })
}

/**
 * `unreachable_node` for every non-trigger node no path from a trigger reaches.
 *
 * @example
 * checkReachability(graph, ['start']) // [{ nodeId: 'orphan', code: 'unreachable_node', ... }]
 */
export function checkReachability(graph: WorkflowGraph, triggerIds: readonly string[]): Problem[] {
  if (triggerIds.length === 0) return []
  const reached = reachableFrom(graph, triggerIds)
  return [...graph.nodes.values()]
    .filter((node) => !reached.has(node.id) && !isTrigger(node))
    .map((node) => ({ nodeId: node.id, field: '', code: 'unreachable_node', message: 'no path from the trigger reaches this node' }))
}

/**
 * `unconnected_output` for every required output handle without an edge (branch outcomes, switch
 * cases, `signal.wait` received/timeout, `flow.forEach` item, `flow.parallel` out).
 *
 * @example
 * checkOutputsConnected(graph) // [{ nodeId: 'check', field: 'outputs.false', code: 'unconnected_output', ... }]
 */
export function checkOutputsConnected(graph: WorkflowGraph): Problem[] {
  const problems: Problem[] = []
  for (const node of graph.nodes.values()) {
    for (const handle of node.handles ?? []) {
      if (handle.required !== true) continue
      if ((graph.outgoing.get(node.id) ?? []).some((edge) => edge.handle === handle.id)) continue
      problems.push({
        nodeId: node.id,
        field: `outputs.${handle.id}`,
        code: 'unconnected_output',
        message: `output "${handle.label}" (${handle.id}) must be connected`,
      })
    }
  }
  return problems
}
