import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import type { Validator } from 'typebox/compile'
import { formatFieldPath, type PathSegment } from './field-path.ts'
import { FIELD_PATH_PATTERN, ID_PATTERN, IDENTIFIER_PATTERN, isNodeId, LIMITS, MAX_QUEUE_SIZE, QUERY_RETURNS_PATTERN, QUEUE_NAME_PATTERN } from './patterns.ts'
import type { Problem } from './problem.ts'
import { collectErrors, schemaIssues } from './schema-errors.ts'

/** The definition format version this package reads and writes. */
export const SCHEMA_VERSION = 1

const MAX_ACTIVITY_SECONDS = 86_400
const MAX_EXECUTION_SECONDS = 31_536_000
const MAX_INTERVAL_MS = 86_400_000

const IdString = (title: string) => Type.String({ pattern: ID_PATTERN, maxLength: LIMITS.id, title })
const Text = (title: string, maxLength: number = LIMITS.string) => Type.String({ maxLength, title })

/**
 * The JSON Schema subset accepted for run inputs, signal parameters and query results: enough
 * for a form library to render and for the TypeBox compiler to validate, nothing that needs
 * `$ref` resolution or remote documents.
 */
const JsonSchemaNode = Type.Object(
  {
    type: Type.Optional(Type.Enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])),
    title: Type.Optional(Text('Title', LIMITS.label)),
    description: Type.Optional(Text('Description')),
    default: Type.Optional(Type.Unknown()),
    examples: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 20 })),
    enum: Type.Optional(Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1_000 })),
    const: Type.Optional(Type.Unknown()),
    format: Type.Optional(Type.String({ maxLength: 64 })),
    pattern: Type.Optional(Type.String({ maxLength: 1_000 })),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    minimum: Type.Optional(Type.Number()),
    maximum: Type.Optional(Type.Number()),
    minItems: Type.Optional(Type.Integer({ minimum: 0 })),
    maxItems: Type.Optional(Type.Integer({ minimum: 0 })),
    uniqueItems: Type.Optional(Type.Boolean()),
    items: Type.Optional(Type.Ref('JsonSchema')),
    properties: Type.Optional(Type.Record(Type.String(), Type.Ref('JsonSchema'), { maxProperties: LIMITS.mapEntries })),
    required: Type.Optional(Type.Array(Type.String({ maxLength: LIMITS.mapKey }), { maxItems: LIMITS.mapEntries })),
    additionalProperties: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

/**
 * JSON Schema subset for signal parameters and query results.
 *
 * @example
 * const payload: JsonSchemaSubset = { type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] }
 */
export const JsonSchemaSubsetSchema = Type.Cyclic({ JsonSchema: JsonSchemaNode }, 'JsonSchema')
/** @see JsonSchemaSubsetSchema */
export type JsonSchemaSubset = Static<typeof JsonSchemaSubsetSchema>

/**
 * Retry policy of an activity (Temporal `RetryPolicy`, intervals in milliseconds).
 *
 * @example
 * const retry: RetryPolicy = { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2 }
 */
export const RetryPolicySchema = Type.Object(
  {
    maximumAttempts: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, title: 'Maximum attempts', description: 'Including the first attempt.' }),
    ),
    initialIntervalMs: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_INTERVAL_MS, title: 'Initial interval (ms)' }),
    ),
    backoffCoefficient: Type.Optional(Type.Number({ minimum: 1, maximum: 100, title: 'Backoff coefficient' })),
    maximumIntervalMs: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_INTERVAL_MS, title: 'Maximum interval (ms)' }),
    ),
  },
  { additionalProperties: false, title: 'Retry policy' },
)
/** @see RetryPolicySchema */
export type RetryPolicy = Static<typeof RetryPolicySchema>

/** Longest a cached step result is kept: one year. */
export const MAX_CACHE_TTL_SECONDS = 31_536_000

/**
 * Step cache of an activity node: a run reuses the stored output of an earlier run of the same
 * workflow and node with the same key instead of calling the activity (the step is recorded as
 * `cached`). The key defaults to a hash of the node's resolved config.
 *
 * @example
 * const cache: StepCache = { key: '{{ input.userId }}', ttlSeconds: 3_600 }
 */
export const StepCacheSchema = Type.Object(
  {
    key: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.string,
        title: 'Cache key',
        description: 'A {{ }} expression (or text) identifying equivalent calls; default: a hash of the resolved config.',
      }),
    ),
    ttlSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_CACHE_TTL_SECONDS, title: 'Keep for (seconds)', description: 'Default: never expires.' }),
    ),
  },
  { additionalProperties: false, title: 'Cache result' },
)
/** @see StepCacheSchema */
export type StepCache = Static<typeof StepCacheSchema>

/**
 * A node on the canvas. `config` is checked against the node kind's `configSchema` by `validateWorkflow`.
 *
 * @example
 * const node: WorkflowNode = { id: 'wait', kind: 'flow.delay', label: 'Wait', config: { duration: '5m' }, position: { x: 0, y: 0 } }
 */
export const WorkflowNodeSchema = Type.Object(
  {
    id: IdString('Id'),
    kind: Type.String({ minLength: 1, maxLength: LIMITS.kind, title: 'Kind' }),
    label: Text('Label', LIMITS.label),
    config: Type.Record(Type.String(), Type.Unknown(), { title: 'Configuration' }),
    position: Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false }),
    retry: Type.Optional(RetryPolicySchema),
    timeoutSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_ACTIVITY_SECONDS,
        title: 'Timeout (seconds)',
        description: 'Start-to-close timeout of the activity (or child workflow) this node runs as.',
      }),
    ),
    cache: Type.Optional(StepCacheSchema),
  },
  { additionalProperties: false },
)
/** @see WorkflowNodeSchema */
export type WorkflowNode = Static<typeof WorkflowNodeSchema>

/**
 * A connection from an output handle of `source` to the (single) input of `target`.
 * `sourceHandle` may be omitted when the source kind has exactly one output handle.
 *
 * @example
 * const edge: WorkflowEdge = { id: 'e1', source: 'check', sourceHandle: 'true', target: 'notify' }
 */
export const WorkflowEdgeSchema = Type.Object(
  {
    id: IdString('Id'),
    source: IdString('Source node'),
    target: IdString('Target node'),
    sourceHandle: Type.Optional(Type.String({ pattern: IDENTIFIER_PATTERN, maxLength: LIMITS.id })),
  },
  { additionalProperties: false },
)
/** @see WorkflowEdgeSchema */
export type WorkflowEdge = Static<typeof WorkflowEdgeSchema>

/**
 * Run-wide settings.
 *
 * @example
 * const settings: WorkflowSettings = { executionTimeoutSeconds: 3_600, defaultRetry: { maximumAttempts: 3 } }
 */
export const WorkflowSettingsSchema = Type.Object(
  {
    executionTimeoutSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_EXECUTION_SECONDS, title: 'Execution timeout (seconds)' }),
    ),
    defaultActivityTimeoutSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_ACTIVITY_SECONDS, title: 'Default activity timeout (seconds)' }),
    ),
    defaultRetry: Type.Optional(RetryPolicySchema),
  },
  { additionalProperties: false },
)
/** @see WorkflowSettingsSchema */
export type WorkflowSettings = Static<typeof WorkflowSettingsSchema>

const InputSchemaNode = Type.Object(
  {
    type: Type.Literal('object'),
    title: Type.Optional(Text('Title', LIMITS.label)),
    description: Type.Optional(Text('Description')),
    properties: Type.Record(Type.String(), Type.Ref('JsonSchema'), { maxProperties: LIMITS.mapEntries }),
    required: Type.Optional(Type.Array(Type.String({ maxLength: LIMITS.mapKey }), { maxItems: LIMITS.mapEntries })),
    additionalProperties: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

const SignalNode = Type.Object(
  {
    name: Type.String({ pattern: IDENTIFIER_PATTERN, maxLength: LIMITS.id, title: 'Name' }),
    description: Type.Optional(Text('Description')),
    parametersSchema: Type.Optional(Type.Ref('JsonSchema')),
  },
  { additionalProperties: false },
)

const QueryNode = Type.Object(
  {
    name: Type.String({ pattern: IDENTIFIER_PATTERN, maxLength: LIMITS.id, title: 'Name' }),
    description: Type.Optional(Text('Description')),
    returnSchema: Type.Optional(Type.Ref('JsonSchema')),
    returns: Type.Optional(
      Type.String({
        pattern: QUERY_RETURNS_PATTERN,
        maxLength: LIMITS.label,
        title: 'Returns',
        description: 'What the query answers: `state` (default), `input[.path]`, `steps.<nodeId>.output[.path]` or `queues.<queue>`.',
      }),
    ),
  },
  { additionalProperties: false },
)

const WorkQueueNode = Type.Object(
  {
    name: Type.String({ pattern: QUEUE_NAME_PATTERN, maxLength: 40, title: 'Name' }),
    description: Type.Optional(Text('Description')),
    maxSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_QUEUE_SIZE, title: 'Maximum size', description: 'Items waiting; adding more is rejected.' })),
    order: Type.Optional(Type.Enum(['fifo', 'lifo', 'priority'], { default: 'fifo', title: 'Order' })),
    priorityField: Type.Optional(
      Type.String({ pattern: FIELD_PATH_PATTERN, maxLength: LIMITS.label, title: 'Priority field', description: 'Item field holding a number; higher is taken first (order: priority). Default `priority`.' }),
    ),
    deduplicate: Type.Optional(Type.Boolean({ default: false, title: 'Reject duplicates' })),
    dedupeBy: Type.Optional(
      Type.String({ pattern: FIELD_PATH_PATTERN, maxLength: LIMITS.label, title: 'Duplicate key', description: 'Item field that identifies an item, e.g. `orderId`; default: the whole item.' }),
    ),
    itemSchema: Type.Optional(Type.Ref('JsonSchema')),
  },
  { additionalProperties: false },
)

/**
 * The versioned workflow definition document (schemaVersion 1): what the editor saves, the API
 * stores and the compiler reads.
 *
 * @example
 * import { WorkflowDefinitionSchema } from '@workflow-builder/definition'
 * fastify.post('/workflows', { schema: { body: WorkflowDefinitionSchema } }, handler)
 */
export const WorkflowDefinitionSchema = Type.Cyclic(
  {
    JsonSchema: JsonSchemaNode,
    InputSchema: InputSchemaNode,
    WorkflowDefinition: Type.Object(
      {
        schemaVersion: Type.Literal(SCHEMA_VERSION),
        nodes: Type.Array(WorkflowNodeSchema, { maxItems: LIMITS.nodes }),
        edges: Type.Array(WorkflowEdgeSchema, { maxItems: LIMITS.edges }),
        inputSchema: Type.Optional(Type.Ref('InputSchema')),
        settings: Type.Optional(WorkflowSettingsSchema),
        signals: Type.Optional(Type.Array(SignalNode, { maxItems: 100 })),
        queries: Type.Optional(Type.Array(QueryNode, { maxItems: 100 })),
        workQueues: Type.Optional(Type.Array(WorkQueueNode, { maxItems: 20 })),
      },
      { additionalProperties: false },
    ),
  },
  'WorkflowDefinition',
  { title: 'Workflow definition' },
)

/** A workflow definition (schemaVersion 1). */
export type WorkflowDefinition = Static<typeof WorkflowDefinitionSchema>
/** JSON Schema for a workflow's run input (`type: 'object'` with properties). */
export type InputSchema = NonNullable<WorkflowDefinition['inputSchema']>
/** A signal the workflow accepts; `signal.wait` nodes name one of these. */
export type SignalDeclaration = NonNullable<WorkflowDefinition['signals']>[number]
/** A query the workflow answers. */
export type QueryDeclaration = NonNullable<WorkflowDefinition['queries']>[number]
/** A work queue: items added by signal or update, processed one at a time by a `queue.process` node. */
export type WorkQueueDeclaration = NonNullable<WorkflowDefinition['workQueues']>[number]

/**
 * `WorkflowDefinitionSchema` as a plain JSON value (no TypeBox metadata), e.g. for OpenAPI
 * documents or other JSON Schema validators.
 *
 * @example
 * writeFileSync('workflow-definition.schema.json', JSON.stringify(workflowDefinitionJsonSchema))
 */
export const workflowDefinitionJsonSchema: Record<string, unknown> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  ...(JSON.parse(JSON.stringify(WorkflowDefinitionSchema)) as Record<string, unknown>),
}

let validator: Validator | undefined
function definitionValidator(): Validator {
  // Compiled on first use so importing the package stays cheap (browser, workflow sandbox).
  validator ??= Compile(WorkflowDefinitionSchema) as unknown as Validator
  return validator
}

/** Result of {@link parseDefinition}. */
export type ParseResult = { ok: true; value: WorkflowDefinition } | { ok: false; problems: Problem[] }

/**
 * Maps a path inside the definition to problem coordinates: paths under a node or edge with a
 * valid id become `{ nodeId | edgeId, field }` relative to it.
 *
 * @example
 * locateField(definition, ['nodes', 2, 'config', 'url']) // { nodeId: 'fetch', field: 'config.url' }
 * locateField(definition, ['settings', 'defaultRetry']) // { field: 'settings.defaultRetry' }
 */
export function locateField(definition: unknown, path: readonly PathSegment[]): Pick<Problem, 'nodeId' | 'edgeId' | 'field'> {
  const [collection, index, ...rest] = path
  if ((collection === 'nodes' || collection === 'edges') && typeof index === 'number') {
    const list = (definition as Record<string, unknown> | null)?.[collection]
    const item = Array.isArray(list) ? (list[index] as Record<string, unknown> | undefined) : undefined
    const id = item?.['id']
    if (isNodeId(id) && !(rest.length === 1 && rest[0] === 'id')) {
      return collection === 'nodes' ? { nodeId: id, field: formatFieldPath(rest) } : { edgeId: id, field: formatFieldPath(rest) }
    }
  }
  return { field: formatFieldPath(path) }
}

/**
 * Checks the structure of a definition (shape, types, string limits) with the compiled schema.
 * Node configs, graph rules and expressions are checked by `validateWorkflow`.
 *
 * @example
 * const result = parseDefinition(JSON.parse(body))
 * if (!result.ok) return reply.code(422).send({ problems: result.problems })
 * save(result.value)
 */
export function parseDefinition(value: unknown): ParseResult {
  const check = definitionValidator()
  if (check.Check(value)) return { ok: true, value: value as WorkflowDefinition }
  const problems = schemaIssues(collectErrors(check, value), value).map(
    (issue): Problem => ({ ...locateField(value, issue.path), code: 'invalid_structure', message: issue.message }),
  )
  return { ok: false, problems }
}
