/**
 * Shared string patterns and limits of the definition format. Kept in one place so the schema,
 * the node-kind config schemas and the validator agree on them.
 */

/** Node and edge ids: a letter, then up to 63 letters, digits, `_` or `-`. */
export const ID_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,63}$'

/**
 * Identifiers that end up as JavaScript/Temporal names or handle ids (signal and query names,
 * switch case ids, output handle ids): a letter or `_`, then up to 63 letters, digits or `_`.
 */
export const IDENTIFIER_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,63}$'

/**
 * Work queue names: an identifier short enough that the generated `<name>_enqueue` etc. stay
 * identifiers of at most 64 characters.
 */
export const QUEUE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,39}$'

/** Dotted paths into a JSON object (`orderId`, `customer.id`): identifiers separated by `.`. */
export const FIELD_PATH_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$'

/**
 * What a declared query returns: `state`, `input[.path]`, `steps.<nodeId>.output[.path]` or
 * `queues.<queue>`. A plain path, not JSONata: query handlers must answer synchronously.
 */
export const QUERY_RETURNS_PATTERN =
  '^(state|input(\\.[A-Za-z_][A-Za-z0-9_]*)*|steps\\.[A-Za-z][A-Za-z0-9_-]{0,63}\\.output(\\.[A-Za-z_][A-Za-z0-9_]*)*|queues\\.[A-Za-z_][A-Za-z0-9_]{0,39})$'

/** Largest `maxSize` of a work queue (the queue lives in workflow memory and is carried over continue-as-new). */
export const MAX_QUEUE_SIZE = 10_000

/** Workflow slugs (`workflows.slug`): lowercase kebab-case, at most 64 characters. */
export const SLUG_PATTERN = '^(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$'

/** Length limits for strings in a definition. */
export const LIMITS = {
  id: 64,
  label: 200,
  string: 10_000,
  kind: 64,
  nodes: 5_000,
  edges: 20_000,
  /** Keys of maps such as headers or mappings. */
  mapKey: 200,
  /** Entries of maps such as headers or mappings. */
  mapEntries: 200,
} as const

const idRegExp = new RegExp(ID_PATTERN)
const identifierRegExp = new RegExp(IDENTIFIER_PATTERN)
const slugRegExp = new RegExp(SLUG_PATTERN)

/**
 * Whether `value` is a valid node or edge id.
 *
 * @example
 * isNodeId('http_1') // true
 * isNodeId('1st') // false
 */
export function isNodeId(value: unknown): value is string {
  return typeof value === 'string' && idRegExp.test(value)
}

/**
 * Whether `value` is a valid identifier (signal/query name, handle id).
 *
 * @example
 * isIdentifier('approved') // true
 * isIdentifier('approved-by') // false
 */
export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && identifierRegExp.test(value)
}

/**
 * Whether `value` is a valid workflow slug.
 *
 * @example
 * isWorkflowSlug('send-invoice') // true
 * isWorkflowSlug('Send_Invoice') // false
 */
export function isWorkflowSlug(value: unknown): value is string {
  return typeof value === 'string' && slugRegExp.test(value)
}
