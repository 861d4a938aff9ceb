import {
  ancestorsOf,
  buildGraph,
  enclosingLoops,
  getNodeKind,
  type WorkflowDefinition,
} from '@workflow-builder/definition'

/** Something an expression can read, offered by the expression field's "Insert" menu. */
export interface ExpressionReference {
  /** JSONata path inserted as `{{ expression }}`, e.g. `steps.fetch.output.body`. */
  readonly expression: string
  readonly label: string
  readonly group: 'Run input' | 'Loop' | 'Steps' | 'Run'
}

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A property step in a JSONata path: backticks around names that are not plain identifiers. */
function member(name: string): string {
  return PLAIN_NAME.test(name) ? `.${name}` : `.\`${name.replace(/`/g, '')}\``
}

function objectProperties(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return []
  const properties = (schema as { properties?: unknown }).properties
  return properties !== null && typeof properties === 'object' ? Object.keys(properties) : []
}

/**
 * What an expression in `nodeId`'s config may read: the run input (and its declared fields),
 * `item`/`index` inside a loop body, the outputs of upstream nodes (and their declared
 * top-level fields), and the run id. Nodes that are not upstream, and loops the node sits in
 * (their output only exists after the loop), are left out, as `validateWorkflow` would reject them.
 *
 * @example
 * expressionReferences(linearDefinition, 'shape').map((r) => r.expression)
 * // ['input', 'input.userId', 'steps.start.output', 'steps.fetch_user.output', 'steps.fetch_user.output.status', ..., 'run.id']
 */
export function expressionReferences(
  definition: Pick<WorkflowDefinition, 'nodes' | 'edges' | 'inputSchema'>,
  nodeId: string,
): ExpressionReference[] {
  const references: ExpressionReference[] = [{ expression: 'input', label: 'Run input', group: 'Run input' }]
  for (const name of objectProperties(definition.inputSchema)) {
    references.push({ expression: `input${member(name)}`, label: `Input: ${name}`, group: 'Run input' })
  }

  const { graph } = buildGraph(definition)
  if (graph.nodes.has(nodeId)) {
    const loops = enclosingLoops(graph).get(nodeId) ?? []
    if (loops.length > 0) {
      references.push({ expression: 'item', label: 'Current item', group: 'Loop' })
      references.push({ expression: 'index', label: 'Current index', group: 'Loop' })
    }
    const upstream = ancestorsOf(graph, nodeId)
    for (const node of definition.nodes) {
      if (!upstream.has(node.id) || node.id === nodeId || loops.includes(node.id)) continue
      const base = `steps.${node.id}.output`
      references.push({ expression: base, label: `${node.label || node.id}: output`, group: 'Steps' })
      const outputSchema = getNodeKind(node.kind)?.outputSchema
      for (const name of objectProperties(outputSchema)) {
        references.push({ expression: `${base}${member(name)}`, label: `${node.label || node.id}: ${name}`, group: 'Steps' })
      }
    }
  }
  references.push({ expression: 'run.id', label: 'Run id', group: 'Run' })
  return references
}
