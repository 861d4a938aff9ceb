/** Builders for compact test definitions (not exported from the package). */
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from './schema.ts'

const minimalConfig: Record<string, Record<string, unknown>> = {
  'trigger.manual': {},
  'trigger.webhook': { method: 'POST' },
  'trigger.schedule': { cron: '*/5 * * * *' },
  'http.request': { url: 'https://example.com' },
  transform: { mapping: {} },
  'branch.if': { condition: '{{ true }}' },
  'branch.switch': { value: '{{ 1 }}', cases: [{ id: 'one', label: 'One', equals: 1 }] },
  'flow.parallel': {},
  'flow.join': {},
  'flow.forEach': { items: '{{ [1, 2, 3] }}' },
  'flow.delay': { duration: '1s' },
  'signal.wait': { signalName: 'go' },
  'workflow.child': { workflowSlug: 'child-flow' },
  'ai.agent': { prompt: 'Say hi', model: 'test-model' },
  'output.end': { output: {} },
}

let position = 0

/** A node with a minimal valid config for its kind (overridable). */
export function node(id: string, kind: string, config?: Record<string, unknown>): WorkflowNode {
  position += 1
  return { id, kind, label: id, config: config ?? { ...(minimalConfig[kind] ?? {}) }, position: { x: position * 10, y: 0 } }
}

/** An edge with id `source-target` (plus the handle when given). */
export function edge(source: string, target: string, sourceHandle?: string, id?: string): WorkflowEdge {
  return {
    id: id ?? `${source}-${sourceHandle === undefined ? '' : `${sourceHandle}-`}${target}`,
    source,
    target,
    ...(sourceHandle === undefined ? {} : { sourceHandle }),
  }
}

/** A definition declaring the signal `go`. */
export function definition(nodes: WorkflowNode[], edges: WorkflowEdge[], extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return { schemaVersion: 1, signals: [{ name: 'go' }], nodes, edges, ...extra }
}
