import { describe, expect, it } from 'vitest'
import { linearDefinition } from './fixtures/linear.ts'
import { workQueueDefinition } from './fixtures/work-queue.ts'
import { validateWorkflow } from './validate.ts'

const patternProblems = (definition: unknown) => validateWorkflow(definition).filter((p) => p.code === 'invalid_pattern')

describe('patterns of declared schemas', () => {
  it('reports a pattern that is not a regular expression, naming its field, in every declared schema', () => {
    const definition = structuredClone(workQueueDefinition({ approval: true }))
    definition.inputSchema = { type: 'object', properties: { code: { type: 'string', pattern: '(' } } }
    definition.signals![0]!.parametersSchema = { type: 'object', properties: { note: { type: 'array', items: { type: 'string', pattern: '[a-' } } } }
    definition.queries![0]!.returnSchema = { type: 'string', pattern: '\\' }
    definition.workQueues![0]!.itemSchema = { type: 'object', properties: { id: { type: 'string', pattern: 'a{2,1}' } } }
    expect(patternProblems(definition).map((p) => p.field)).toEqual([
      'inputSchema.properties.code.pattern',
      'signals[0].parametersSchema.properties.note.items.pattern',
      'queries[0].returnSchema.pattern',
      'workQueues[0].itemSchema.properties.id.pattern',
    ])
    expect(patternProblems(definition)[0]!.message).toMatch(/^not a regular expression: /)
  })

  it('accepts valid patterns, including Unicode escapes', () => {
    const definition = structuredClone(linearDefinition)
    definition.inputSchema = { type: 'object', properties: { code: { type: 'string', pattern: '^[A-Z]{2}\\d+$' }, name: { type: 'string', pattern: '^\\p{L}+$' } } }
    expect(patternProblems(definition)).toEqual([])
  })

  it('refuses patterns that can backtrack exponentially (they would run in the API on every run start)', () => {
    const definition = structuredClone(linearDefinition)
    definition.inputSchema = { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' }, b: { type: 'string', pattern: '^([a-z]*)*@x$' }, ok: { type: 'string', pattern: '^[a-z]+@[a-z]+\\.com$' } } }
    const problems = patternProblems(definition)
    expect(problems.map((p) => p.field)).toEqual(['inputSchema.properties.a.pattern', 'inputSchema.properties.b.pattern'])
    expect(problems[0]!.message).toMatch(/exponential time/)
  })
})
