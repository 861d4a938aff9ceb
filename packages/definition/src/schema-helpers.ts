import Type, { type Static, type TSchema } from 'typebox'
import { LIMITS } from './patterns.ts'

/** Annotations accepted by the helpers below (all optional JSON Schema keywords). */
export type Annotations = {
  title?: string
  description?: string
  default?: unknown
  maxProperties?: number
}

/**
 * A string-keyed map rendered as JSON Schema `additionalProperties` (which form libraries
 * understand, unlike `patternProperties`), with bounded key length and entry count.
 *
 * @example
 * const Headers = StringMap(Expression({ title: 'Value' }), { title: 'Headers' })
 * // { type: 'object', additionalProperties: { type: 'string', ... }, propertyNames: { ... }, maxProperties: 200 }
 */
export function StringMap<Value extends TSchema>(value: Value, annotations: Annotations = {}) {
  return Type.Unsafe<Record<string, Static<Value>>>({
    type: 'object',
    additionalProperties: value,
    propertyNames: { minLength: 1, maxLength: LIMITS.mapKey },
    maxProperties: LIMITS.mapEntries,
    ...annotations,
  } as TSchema)
}

/**
 * A config string that may contain `{{ jsonata }}` templates. List its path in the kind's
 * `expressionFields` so it is syntax-checked and evaluated.
 *
 * @example
 * Type.Object({ url: Expression({ title: 'URL', minLength: 1 }) })
 */
export function Expression(annotations: Annotations & { minLength?: number; maxLength?: number } = {}) {
  return Type.String({ maxLength: LIMITS.string, ...annotations })
}

/**
 * Any JSON value (for literals such as switch case values or request bodies).
 *
 * @example
 * Type.Object({ equals: JsonValue({ title: 'Equals' }) })
 */
export function JsonValue(annotations: Annotations = {}) {
  return Type.Unknown(annotations)
}
