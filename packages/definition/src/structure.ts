/**
 * Structured view of a workflow graph: the tree of sequences, branches, parallel regions and
 * loops that the compiler turns into nested TypeScript statements. Building it is also how the
 * validator checks that a graph is structured (`unstructured_graph`).
 */
import {
  buildGraph,
  immediatePostDominators,
  forEachBody,
  isLoopBodyEdge,
  isLoopNode,
  outgoingEdges,
  type GraphInput,
  type WorkflowGraph,
} from './graph.ts'
import { checkCycles, checkOutputsConnected, checkTriggers } from './graph-checks.ts'
import { SWITCH_DEFAULT_HANDLE } from './node-kinds/branch-switch.ts'
import { SIGNAL_RECEIVED_HANDLE, SIGNAL_TIMEOUT_HANDLE } from './node-kinds/signal-wait.ts'
import type { Problem } from './problem.ts'

/** Blocks executed one after the other. */
export interface SequenceBlock {
  readonly type: 'sequence'
  readonly blocks: readonly StructuredBlock[]
}

/**
 * A single node: a trigger, an activity (`runsIn: 'activity'`), or a workflow-local step
 * (transform, delay, child workflow, `signal.wait` without timeout, `output.end`). Dispatch on `kind`.
 */
export interface NodeBlock {
  readonly type: 'node'
  readonly nodeId: string
  readonly kind: string
}

/**
 * `branch.if`. `mergeNodeId` is where both paths meet again (it follows this block in the
 * enclosing sequence, or ends it when the merge is the enclosing region's end); null when the
 * paths never meet and each ends at `output.end`.
 */
export interface IfBlock {
  readonly type: 'if'
  readonly nodeId: string
  readonly then: SequenceBlock
  readonly else: SequenceBlock
  readonly mergeNodeId: string | null
}

/** `branch.switch`: one body per case handle, in config order, then `default`. Merge as for {@link IfBlock}. */
export interface SwitchBlock {
  readonly type: 'switch'
  readonly nodeId: string
  readonly cases: ReadonlyArray<{ readonly handle: string; readonly body: SequenceBlock }>
  readonly default: SequenceBlock
  readonly mergeNodeId: string | null
}

/**
 * `signal.wait` with `timeoutSeconds`: wait for the signal or the timer, then take one path.
 * Merge as for {@link IfBlock}. (Without a timeout, `signal.wait` is a plain {@link NodeBlock}.)
 */
export interface SignalWaitBlock {
  readonly type: 'signalWait'
  readonly nodeId: string
  readonly received: SequenceBlock
  readonly timeout: SequenceBlock
  readonly mergeNodeId: string | null
}

/** One concurrent branch of a {@link ParallelBlock}. */
export interface ParallelBranch {
  /** The edge leaving the `flow.parallel` that starts this branch. */
  readonly edgeId: string
  /** Empty when the edge goes straight to the join. */
  readonly body: SequenceBlock
  /** Node whose output the join records for this branch: the branch's last node, or the parallel node for an empty branch. */
  readonly resultNodeId: string
}

/**
 * `flow.parallel` … `flow.join`: run the branches concurrently, wait for all. The join's output is
 * `{ [resultNodeId]: output }`; the join node itself is represented by this block (it does not
 * appear as a separate {@link NodeBlock}).
 */
export interface ParallelBlock {
  readonly type: 'parallel'
  readonly nodeId: string
  readonly joinNodeId: string
  readonly branches: readonly ParallelBranch[]
}

/**
 * A loop node (`kind`: `flow.forEach`, or `queue.process`): run `body` per item (`item`/`index`
 * in scope), then continue with the blocks after this one (the `done` path). A `flow.forEach`
 * outputs the array of `resultNodeId` outputs.
 */
export interface ForEachBlock {
  readonly type: 'forEach'
  readonly nodeId: string
  readonly kind: string
  readonly body: SequenceBlock
  readonly resultNodeId: string
}

/** A block of the structured tree. */
export type StructuredBlock = NodeBlock | IfBlock | SwitchBlock | SignalWaitBlock | ParallelBlock | ForEachBlock

/** Result of {@link analyzeStructure}. */
export type StructureResult =
  | { ok: true; triggerNodeId: string; root: SequenceBlock }
  | { ok: false; problems: Problem[] }

interface WalkContext {
  /** Where this sequence ends (exclusive); null = runs until a node without successor. */
  readonly stop: string | null
  /** Innermost flow.forEach whose body is being walked. */
  readonly loop: string | null
  /** flow.parallel / flow.join whose branch is being walked. */
  readonly parallel: { readonly fork: string; readonly join: string } | null
  /** Set when this path must end at output.end because the named branch node's paths never meet. */
  readonly mustEndFor: string | null
  /** Nesting depth of this sequence (branches, parallel branches and loop bodies). */
  readonly depth: number
}

/** Deeper nesting is unreadable on a canvas and would blow the stack of the walk and of the compiler. */
export const MAX_NESTING_DEPTH = 100

const unstructured = (nodeId: string, message: string, field = ''): Problem => ({ nodeId, field, code: 'unstructured_graph', message })

/**
 * Graph-level structure rules that do not need the walk: only `flow.parallel` may fan out from
 * one handle, and `flow.forEach` bodies must be closed regions.
 */
function checkRegions(graph: WorkflowGraph): Problem[] {
  const problems: Problem[] = []
  for (const node of graph.nodes.values()) {
    const byHandle = new Map<string, number>()
    for (const edge of graph.outgoing.get(node.id) ?? []) {
      if (edge.handle !== undefined) byHandle.set(edge.handle, (byHandle.get(edge.handle) ?? 0) + 1)
    }
    for (const [handle, count] of byHandle) {
      if (count > 1 && node.kind !== 'flow.parallel') {
        problems.push(
          unstructured(node.id, `output "${handle}" has ${count} edges; only flow.parallel may start several branches`, `outputs.${handle}`),
        )
      }
    }
    const loop = node.descriptor?.loop
    if (loop === undefined) continue
    const body = forEachBody(graph, node.id)
    for (const member of body) {
      const outside = (graph.incoming.get(member) ?? []).find(
        (edge) => !body.has(edge.source) && !(edge.source === node.id && edge.handle === loop.bodyHandle),
      )
      if (outside !== undefined) {
        const detail =
          outside.source === node.id
            ? `is reached both from the loop body and from the "${loop.doneHandle}" output of "${node.id}"`
            : `is in the loop body of "${node.id}" but also reached from "${outside.source}" outside it`
        problems.push(unstructured(member, `${detail}; a loop body must be a closed region`))
      }
    }
  }
  return problems
}

function lastNodeOf(sequence: SequenceBlock): string | undefined {
  const last = sequence.blocks[sequence.blocks.length - 1]
  if (last === undefined) return undefined
  return last.type === 'parallel' ? last.joinNodeId : last.nodeId
}

/**
 * Builds the structured tree of a graph whose basic rules hold (one trigger, no cycles, known
 * kinds and handles, required outputs connected). Returns the tree and any `unstructured_graph`
 * problems; the tree is only meaningful when there are none.
 *
 * @example
 * const { graph } = buildGraph(definition)
 * const { root, problems } = structureGraph(graph, 'start')
 */
export function structureGraph(graph: WorkflowGraph, triggerId: string): { root: SequenceBlock; problems: Problem[] } {
  const problems = checkRegions(graph)
  const empty: SequenceBlock = { type: 'sequence', blocks: [] }
  if (problems.length > 0) return { root: empty, problems }

  const ipdom = immediatePostDominators(graph, { skipEdge: (edge) => isLoopBodyEdge(graph, edge) })
  if (ipdom === undefined) return { root: empty, problems: [unstructured(triggerId, 'the graph has a cycle')] }

  // One structural complaint per node is enough; later ones are usually consequences.
  const flagged = new Set<string>()
  const report = (problem: Problem): void => {
    const key = `${problem.nodeId}\u0000${problem.field}`
    if (flagged.has(key)) return
    flagged.add(key)
    problems.push(problem)
  }
  const placed = new Set<string>()
  const target = (nodeId: string, handle: string): string | null => outgoingEdges(graph, nodeId, handle)[0]?.target ?? null
  const merge = (nodeId: string): string | null => ipdom.get(nodeId) ?? null

  const sequence = (entry: string | null, context: WalkContext): SequenceBlock => {
    const blocks: StructuredBlock[] = []
    if (context.depth > MAX_NESTING_DEPTH && entry !== null && entry !== context.stop) {
      report(unstructured(entry, `branches, parallels and loops are nested more than ${MAX_NESTING_DEPTH} levels deep here`))
      return { type: 'sequence', blocks }
    }
    let current = entry
    while (current !== null && current !== context.stop) {
      const node = graph.nodes.get(current)
      if (node === undefined) break
      if (placed.has(current)) {
        report(
          unstructured(current, 'is reached from several paths that do not meet before it; only the point where branches re-converge may have several incoming edges'),
        )
        return { type: 'sequence', blocks }
      }
      placed.add(current)
      const handles = node.handles ?? []

      if (node.kind === 'output.end' && (context.loop !== null || context.parallel !== null)) {
        const region = context.loop !== null ? `the loop body of "${context.loop}"` : `a branch of "${context.parallel?.fork}"`
        report(unstructured(current, `output.end cannot be inside ${region}`))
      }

      const branching =
        node.kind === 'branch.if' || node.kind === 'branch.switch' || (node.kind === 'signal.wait' && handles.length > 1)
      if (branching) {
        const meet = merge(current)
        let mustEndFor = context.mustEndFor
        if (meet === null) {
          if (context.loop !== null || context.parallel !== null) {
            const region = context.loop !== null ? `inside the loop body of "${context.loop}"` : `before "${context.parallel?.join}"`
            report(unstructured(current, `the paths leaving this node must re-converge at one node ${region}`))
          } else mustEndFor = current
        } else if (context.parallel !== null && meet === context.parallel.join) {
          report(
            unstructured(current, `the paths leaving this node must re-converge before "${meet}": each parallel branch reaches the join through one edge`),
          )
        }
        const inner: WalkContext = { ...context, stop: meet, mustEndFor, depth: context.depth + 1 }
        const body = (handle: string): SequenceBlock => sequence(target(current as string, handle), inner)
        if (node.kind === 'branch.if') {
          blocks.push({ type: 'if', nodeId: current, then: body('true'), else: body('false'), mergeNodeId: meet })
        } else if (node.kind === 'branch.switch') {
          const cases = handles.filter((h) => h.id !== SWITCH_DEFAULT_HANDLE).map((h) => ({ handle: h.id, body: body(h.id) }))
          blocks.push({ type: 'switch', nodeId: current, cases, default: body(SWITCH_DEFAULT_HANDLE), mergeNodeId: meet })
        } else {
          const received = body(SIGNAL_RECEIVED_HANDLE)
          blocks.push({ type: 'signalWait', nodeId: current, received, timeout: body(SIGNAL_TIMEOUT_HANDLE), mergeNodeId: meet })
        }
        current = meet
        continue
      }

      if (node.kind === 'flow.parallel') {
        const fork = current
        const join = merge(fork)
        if (join === null || graph.nodes.get(join)?.kind !== 'flow.join') {
          report(
            unstructured(fork, `all branches of a flow.parallel must meet at one flow.join${join === null ? '' : ` (they first meet at "${join}")`}`),
          )
          return { type: 'sequence', blocks }
        }
        if (join === context.stop || placed.has(join)) {
          const message =
            context.parallel?.join === join || placed.has(join)
              ? `flow.join is shared by several flow.parallel nodes; give "${fork}" its own join`
              : `flow.join must only receive edges from the branches of "${fork}", but other paths also meet here`
          report(unstructured(join, message))
          return { type: 'sequence', blocks }
        }
        const inner: WalkContext = { stop: join, loop: context.loop, parallel: { fork, join }, mustEndFor: null, depth: context.depth + 1 }
        const before = problems.length
        const branches: ParallelBranch[] = outgoingEdges(graph, fork, 'out').map((edge) => {
          const body = edge.target === join ? { type: 'sequence' as const, blocks: [] } : sequence(edge.target, inner)
          return { edgeId: edge.id, body, resultNodeId: lastNodeOf(body) ?? fork }
        })
        const incoming = (graph.incoming.get(join) ?? []).map((edge) => edge.source).sort()
        const expected = branches.map((branch) => branch.resultNodeId).sort()
        // Problems inside the branches usually explain a mismatch; report it only on its own.
        if (problems.length === before && JSON.stringify(incoming) !== JSON.stringify(expected)) {
          report(
            unstructured(join, `flow.join must receive exactly one edge from each branch of "${fork}" and nothing else`),
          )
        }
        placed.add(join)
        blocks.push({ type: 'parallel', nodeId: fork, joinNodeId: join, branches })
        current = target(join, 'out')
        continue
      }

      if (isLoopNode(node)) {
        const loop = current
        const handles = node.descriptor?.loop ?? { bodyHandle: 'item', doneHandle: 'done' }
        // A work queue's consumer may continue-as-new, which restarts the run at the top: it must
        // run once per run, not inside a loop or a parallel branch.
        if (node.kind === 'queue.process' && (context.loop !== null || context.parallel !== null)) {
          const region = context.loop !== null ? `the loop body of "${context.loop}"` : `a branch of "${context.parallel?.fork}"`
          report(unstructured(current, `queue.process cannot be inside ${region}`))
        }
        const body = sequence(target(loop, handles.bodyHandle), { stop: null, loop, parallel: null, mustEndFor: null, depth: context.depth + 1 })
        blocks.push({ type: 'forEach', nodeId: loop, kind: node.kind, body, resultNodeId: lastNodeOf(body) ?? loop })
        current = target(loop, handles.doneHandle)
        continue
      }

      if (node.kind === 'flow.join') {
        report(unstructured(current, 'flow.join has no matching flow.parallel (it must be where all branches of one flow.parallel meet)'))
        return { type: 'sequence', blocks }
      }

      blocks.push({ type: 'node', nodeId: current, kind: node.kind })
      const [only] = handles
      current = only === undefined ? null : target(current, only.id)
    }

    if (current === null && context.mustEndFor !== null) {
      const last = blocks[blocks.length - 1]
      const endsProperly =
        last !== undefined && ((last.type === 'node' && last.kind === 'output.end') || (last.type !== 'node' && last.type !== 'parallel' && last.type !== 'forEach' && last.mergeNodeId === null))
      if (!endsProperly) {
        const at = last === undefined ? context.mustEndFor : last.type === 'parallel' ? last.joinNodeId : last.nodeId
        report(
          unstructured(at, `the paths leaving "${context.mustEndFor}" never re-converge, so each must end at an output.end node; this one ends here`),
        )
      }
    }
    return { type: 'sequence', blocks }
  }

  const root = sequence(triggerId, { stop: null, loop: null, parallel: null, mustEndFor: null, depth: 0 })
  return { root, problems }
}

/**
 * Turns a definition into the structured tree the compiler emits code from. Checks the basic
 * graph rules first (dangling edges, handles, one trigger, no cycles, required outputs
 * connected) and returns those problems if any fail; otherwise returns `unstructured_graph`
 * problems or the tree. Unreachable nodes are ignored: run `validateWorkflow` for the full list.
 *
 * @example
 * const result = analyzeStructure(definition)
 * if (result.ok) {
 *   for (const block of result.root.blocks) emit(block) // node, if, switch, signalWait, parallel, forEach
 * }
 */
export function analyzeStructure(definition: GraphInput): StructureResult {
  const { graph, problems } = buildGraph(definition)
  for (const node of graph.nodes.values()) {
    if (node.descriptor === undefined) {
      problems.push({ nodeId: node.id, field: 'kind', code: 'unknown_kind', message: `unknown node kind "${node.kind}"` })
    } else if (node.handles === undefined) {
      problems.push({ nodeId: node.id, field: 'config', code: 'invalid_config', message: 'config is invalid, so its outputs are unknown' })
    }
  }
  const { triggerIds, problems: triggerProblems } = checkTriggers(graph)
  problems.push(...triggerProblems, ...checkCycles(graph), ...checkOutputsConnected(graph))
  const triggerId = triggerIds[0]
  if (problems.length > 0 || triggerId === undefined) return { ok: false, problems }
  const structured = structureGraph(graph, triggerId)
  if (structured.problems.length > 0) return { ok: false, problems: structured.problems }
  return { ok: true, triggerNodeId: triggerId, root: structured.root }
}
