import { type ExpressionFieldValue, expressionFieldValues } from './node-kind.ts'
import { childNodeProblems, type ChildWorkflowFacts } from './child-checks.ts'
import { templateReferences, templateSyntaxError, isExpression } from './expressions.ts'
import { ancestry, buildGraph, enclosingLoops, type GraphInput, type WorkflowGraph } from './graph.ts'
import { checkCycles, checkOutputsConnected, checkReachability, checkTriggers } from './graph-checks.ts'
import { validateNodeConfig } from './node-config.ts'
import type { Problem, ProblemCode } from './problem.ts'
import { parseDefinition } from './schema.ts'
import { structureGraph } from './structure.ts'
import { queueMessageNames } from './work-queues.ts'
import { schemaPatternProblems } from './schema-patterns.ts'

export type { Problem, ProblemCode } from './problem.ts'

/** Options of {@link validateWorkflow}. */
export interface ValidateOptions {
  /** Slugs of the project's workflows; when given, `workflow.child` must name one of them. */
  knownWorkflowSlugs?: readonly string[]
  /** Facts about deployed child workflows by slug (the signals they send their parent). */
  childWorkflows?: Readonly<Record<string, ChildWorkflowFacts>>
}

// With any of these the graph is not sound enough to judge its structure.
const BLOCKING: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'duplicate_node_id',
  'duplicate_edge_id',
  'unknown_kind',
  'dangling_edge',
  'unknown_handle',
  'missing_handle',
  'edge_into_trigger',
  'duplicate_edge',
  'missing_trigger',
  'multiple_triggers',
  'cycle',
  'unconnected_output',
])

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** The parts of a possibly invalid definition that are usable for graph checks. */
function lenientGraphInput(definition: Record<string, unknown>): GraphInput {
  const nodes = (Array.isArray(definition['nodes']) ? definition['nodes'] : [])
    .filter(isObject)
    .filter((node) => typeof node['id'] === 'string' && typeof node['kind'] === 'string')
    .map((node) => ({ id: node['id'] as string, kind: node['kind'] as string, config: node['config'] }))
  const edges = (Array.isArray(definition['edges']) ? definition['edges'] : [])
    .filter(isObject)
    .filter((edge) => typeof edge['id'] === 'string' && typeof edge['source'] === 'string' && typeof edge['target'] === 'string')
    .map((edge) => ({
      id: edge['id'] as string,
      source: edge['source'] as string,
      target: edge['target'] as string,
      sourceHandle: typeof edge['sourceHandle'] === 'string' ? edge['sourceHandle'] : undefined,
    }))
  return { nodes, edges }
}

function retryProblems(retry: unknown, where: { nodeId?: string; prefix: string }): Problem[] {
  if (!isObject(retry)) return []
  const initial = retry['initialIntervalMs']
  const maximum = retry['maximumIntervalMs']
  if (typeof initial === 'number' && typeof maximum === 'number' && maximum < initial) {
    return [
      {
        ...(where.nodeId === undefined ? {} : { nodeId: where.nodeId }),
        field: `${where.prefix}maximumIntervalMs`,
        code: 'invalid_retry',
        message: 'must not be less than initialIntervalMs',
      },
    ]
  }
  return []
}

/** `cache` is for activity nodes only (workflow-side nodes are cheap and deterministic), and its key must parse. */
function cacheProblems(graph: WorkflowGraph, nodeId: string, cache: unknown): Problem[] {
  if (cache === undefined) return []
  const descriptor = graph.nodes.get(nodeId)?.descriptor
  if (descriptor !== undefined && descriptor.runsIn !== 'activity') {
    return [{ nodeId, field: 'cache', code: 'invalid_cache', message: `only activity nodes can cache their result; ${descriptor.kind} runs in the workflow` }]
  }
  const key = isObject(cache) ? cache['key'] : undefined
  if (typeof key === 'string' && isExpression(key)) {
    const syntax = templateSyntaxError(key)
    if (syntax !== undefined) return [{ nodeId, field: 'cache.key', code: 'expression_syntax', message: syntax.detail }]
  }
  return []
}

function duplicateNames(list: unknown, collection: 'signals' | 'queries'): Problem[] {
  if (!Array.isArray(list)) return []
  const seen = new Set<string>()
  const problems: Problem[] = []
  list.forEach((entry, index) => {
    const name = isObject(entry) ? entry['name'] : undefined
    if (typeof name !== 'string') return
    if (seen.has(name)) {
      problems.push({
        field: `${collection}[${index}].name`,
        code: collection === 'signals' ? 'duplicate_signal' : 'duplicate_query',
        message: `"${name}" is declared twice`,
      })
    }
    seen.add(name)
  })
  return problems
}

const namesOf = (list: unknown): string[] =>
  Array.isArray(list) ? list.filter(isObject).map((entry) => entry['name']).filter((name): name is string => typeof name === 'string') : []

/**
 * Work queues: unique names, generated message names that collide with declared ones, every
 * `queue.process` naming a declared queue (each queue consumed by at most one node), and query
 * `returns` paths naming existing nodes and queues.
 */
function workQueueProblems(definition: Record<string, unknown>, graph: WorkflowGraph): Problem[] {
  const problems: Problem[] = []
  const queues = Array.isArray(definition['workQueues']) ? definition['workQueues'] : []
  const signals = new Set(namesOf(definition['signals']))
  const queries = new Set(namesOf(definition['queries']))
  const queueNames = new Set<string>()
  queues.forEach((queue, index) => {
    const name = isObject(queue) ? queue['name'] : undefined
    if (typeof name !== 'string') return
    const field = `workQueues[${index}].name`
    if (queueNames.has(name)) problems.push({ field, code: 'duplicate_queue', message: `work queue "${name}" is declared twice` })
    queueNames.add(name)
    const names = queueMessageNames(name)
    for (const signal of [names.add, names.stop, names.enqueue]) {
      if (signals.has(signal)) problems.push({ field, code: 'duplicate_signal', message: `the queue's generated signal "${signal}" is also declared in signals` })
    }
    if (queries.has(names.state)) problems.push({ field, code: 'duplicate_query', message: `the queue's generated query "${names.state}" is also declared in queries` })
  })
  const consumers = new Map<string, string>()
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'queue.process' || !isObject(node.config) || typeof node.config['queue'] !== 'string') continue
    const queue = node.config['queue']
    if (!queueNames.has(queue)) {
      problems.push({ nodeId: node.id, field: 'config.queue', code: 'unknown_queue', message: `work queue "${queue}" is not declared in the workflow's workQueues` })
      continue
    }
    const first = consumers.get(queue)
    if (first !== undefined) {
      problems.push({ nodeId: node.id, field: 'config.queue', code: 'queue_consumed_twice', message: `work queue "${queue}" is already processed by "${first}"` })
    } else consumers.set(queue, node.id)
  }
  const queryList = Array.isArray(definition['queries']) ? definition['queries'] : []
  queryList.forEach((query, index) => {
    const returns = isObject(query) ? query['returns'] : undefined
    if (typeof returns !== 'string') return
    const field = `queries[${index}].returns`
    const [root, name] = returns.split('.')
    if (root === 'steps' && name !== undefined && !graph.nodes.has(name)) {
      problems.push({ field, code: 'expression_unknown_step', message: `there is no node "${name}"` })
    }
    if (root === 'queues' && name !== undefined && !queueNames.has(name)) {
      problems.push({ field, code: 'unknown_queue', message: `work queue "${name}" is not declared in the workflow's workQueues` })
    }
  })
  return problems
}

const backtickHint = (id: string): string => ` (for "${id}" write steps.\`${id}\`: "-" is subtraction in JSONata)`

/** Suggests backticks when `steps.http-one` was parsed as `steps.http - one`. */
function unknownStepHint(graph: WorkflowGraph, stepId: string): string {
  const candidate = [...graph.nodes.keys()].find((id) => id.startsWith(`${stepId}-`))
  return candidate === undefined ? '' : backtickHint(candidate)
}

/** Same hint for `steps.http-1`, which does not even parse. */
function syntaxHint(graph: WorkflowGraph, template: string): string {
  const candidate = [...graph.nodes.keys()].find((id) => id.includes('-') && template.includes(`steps.${id}`))
  return candidate === undefined ? '' : backtickHint(candidate)
}

function expressionProblems(
  graph: WorkflowGraph,
  nodeId: string,
  field: ExpressionFieldValue,
  context: { isAncestor: (a: string, b: string) => boolean; loops: ReadonlyMap<string, readonly string[]> },
): Problem[] {
  const at = { nodeId, field: field.field }
  const syntax = templateSyntaxError(field.value)
  if (syntax !== undefined) return [{ ...at, code: 'expression_syntax', message: `${syntax.detail}${syntaxHint(graph, field.value)}` }]
  const problems: Problem[] = []
  const references = templateReferences(field.value)
  const loops = context.loops.get(nodeId) ?? []
  const reported = new Set<string>()
  for (const { stepId, via } of references.steps) {
    const key = `${via}:${stepId}`
    if (reported.has(key)) continue
    reported.add(key)
    if (via === 'bracket') {
      problems.push({
        ...at,
        code: 'expression_step_lookup',
        message: `steps["${stepId}"] is a filter in JSONata and returns all steps; write steps.\`${stepId}\` or $lookup(steps, "${stepId}")`,
      })
    }
    if (!graph.nodes.has(stepId)) {
      problems.push({ ...at, code: 'expression_unknown_step', message: `there is no node "${stepId}"${unknownStepHint(graph, stepId)}` })
    } else if (stepId === nodeId) {
      problems.push({ ...at, code: 'expression_not_upstream', message: 'a node cannot read its own output' })
    } else if (loops.includes(stepId)) {
      problems.push({
        ...at,
        code: 'expression_not_upstream',
        message: `inside the loop body of "${stepId}" use item and index; its output only exists after the loop`,
      })
    } else if (!context.isAncestor(stepId, nodeId)) {
      problems.push({ ...at, code: 'expression_not_upstream', message: `"${stepId}" is not upstream of this node, so its output is not available here` })
    }
  }
  const loopVariable = references.roots.find((root) => root === 'item' || root === 'index')
  if (loopVariable !== undefined && loops.length === 0) {
    problems.push({ ...at, code: 'expression_outside_loop', message: `"${loopVariable}" only exists inside a flow.forEach or queue.process body` })
  }
  return problems
}

/**
 * Checks a workflow definition and returns every problem at once (empty when valid): structure
 * (schema), node kinds and configs, edges and handles, one trigger, reachability, cycles,
 * connected outputs, expressions (syntax, references to upstream steps) and the structured-graph
 * rules the compiler relies on (branches re-converge, parallel/join pairs, closed loop bodies).
 *
 * @example
 * const problems = validateWorkflow(definition, { knownWorkflowSlugs: ['send-invoice'] })
 * // [{ nodeId: 'check', field: 'outputs.false', code: 'unconnected_output', message: '...' }, ...]
 */
export function validateWorkflow(definition: unknown, options: ValidateOptions = {}): Problem[] {
  const parsed = parseDefinition(definition)
  const problems: Problem[] = parsed.ok ? [] : [...parsed.problems]
  if (!isObject(definition)) return problems

  const { graph, problems: graphProblems } = buildGraph(lenientGraphInput(definition))
  problems.push(...graphProblems)

  const signalNames = Array.isArray(definition['signals'])
    ? new Set(definition['signals'].filter(isObject).map((signal) => signal['name']))
    : new Set<unknown>()
  const known = options.knownWorkflowSlugs === undefined ? undefined : new Set(options.knownWorkflowSlugs)
  for (const node of graph.nodes.values()) {
    if (node.descriptor === undefined) {
      problems.push({ nodeId: node.id, field: 'kind', code: 'unknown_kind', message: `unknown node kind "${node.kind}"` })
      continue
    }
    if (!isObject(node.config)) continue // reported by the schema
    const issues = validateNodeConfig(node.descriptor, node.config)
    problems.push(...issues.map((issue) => ({ nodeId: node.id, ...issue })))
    const config = node.config
    if (node.kind === 'signal.wait' && typeof config['signalName'] === 'string' && !signalNames.has(config['signalName'])) {
      problems.push({
        nodeId: node.id,
        field: 'config.signalName',
        code: 'unknown_signal',
        message: `signal "${config['signalName']}" is not declared in the workflow's signals`,
      })
    }
    if (node.kind === 'workflow.child') {
      const slug = config['workflowSlug']
      const child = typeof slug === 'string' && options.childWorkflows !== undefined && Object.prototype.hasOwnProperty.call(options.childWorkflows, slug) ? options.childWorkflows[slug] : undefined
      const queryNames = new Set(Array.isArray(definition['queries']) ? definition['queries'].filter(isObject).map((q) => q['name']) : [])
      problems.push(...childNodeProblems({ id: node.id, config }, { nodeIds: new Set(graph.nodes.keys()), signalNames, queryNames, child }))
    }
    if (node.kind === 'workflow.child' && known !== undefined && typeof config['workflowSlug'] === 'string' && !known.has(config['workflowSlug'])) {
      problems.push({
        nodeId: node.id,
        field: 'config.workflowSlug',
        code: 'unknown_workflow',
        message: `there is no workflow "${config['workflowSlug']}"`,
      })
    }
  }
  for (const node of Array.isArray(definition['nodes']) ? definition['nodes'].filter(isObject) : []) {
    if (typeof node['id'] === 'string') problems.push(...retryProblems(node['retry'], { nodeId: node['id'], prefix: 'retry.' }))
    if (typeof node['id'] === 'string') problems.push(...cacheProblems(graph, node['id'], node['cache']))
  }
  const settings = definition['settings']
  if (isObject(settings)) problems.push(...retryProblems(settings['defaultRetry'], { prefix: 'settings.defaultRetry.' }))
  problems.push(...duplicateNames(definition['signals'], 'signals'), ...duplicateNames(definition['queries'], 'queries'))
  problems.push(...workQueueProblems(definition, graph))
  problems.push(...schemaPatternProblems(definition))

  const { triggerIds, problems: triggerProblems } = checkTriggers(graph)
  problems.push(...triggerProblems, ...checkCycles(graph), ...checkReachability(graph, triggerIds), ...checkOutputsConnected(graph))

  const { isAncestor } = ancestry(graph)
  const loops = enclosingLoops(graph)
  for (const node of graph.nodes.values()) {
    if (node.descriptor === undefined) continue
    for (const field of expressionFieldValues(node.descriptor, node.config)) {
      if (!isExpression(field.value)) continue
      problems.push(...expressionProblems(graph, node.id, field, { isAncestor: (a, b) => isAncestor(a, b), loops }))
    }
  }

  const sound =
    !problems.some((problem) => BLOCKING.has(problem.code)) &&
    [...graph.nodes.values()].every((node) => node.handles !== undefined) &&
    triggerIds.length === 1
  if (sound) problems.push(...structureGraph(graph, triggerIds[0] as string).problems)
  return problems
}
