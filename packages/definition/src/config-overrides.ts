import type { TSchema } from 'typebox'
import { Compile, type Validator } from 'typebox/compile'
import { getNodeKind } from './node-kinds/index.ts'
import { applyConfigDefaults } from './node-config.ts'
import { collectErrors, schemaIssues } from './schema-errors.ts'

/**
 * Per-node config overrides, the shape of client configs and named configs:
 * `{ <nodeId>: { <config field>: value } }`. They are merged over the nodes' own configs when a
 * run starts (precedence: node config < named config < client config).
 */
export type ConfigOverrides = Record<string, Record<string, unknown>>

/** The minimum of a definition that the overrides schema needs (nodes with id, kind, label). */
export interface OverridableDefinition {
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly kind: string; readonly label?: string }>
}

/** A plain JSON Schema object (no TypeBox metadata), as rendered by the web app's SchemaForm. */
export type JsonSchemaObject = Record<string, unknown>

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Drops `default` everywhere: an absent override means "keep the node's value", never "use the default". */
function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults)
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    if (key === 'default') continue
    Object.defineProperty(out, key, { value: withoutDefaults(child), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/** The kind's config schema as plain JSON with no required fields at its top level and no defaults. */
function optionalFields(schema: TSchema): JsonSchemaObject {
  const plain = withoutDefaults(JSON.parse(JSON.stringify(schema))) as JsonSchemaObject
  delete plain['required']
  return plain
}

/**
 * The JSON Schema of a workflow's config overrides: one optional property per node whose kind
 * has config fields (triggers with nothing to configure are left out), each being that kind's
 * `configSchema` with every field optional and no defaults (a form must not fill in values the
 * node does not override). Unknown properties are refused, so an override for a node that does
 * not exist is a validation error.
 *
 * @example
 * configOverridesSchema(linearDefinition()).properties.fetch
 * // { type: 'object', title: 'Fetch', properties: { url: ..., method: ... }, additionalProperties: false }
 */
export function configOverridesSchema(definition: OverridableDefinition): JsonSchemaObject {
  const properties: Record<string, JsonSchemaObject> = {}
  for (const node of definition.nodes) {
    const descriptor = getNodeKind(node.kind)
    if (descriptor === undefined) continue
    const schema = optionalFields(descriptor.configSchema)
    if (!isPlainObject(schema['properties']) || Object.keys(schema['properties']).length === 0) continue
    Object.defineProperty(properties, node.id, {
      value: { ...schema, title: node.label || node.id, description: `${descriptor.label} (${node.id})` },
      enumerable: true, writable: true, configurable: true,
    })
  }
  return { type: 'object', title: 'Configuration overrides', properties, additionalProperties: false }
}

/** One invalid override, located by a JSON pointer relative to the overrides (`/fetch/url`). */
export interface OverrideIssue {
  readonly pointer: string
  readonly message: string
}

const escapePointer = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * Checks overrides against {@link configOverridesSchema} of the definition: every problem, each
 * with a JSON pointer (`/fetch/url`) the API prefixes with the body field (`/config/fetch/url`).
 *
 * @example
 * validateConfigOverrides(definition, { fetch: { url: 42 } })
 * // [{ pointer: '/fetch/url', message: 'must be string' }]
 */
export function validateConfigOverrides(definition: OverridableDefinition, overrides: unknown): OverrideIssue[] {
  return validateOverridesWithSchema(configOverridesSchema(definition), overrides)
}

/**
 * Checks overrides against an overrides schema already derived (see {@link configOverridesSchema}).
 *
 * @example
 * validateOverridesWithSchema(configOverridesSchema(definition), { fetch: { url: 42 } })
 * // [{ pointer: '/fetch/url', message: 'must be string' }]
 */
export function validateOverridesWithSchema(schema: JsonSchemaObject, overrides: unknown): OverrideIssue[] {
  const validator = Compile(schema as TSchema) as unknown as Validator
  if (validator.Check(overrides)) return []
  return schemaIssues(collectErrors(validator, overrides, 50), overrides).map((issue) => ({
    pointer: issue.path.map((segment) => `/${escapePointer(segment)}`).join(''),
    message: issue.message,
  }))
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: a "__proto__" key stays data.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

const cloneJson = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T))

/**
 * Deep-merges `override` over `base`: plain objects merge key by key, anything else (arrays
 * included) replaces. The same rule the runtime applies to a node's config (runtime `mergeConfig`).
 *
 * @example
 * mergeConfigValue({ headers: { a: '1' }, url: 'x' }, { headers: { b: '2' } })
 * // { headers: { a: '1', b: '2' }, url: 'x' }
 */
export function mergeConfigValue(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return cloneJson(override)
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(base)) setOwn(out, key, cloneJson(value))
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue
    setOwn(out, key, Object.prototype.hasOwnProperty.call(base, key) ? mergeConfigValue(base[key], value) : cloneJson(value))
  }
  return out
}

/**
 * Layers override sets, lowest precedence first (named config, then client config): later
 * layers win per field.
 *
 * @example
 * layerOverrides({ fetch: { url: 'a', method: 'POST' } }, { fetch: { url: 'b' } })
 * // { fetch: { url: 'b', method: 'POST' } }
 */
export function layerOverrides(...layers: ReadonlyArray<ConfigOverrides | null | undefined>): ConfigOverrides {
  const out: ConfigOverrides = {}
  for (const layer of layers) {
    if (!isPlainObject(layer)) continue
    for (const [nodeId, fields] of Object.entries(layer)) {
      if (!isPlainObject(fields)) continue
      const before = Object.prototype.hasOwnProperty.call(out, nodeId) ? out[nodeId] : {}
      setOwn(out, nodeId, mergeConfigValue(before, fields))
    }
  }
  return out
}

/**
 * The config each node runs with, as the compiled workflow computes it: the node's config with
 * its kind's defaults filled in (what the compiler emits), then the overrides merged over it.
 * Templates are not evaluated (a step's evaluated config is its recorded input).
 *
 * @example
 * mergedNodeConfigs({ nodes: [{ id: 'fetch', kind: 'http.request', config: { url: 'a' } }] }, { fetch: { url: 'b' } })
 * // { fetch: { url: 'b', method: 'GET', timeoutMs: 10000, maxResponseBytes: 1048576, responseType: 'json' } }
 */
export function mergedNodeConfigs(
  definition: { readonly nodes: ReadonlyArray<{ readonly id: string; readonly kind: string; readonly config: unknown }> },
  overrides: ConfigOverrides,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const node of definition.nodes) {
    const descriptor = getNodeKind(node.kind)
    const base = descriptor === undefined ? cloneJson(node.config ?? {}) : applyConfigDefaults(descriptor, node.config ?? {})
    const override = Object.prototype.hasOwnProperty.call(overrides, node.id) ? overrides[node.id] : undefined
    setOwn(out, node.id, override === undefined ? base : mergeConfigValue(base, override))
  }
  return out
}
