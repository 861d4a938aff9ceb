import { describe, expect, it } from 'vitest'
import { kitchenSinkDefinition, linearDefinition } from '@workflow-builder/definition'
import { expressionReferences } from './expression-references.ts'

const expressions = (nodeId: string, definition = linearDefinition) => expressionReferences(definition, nodeId).map((r) => r.expression)

describe('expressionReferences', () => {
  it('lists the run input, upstream outputs with their fields, and the run id', () => {
    expect(expressions('shape')).toEqual([
      'input',
      'input.userId',
      'steps.start.output',
      'steps.fetch_user.output',
      'steps.fetch_user.output.status',
      'steps.fetch_user.output.headers',
      'steps.fetch_user.output.body',
      'run.id',
    ])
  })

  it('leaves out the node itself and downstream nodes', () => {
    const list = expressions('fetch_user')
    expect(list).toContain('steps.start.output')
    expect(list.some((e) => e.startsWith('steps.fetch_user'))).toBe(false)
    expect(list.some((e) => e.startsWith('steps.shape'))).toBe(false)
  })

  it('offers item and index inside a loop body, not the loop output', () => {
    const inBody = expressions('line_price', kitchenSinkDefinition)
    expect(inBody).toContain('item')
    expect(inBody).toContain('index')
    expect(inBody).not.toContain('steps.each_line.output')
    const after = expressions('result', kitchenSinkDefinition)
    expect(after).toContain('steps.each_line.output')
    expect(after).not.toContain('item')
  })

  it('quotes field names that are not identifiers', () => {
    const list = expressionReferences(
      { ...linearDefinition, inputSchema: { type: 'object', properties: { 'user id': { type: 'string' } } } },
      'shape',
    ).map((r) => r.expression)
    expect(list).toContain('input.`user id`')
  })

  it('works for unknown node ids', () => {
    expect(expressions('ghost')).toEqual(['input', 'input.userId', 'run.id'])
  })
})
