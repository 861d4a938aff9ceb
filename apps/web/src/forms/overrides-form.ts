import type { RJSFSchema, UiSchema } from '@rjsf/utils'
import { isAnyValueSchema, JSON_VALUE_FIELD } from './config-ui-schema.ts'

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * uiSchema for a config-overrides schema (one object per node): any-JSON-value fields (HTTP
 * `body`) use the JSON value field, the form has no submit button of its own.
 *
 * @example
 * overridesUiSchema({ type: 'object', properties: { fetch: { type: 'object', properties: { body: {} } } } }).fetch.body['ui:field'] // 'jsonValue'
 */
export function overridesUiSchema(schema: RJSFSchema): UiSchema {
  const walk = (node: unknown): Json => {
    const ui: Json = {}
    if (!isObject(node)) return ui
    if (isAnyValueSchema(node)) return { 'ui:field': JSON_VALUE_FIELD }
    if (isObject(node['properties'])) for (const [key, child] of Object.entries(node['properties'])) ui[key] = walk(child)
    if (isObject(node['items'])) ui['items'] = walk(node['items'])
    if (isObject(node['additionalProperties'])) ui['additionalProperties'] = walk(node['additionalProperties'])
    return ui
  }
  return { ...walk(schema), 'ui:submitButtonOptions': { norender: true } } as UiSchema
}

/**
 * The overrides a form holds, without what the form adds by itself: empty objects and arrays
 * and undefined values (an empty override would still replace the node's list).
 *
 * @example
 * pruneOverrides({ fetch: { headers: {}, url: 'x' }, end: {} }) // { fetch: { url: 'x' } }
 */
export function pruneOverrides(value: unknown): Record<string, Record<string, unknown>> {
  const prune = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.length === 0 ? undefined : node.map((item) => prune(item) ?? null)
    if (!isObject(node)) return node
    const out: Json = {}
    for (const [key, child] of Object.entries(node)) {
      const kept = prune(child)
      if (kept !== undefined) Object.defineProperty(out, key, { value: kept, enumerable: true, writable: true, configurable: true })
    }
    return Object.keys(out).length === 0 ? undefined : out
  }
  return (prune(value) ?? {}) as Record<string, Record<string, unknown>>
}

/** `/config/fetch/url` → `config.fetch.url`, so API errors land on their form fields. */
export function configPointerToField(pointer: string): string {
  return pointer.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`)).join('')
}
