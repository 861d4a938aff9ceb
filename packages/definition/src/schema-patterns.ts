/**
 * `pattern`s of the JSON Schemas a definition declares (input, signal parameters, query results,
 * work-queue items) must be regular expressions: the API compiles these schemas to validate run
 * inputs, signal payloads and queue items, and an invalid one (`(`) would fail every such call
 * with a server error instead of being reported when the workflow is saved and deployed.
 */
import safeRegex from 'safe-regex2'
import type { Problem } from './problem.ts'

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * Why `pattern` cannot be used (as JSON Schema validators compile it: with the `u` flag), or
 * undefined. Patterns run on every run start, signal and queue item in the API process, so one
 * that can backtrack exponentially (nested quantifiers, e.g. `(a+)+$`) would let one builder
 * stall the API for everybody: refused by safe-regex2's star-height check.
 */
function patternError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u')
  } catch (error) {
    return `not a regular expression: ${error instanceof Error ? error.message : String(error)}`
  }
  if (!safeRegex(pattern)) return 'may take exponential time on some inputs (nested or too many quantifiers, e.g. (a+)+); simplify it'
  return undefined
}

/** Walks one schema (its properties and items); `at` is its field path from the definition root. */
function walk(schema: unknown, at: string, problems: Problem[], depth = 0): void {
  if (!isObject(schema) || depth > 64) return
  const pattern = schema['pattern']
  if (typeof pattern === 'string') {
    const error = patternError(pattern)
    if (error !== undefined) problems.push({ field: `${at}.pattern`, code: 'invalid_pattern', message: error })
  }
  const properties = schema['properties']
  if (isObject(properties)) {
    for (const key of Object.keys(properties)) walk(properties[key], `${at}.properties.${key}`, problems, depth + 1)
  }
  walk(schema['items'], `${at}.items`, problems, depth + 1)
}

/**
 * Problems of every `pattern` in the definition's declared schemas, each naming its field
 * (`inputSchema.properties.code.pattern`, `signals[0].parametersSchema.properties.note.pattern`).
 *
 * @example
 * schemaPatternProblems({ inputSchema: { type: 'object', properties: { code: { type: 'string', pattern: '(' } } } })
 * // [{ field: 'inputSchema.properties.code.pattern', code: 'invalid_pattern', message: 'not a regular expression: …' }]
 */
export function schemaPatternProblems(definition: Record<string, unknown>): Problem[] {
  const problems: Problem[] = []
  walk(definition['inputSchema'], 'inputSchema', problems)
  const each = (collection: string, key: string) => {
    const list = definition[collection]
    if (!Array.isArray(list)) return
    list.forEach((entry, index) => { if (isObject(entry)) walk(entry[key], `${collection}[${index}].${key}`, problems) })
  }
  each('signals', 'parametersSchema')
  each('queries', 'returnSchema')
  each('workQueues', 'itemSchema')
  return problems
}
