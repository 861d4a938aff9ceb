import { describe, expect, it } from 'vitest'
import { kitchenSinkDefinition, kitchenSinkTriggers, kitchenSinkWithTrigger } from './fixtures/kitchen-sink.ts'
import { linearDefinition } from './fixtures/linear.ts'
import { workQueueDefinition } from './fixtures/work-queue.ts'
import { nodeKinds } from './node-kinds/index.ts'
import { parseDefinition, workflowDefinitionJsonSchema } from './schema.ts'

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

describe('parseDefinition', () => {
  it('accepts the kitchen sink, which uses every node kind but queue.process (in the work queue fixture) and signal.parent / query.parent (they need a parent run: worker child-workflows test)', () => {
    const used = new Set([...kitchenSinkDefinition.nodes.map((n) => n.kind), ...Object.keys(kitchenSinkTriggers), 'queue.process', 'signal.parent', 'query.parent'])
    expect(workQueueDefinition().nodes.map((n) => n.kind)).toContain('queue.process')
    expect(parseDefinition(workQueueDefinition({ approval: true })).ok).toBe(true)
    expect([...used].sort()).toEqual(nodeKinds.map((k) => k.kind).sort())
    const result = parseDefinition(kitchenSinkDefinition)
    expect(result).toEqual({ ok: true, value: kitchenSinkDefinition })
    for (const kind of Object.keys(kitchenSinkTriggers) as Array<keyof typeof kitchenSinkTriggers>) {
      expect(parseDefinition(kitchenSinkWithTrigger(kind)).ok).toBe(true)
    }
  })

  it('accepts the linear fixture and survives a JSON round trip', () => {
    expect(parseDefinition(clone(linearDefinition)).ok).toBe(true)
  })

  it('locates problems by node id, edge id or path', () => {
    const broken = clone(linearDefinition) as unknown as Record<string, any>
    broken['schemaVersion'] = 2
    broken['nodes'][1].label = 'x'.repeat(201)
    broken['nodes'][1].extra = true
    broken['nodes'][2].position = { x: 1 }
    broken['nodes'][3].id = '3rd'
    broken['edges'][0].sourceHandle = 'not-an-identifier'
    broken['settings'] = { defaultRetry: { maximumAttempts: 0 } }
    broken['inputSchema'].properties.userId.type = 'int'
    const result = parseDefinition(broken)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { field: 'schemaVersion', code: 'invalid_structure', message: 'must be 1' },
        { nodeId: 'fetch_user', field: 'label', code: 'invalid_structure', message: expect.stringContaining('200') },
        { nodeId: 'fetch_user', field: 'extra', code: 'invalid_structure', message: 'is not an allowed property' },
        { nodeId: 'shape', field: 'position.y', code: 'invalid_structure', message: 'is required' },
        { field: 'nodes[3].id', code: 'invalid_structure', message: expect.stringContaining('pattern') },
        { edgeId: 'e_start_fetch', field: 'sourceHandle', code: 'invalid_structure', message: expect.stringContaining('pattern') },
        { field: 'settings.defaultRetry.maximumAttempts', code: 'invalid_structure', message: expect.any(String) },
        { field: 'inputSchema.properties.userId.type', code: 'invalid_structure', message: expect.stringContaining('"string"') },
      ]),
    )
  })

  it('reports more than TypeBox’s default of 8 errors', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => ({ id: `n${i}`, kind: 'transform', label: 1, config: {}, position: { x: 0, y: 0 } }))
    const result = parseDefinition({ schemaVersion: 1, nodes, edges: [] })
    expect(result.ok ? [] : result.problems).toHaveLength(20)
  })

  it('rejects non-objects and missing collections', () => {
    expect(parseDefinition(null)).toMatchObject({ ok: false, problems: [{ field: '', code: 'invalid_structure' }] })
    const result = parseDefinition({ schemaVersion: 1 })
    expect(result.ok ? [] : result.problems.map((p) => p.field).sort()).toEqual(['edges', 'nodes'])
  })

  it('enforces collection limits', () => {
    const nodes = Array.from({ length: 5_001 }, (_, i) => ({ id: `n${i}`, kind: 'transform', label: '', config: {}, position: { x: 0, y: 0 } }))
    const result = parseDefinition({ schemaVersion: 1, nodes, edges: [] })
    expect(result.ok ? [] : result.problems).toEqual([{ field: 'nodes', code: 'invalid_structure', message: expect.stringContaining('5000') }])
  })
})

describe('workflowDefinitionJsonSchema', () => {
  it('is plain JSON describing the same document', () => {
    expect(clone(workflowDefinitionJsonSchema)).toEqual(workflowDefinitionJsonSchema)
    expect(workflowDefinitionJsonSchema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema')
    const defs = workflowDefinitionJsonSchema['$defs'] as Record<string, any>
    expect(Object.keys(defs).sort()).toEqual(['InputSchema', 'JsonSchema', 'WorkflowDefinition'])
    expect(defs['WorkflowDefinition'].additionalProperties).toBe(false)
    expect(defs['WorkflowDefinition'].properties.nodes.maxItems).toBe(5000)
  })
})
