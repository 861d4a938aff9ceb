import { describe, expect, it } from 'vitest'
import { configOverridesSchema, linearDefinition } from '@workflow-builder/definition'
import type { RJSFSchema } from '@rjsf/utils'
import { configPointerToField, overridesUiSchema, pruneOverrides } from './overrides-form.ts'

describe('overrides form helpers', () => {
  it('marks any-value fields of each node and hides the submit button', () => {
    const ui = overridesUiSchema(configOverridesSchema(linearDefinition) as RJSFSchema) as Record<string, Record<string, Record<string, unknown>>>
    expect(ui['fetch_user']!['body']).toEqual({ 'ui:field': 'jsonValue' })
    expect(ui['ui:submitButtonOptions']).toEqual({ norender: true })
  })

  it('drops what the form adds by itself', () => {
    expect(pruneOverrides({ fetch: { headers: {}, url: 'x', expectStatus: [] }, end: { output: {} } })).toEqual({ fetch: { url: 'x' } })
    expect(pruneOverrides(undefined)).toEqual({})
    expect(pruneOverrides({ fetch: { expectStatus: [200] } })).toEqual({ fetch: { expectStatus: [200] } })
  })

  it('maps API error pointers to form fields', () => {
    expect(configPointerToField('/config/fetch/url')).toBe('config.fetch.url')
    expect(configPointerToField('/config/fetch/expectStatus/0')).toBe('config.fetch.expectStatus[0]')
  })
})
