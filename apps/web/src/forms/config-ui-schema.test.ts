import { describe, expect, it } from 'vitest'
import { getNodeKind, nodeKinds } from '@workflow-builder/definition'
import { configFormSchema, configUiSchema, isAnyValueSchema } from './config-ui-schema.ts'

type Ui = Record<string, Record<string, unknown>>

describe('config form schemas', () => {
  it('gives plain JSON without the root title', () => {
    const schema = configFormSchema(getNodeKind('http.request'))
    expect(schema.title).toBeUndefined()
    expect((schema.properties as Record<string, { title: string }>)['url']?.title).toBe('URL')
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
  })

  it('puts the expression widget on every expression field, through maps', () => {
    const ui = configUiSchema(getNodeKind('http.request')) as unknown as Ui
    expect(ui['url']?.['ui:widget']).toBe('expression')
    expect((ui['headers']?.['additionalProperties'] as Record<string, unknown>)['ui:widget']).toBe('expression')
    expect((ui['query']?.['additionalProperties'] as Record<string, unknown>)['ui:widget']).toBe('expression')
    // body is any JSON value that may hold templates
    expect(ui['body']).toEqual({ 'ui:field': 'jsonValue', 'ui:options': { expressions: true } })
    expect(ui['method']).toEqual({})
    expect(ui['ui:submitButtonOptions']).toEqual({ norender: true })
  })

  it('marks JSON values inside arrays and prose fields', () => {
    const switchUi = configUiSchema(getNodeKind('branch.switch')) as unknown as Ui
    expect(((switchUi['cases']?.['items'] as Ui)['equals'] as Record<string, unknown>)['ui:field']).toBe('jsonValue')
    expect(switchUi['value']?.['ui:widget']).toBe('expression')
    const agentUi = configUiSchema(getNodeKind('ai.agent')) as unknown as Ui
    expect(agentUi['prompt']).toEqual({ 'ui:widget': 'expression', 'ui:options': { rows: 5 } })
    const signalUi = configUiSchema(getNodeKind('signal.wait')) as unknown as Ui
    expect(signalUi['description']?.['ui:widget']).toBe('textarea')
  })

  it('locates every expression field of every built-in kind', () => {
    for (const kind of nodeKinds) {
      const ui = configUiSchema(kind) as unknown as Ui
      for (const field of kind.expressionFields) {
        let node: Record<string, unknown> | undefined = ui
        for (const segment of field.split('.')) {
          node = node?.[segment === '*' ? 'additionalProperties' : segment] as Record<string, unknown> | undefined
        }
        const marked = node?.['ui:widget'] === 'expression' || node?.['ui:field'] === 'jsonValue'
        expect(marked, `${kind.kind} ${field}`).toBe(true)
      }
    }
  })

  it('recognises any-value schemas', () => {
    expect(isAnyValueSchema({ title: 'Body' })).toBe(true)
    expect(isAnyValueSchema({ type: 'string' })).toBe(false)
    expect(isAnyValueSchema({ enum: ['a'] })).toBe(false)
  })
})
