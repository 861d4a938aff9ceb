import type { TSchema } from 'typebox'
import { formatFieldPath, type PathSegment } from './field-path.ts'
import type { ProblemCode } from './problem.ts'

/** Palette sections. */
export const NODE_CATEGORIES = ['trigger', 'action', 'logic', 'flow', 'ai', 'output'] as const
/** Palette section a node kind is listed under. */
export type NodeCategory = (typeof NODE_CATEGORIES)[number]

/** Rows of the `component_types` lookup table. */
export const COMPONENT_TYPES = ['trigger', 'activity', 'agent', 'signal'] as const
/** Row of the `component_types` lookup table a node kind belongs to. */
export type ComponentType = (typeof COMPONENT_TYPES)[number]

/**
 * Where a node executes: `activity` nodes do I/O and become Temporal activities; `workflow`
 * nodes are deterministic and run inside the workflow sandbox.
 */
export type RunsIn = 'activity' | 'workflow'

/** An output handle on a node; edges leave from handles (`edge.sourceHandle`). */
export interface OutputHandle {
  /** Handle id, used as `edge.sourceHandle`. An identifier. */
  readonly id: string
  readonly label: string
  /** When true, `validateWorkflow` reports `unconnected_output` unless an edge leaves the handle. */
  readonly required?: boolean
}

/** A problem found by a kind's own config check, with `field` relative to the node (`config.cron`). */
export interface ConfigIssue {
  readonly field: string
  readonly code: ProblemCode
  readonly message: string
}

// Method-style signatures are bivariant in their parameter, so a descriptor for a specific config
// type is still assignable to `NodeKindDescriptor` (the element type of `nodeKinds`).
type OutputsOf<Config> = { bivariant(config: Config): readonly OutputHandle[] }['bivariant']
type CheckOf<Config> = { bivariant(config: Config): readonly ConfigIssue[] }['bivariant']

/**
 * A node kind, described as data: the palette, the config forms, the validator and the compiler
 * all read the same descriptor.
 *
 * @example
 * const delayKind: NodeKindDescriptor<{ duration: string }> = {
 *   kind: 'flow.delay', version: 1, label: 'Delay', description: 'Waits, then continues.',
 *   category: 'flow', componentType: 'activity', runsIn: 'workflow',
 *   configSchema: Type.Object({ duration: Type.String() }), outputSchema: Type.Null(),
 *   inputs: 1, outputs: [{ id: 'out', label: 'Next' }], expressionFields: [], icon: 'timer',
 * }
 */
export interface NodeKindDescriptor<Config = Record<string, unknown>> {
  /** Stable kind id stored in `node.kind`, e.g. `http.request`. */
  readonly kind: string
  /** Bumped when the config shape or semantics change incompatibly. */
  readonly version: number
  readonly label: string
  readonly description: string
  readonly category: NodeCategory
  readonly componentType: ComponentType
  readonly runsIn: RunsIn
  /** JSON-Schema-compatible TypeBox schema of `node.config`, with titles, descriptions and defaults for forms. */
  readonly configSchema: TSchema
  /** Loose description of the node's output (`steps.<id>.output`), for editor hints. */
  readonly outputSchema: TSchema
  /** Number of input handles: 0 for triggers, else 1. */
  readonly inputs: 0 | 1
  /** Output handles, fixed or computed from the (schema-valid) config, e.g. one per switch case. */
  readonly outputs: readonly OutputHandle[] | OutputsOf<Config>
  /**
   * Config field paths whose string values are templates (`{{ jsonata }}`). Segments are property
   * names separated by `.`; `*` matches every key of a map or every element of an array.
   */
  readonly expressionFields: readonly string[]
  /** Icon name (lucide). */
  readonly icon: string
  /**
   * Loop kinds (`flow.forEach`, `queue.process`): the region reachable from `bodyHandle` is the
   * body, run repeatedly with `item`/`index` in scope; `doneHandle` continues after the loop.
   */
  readonly loop?: { readonly bodyHandle: string; readonly doneHandle: string }
  /** Extra checks the schema cannot express (cron syntax, unique case ids); runs on schema-valid configs only. */
  readonly checkConfig?: CheckOf<Config>
  /**
   * Top-level config fields that name a declaration of the workflow (`signalName` → `signals`):
   * the editor offers the declared names instead of free text.
   */
  readonly declaredNameFields?: { readonly [field: string]: DeclarationCollection }
}

/** The lists of named declarations on a workflow definition that a node's config can name. */
export type DeclarationCollection = 'signals' | 'queries' | 'workQueues'

/**
 * The output handles of a node of this kind with this (schema-valid) config.
 *
 * @example
 * outputHandles(branchSwitchKind, { value: '{{ input.tier }}', cases: [{ id: 'gold', label: 'Gold', equals: 'gold' }] })
 * // [{ id: 'gold', ... }, { id: 'default', ... }]
 */
export function outputHandles<Config>(descriptor: NodeKindDescriptor<Config>, config: Config): readonly OutputHandle[] {
  return typeof descriptor.outputs === 'function' ? descriptor.outputs(config) : descriptor.outputs
}

/** A string value found at one of a descriptor's expression field paths. */
export interface ExpressionFieldValue {
  /** Path relative to the node, e.g. `['config', 'headers', 'Authorization']`. */
  readonly path: readonly PathSegment[]
  /** `path` formatted as a problem field, e.g. `config.headers.Authorization`. */
  readonly field: string
  readonly value: string
}

/**
 * Lists the string values at the descriptor's expression fields of a config, expanding `*`.
 *
 * @example
 * expressionFieldValues(transformKind, { mapping: { total: '{{ input.a + input.b }}' } })
 * // [{ path: ['config', 'mapping', 'total'], field: 'config.mapping.total', value: '{{ input.a + input.b }}' }]
 */
export function expressionFieldValues(
  descriptor: Pick<NodeKindDescriptor<never>, 'expressionFields'>,
  config: unknown,
): ExpressionFieldValue[] {
  const found: ExpressionFieldValue[] = []
  const visit = (value: unknown, rest: readonly string[], path: PathSegment[]): void => {
    if (rest.length === 0) {
      if (typeof value === 'string') found.push({ path, field: formatFieldPath(path), value })
      return
    }
    if (value === null || typeof value !== 'object') return
    const [head, ...tail] = rest as [string, ...string[]]
    if (head === '*') {
      if (Array.isArray(value)) value.forEach((item, index) => visit(item, tail, [...path, index]))
      else for (const [key, item] of Object.entries(value)) visit(item, tail, [...path, key])
    } else if (Object.prototype.hasOwnProperty.call(value, head)) {
      visit((value as Record<string, unknown>)[head], tail, [...path, head])
    }
  }
  for (const field of descriptor.expressionFields) visit(config, field.split('.'), ['config'])
  return found
}
