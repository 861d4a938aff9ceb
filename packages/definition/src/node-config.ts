import type { TSchema } from 'typebox'
import { Compile, type Validator } from 'typebox/compile'
import Value from 'typebox/value'
import { evaluateTemplate, type ExpressionContext, isExpression } from './expressions.ts'
import { formatFieldPath, type PathSegment } from './field-path.ts'
import { type ConfigIssue, expressionFieldValues, type NodeKindDescriptor } from './node-kind.ts'
import { collectErrors, schemaIssues } from './schema-errors.ts'

const validators = new WeakMap<TSchema, Validator>()

function validatorFor(schema: TSchema): Validator {
  let validator = validators.get(schema)
  if (validator === undefined) {
    validator = Compile(schema) as unknown as Validator
    validators.set(schema, validator)
  }
  return validator
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * Whether `config` satisfies the kind's `configSchema` (the kind's `checkConfig` is not run).
 *
 * @example
 * nodeConfigSchemaValid(flowDelayKind, { duration: '5m' }) // true
 */
export function nodeConfigSchemaValid(descriptor: NodeKindDescriptor, config: unknown): boolean {
  return isPlainObject(config) && validatorFor(descriptor.configSchema).Check(config)
}

/**
 * Checks a node config against its kind: the `configSchema` first, then, when that passes, the
 * kind's own `checkConfig` (cron syntax, unique case ids, ...). Fields are relative to the node.
 *
 * @example
 * validateNodeConfig(httpRequestKind, { url: '', timeoutMs: 120_000 })
 * // [{ field: 'config.url', code: 'invalid_config', message: 'must not have fewer than 1 characters' },
 * //  { field: 'config.timeoutMs', code: 'invalid_config', message: 'must be less or equal to 60000' }]
 */
export function validateNodeConfig(descriptor: NodeKindDescriptor, config: unknown): ConfigIssue[] {
  if (!isPlainObject(config)) return [{ field: 'config', code: 'invalid_config', message: 'must be an object' }]
  const validator = validatorFor(descriptor.configSchema)
  if (!validator.Check(config)) {
    return schemaIssues(collectErrors(validator, config), config).map((issue) => ({
      field: formatFieldPath(['config', ...issue.path]),
      code: 'invalid_config',
      message: issue.message,
    }))
  }
  return descriptor.checkConfig === undefined ? [] : [...descriptor.checkConfig(config)]
}

/**
 * Returns a copy of `config` with the schema's `default`s filled in for missing fields.
 *
 * @example
 * applyConfigDefaults(httpRequestKind, { url: 'https://example.com' })
 * // { url: 'https://example.com', method: 'GET', timeoutMs: 10000, maxResponseBytes: 1048576, responseType: 'json' }
 */
export function applyConfigDefaults<Config>(descriptor: NodeKindDescriptor<Config>, config: Config): Config {
  const copy = JSON.parse(JSON.stringify(config ?? {})) as unknown
  return Value.Default(descriptor.configSchema, copy) as Config
}

function setAt(target: unknown, path: readonly PathSegment[], value: unknown): void {
  let current = target as Record<string | number, unknown>
  for (const segment of path.slice(0, -1)) current = current[segment] as Record<string | number, unknown>
  current[path[path.length - 1] as string | number] = value
}

/**
 * Resolves a node's config for execution: applies defaults, then evaluates every template at the
 * kind's expression fields (in field order). Literal strings are kept. Deterministic, so it can
 * run in workflow code before an activity is called.
 *
 * @throws {ExpressionError} naming `nodeId` and the field when a template fails.
 * @example
 * await resolveConfig(httpRequestKind, node.config, context, { nodeId: node.id })
 * // { url: 'https://api.example.com/users/42', method: 'GET', timeoutMs: 10000, ... }
 */
export async function resolveConfig<Config>(
  descriptor: NodeKindDescriptor<Config>,
  config: Config,
  context: ExpressionContext,
  location: { nodeId?: string } = {},
): Promise<Config> {
  const resolved = applyConfigDefaults(descriptor, config)
  for (const field of expressionFieldValues(descriptor, resolved)) {
    if (!isExpression(field.value)) continue
    const value = await evaluateTemplate(field.value, context, { ...location, field: field.field })
    setAt({ config: resolved }, field.path, value)
  }
  return resolved
}
