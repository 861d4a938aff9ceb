import type { RJSFSchema, UiSchema } from '@rjsf/utils'
import type { NodeKindDescriptor } from '@workflow-builder/definition'

/** Widget and field names registered by the config form. */
export const EXPRESSION_WIDGET = 'expression'
export const JSON_VALUE_FIELD = 'jsonValue'
export const DECLARED_NAME_WIDGET = 'declaredName'

type Json = Record<string, unknown>
type MutableUi = Record<string, unknown>

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value)

/** A JSON Schema with no type, enum, const or structure: any JSON value (`JsonValue()` in the kinds). */
export function isAnyValueSchema(schema: unknown): boolean {
  if (!isObject(schema)) return false
  return !['type', 'enum', 'const', 'properties', 'items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', '$ref'].some((key) => key in schema)
}

/**
 * The kind's config schema as plain JSON for the form (TypeBox metadata dropped), without the
 * root title and description, which the side panel shows itself.
 *
 * @example
 * configFormSchema(httpRequestKind).properties.url.title // 'URL'
 */
export function configFormSchema(descriptor: Pick<NodeKindDescriptor, 'configSchema'>): RJSFSchema {
  const schema = JSON.parse(JSON.stringify(descriptor.configSchema)) as Json
  delete schema['title']
  delete schema['description']
  return schema as RJSFSchema
}

function childUi(ui: MutableUi, key: string): MutableUi {
  const existing = ui[key]
  if (isObject(existing)) return existing
  const created: MutableUi = {}
  ui[key] = created
  return created
}

/** Walks schema and uiSchema together along a dotted path (`*` = each map value or array item). */
function locate(schema: Json, ui: MutableUi, path: readonly string[]): { schema: Json; ui: MutableUi } | undefined {
  let currentSchema: Json = schema
  let currentUi: MutableUi = ui
  for (const segment of path) {
    if (segment === '*') {
      if (isObject(currentSchema['additionalProperties'])) {
        currentSchema = currentSchema['additionalProperties']
        currentUi = childUi(currentUi, 'additionalProperties')
      } else if (isObject(currentSchema['items'])) {
        currentSchema = currentSchema['items']
        currentUi = childUi(currentUi, 'items')
      } else {
        return undefined
      }
    } else {
      const properties = currentSchema['properties']
      const next = isObject(properties) ? properties[segment] : undefined
      if (!isObject(next)) return undefined
      currentSchema = next
      currentUi = childUi(currentUi, segment)
    }
  }
  return { schema: currentSchema, ui: currentUi }
}

/** Marks every any-JSON-value leaf (switch `equals`, HTTP `body`) with the JSON value field. */
function markAnyValues(schema: Json, ui: MutableUi): void {
  if (isAnyValueSchema(schema)) {
    ui['ui:field'] = JSON_VALUE_FIELD
    return
  }
  const properties = schema['properties']
  if (isObject(properties)) {
    for (const [key, child] of Object.entries(properties)) if (isObject(child)) markAnyValues(child, childUi(ui, key))
  }
  if (isObject(schema['items'])) markAnyValues(schema['items'], childUi(ui, 'items'))
  if (isObject(schema['additionalProperties'])) markAnyValues(schema['additionalProperties'], childUi(ui, 'additionalProperties'))
}

/** Fields that hold prose (prompts), shown as taller text areas. */
const MULTILINE = new Set(['prompt', 'systemPrompt', 'description'])

/**
 * uiSchema for a kind's config form: expression fields (from `expressionFields`) use the
 * expression widget with its reference picker, any-JSON-value fields use the JSON value field
 * (which also accepts templates when it is an expression field), prose fields are taller, fields
 * naming a declaration (`declaredNameFields`) are a select of the declared names, and
 * the form renders no submit button (the editor saves the whole workflow).
 *
 * @example
 * configUiSchema(httpRequestKind).headers.additionalProperties['ui:widget'] // 'expression'
 */
export function configUiSchema(descriptor: Pick<NodeKindDescriptor, 'configSchema' | 'expressionFields' | 'declaredNameFields'>): UiSchema {
  const schema = configFormSchema(descriptor) as Json
  const ui: MutableUi = { 'ui:submitButtonOptions': { norender: true } }
  markAnyValues(schema, ui)
  for (const field of descriptor.expressionFields) {
    const path = field.split('.')
    const found = locate(schema, ui, path)
    if (found === undefined) continue
    const last = path[path.length - 1] ?? ''
    if (found.ui['ui:field'] === JSON_VALUE_FIELD) {
      found.ui['ui:options'] = { ...(isObject(found.ui['ui:options']) ? found.ui['ui:options'] : {}), expressions: true }
    } else {
      found.ui['ui:widget'] = EXPRESSION_WIDGET
      if (MULTILINE.has(last)) found.ui['ui:options'] = { rows: 5 }
    }
  }
  const properties = schema['properties']
  if (isObject(properties)) {
    for (const key of Object.keys(properties)) {
      const fieldUi = childUi(ui, key)
      if (MULTILINE.has(key) && fieldUi['ui:widget'] === undefined) fieldUi['ui:widget'] = 'textarea'
    }
    // Fields naming a declaration offer the workflow's declared names (given through formContext).
    for (const [key, collection] of Object.entries(descriptor.declaredNameFields ?? {})) {
      if (!isObject(properties[key])) continue
      const fieldUi = childUi(ui, key)
      fieldUi['ui:widget'] = DECLARED_NAME_WIDGET
      fieldUi['ui:options'] = { ...(isObject(fieldUi['ui:options']) ? fieldUi['ui:options'] : {}), collection }
    }
  }
  return ui as UiSchema
}
