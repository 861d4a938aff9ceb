import { describe, expect, it } from 'vitest'
import { linearDefinition } from '@workflow-builder/definition'
import { indexProblems, locateFieldErrors } from './problem-locations.ts'

describe('problem locations', () => {
  it('maps definition pointers to nodes and edges', () => {
    const located = locateFieldErrors(
      [
        { field: '/definition/nodes/1/config/url', code: 'invalid', message: 'bad url' },
        { field: '/definition/edges/2/sourceHandle', code: 'invalid', message: 'bad handle' },
        { field: '/definition/settings', code: 'invalid', message: 'bad settings' },
        { field: '/name', code: 'too_long', message: 'too long' },
        { field: '/definition', code: 'x', message: 'engine', nodeId: 'shape' },
        { field: '/definition/nodes/2/config/mapping/name', code: 'expression_syntax', message: 'bad', nodeId: 'shape' },
        { field: '/definition/edges/0', code: 'dangling_edge', message: 'gone', edgeId: 'e_start_fetch' },
      ],
      linearDefinition,
    )
    expect(located).toEqual([
      { nodeId: 'fetch_user', edgeId: null, field: 'config.url', code: 'invalid', message: 'bad url' },
      { nodeId: null, edgeId: 'e_shape_end', field: 'sourceHandle', code: 'invalid', message: 'bad handle' },
      { nodeId: null, edgeId: null, field: 'settings', code: 'invalid', message: 'bad settings' },
      { nodeId: null, edgeId: null, field: '/name', code: 'too_long', message: 'too long' },
      { nodeId: 'shape', edgeId: null, field: '', code: 'x', message: 'engine' },
      { nodeId: 'shape', edgeId: null, field: 'config.mapping.name', code: 'expression_syntax', message: 'bad' },
      { nodeId: null, edgeId: 'e_start_fetch', field: '', code: 'dangling_edge', message: 'gone' },
    ])
  })

  it('indexes by node and edge, treating vanished ones as general', () => {
    const problems = [
      { nodeId: 'a', edgeId: null, field: 'config.url', code: 'invalid_config', message: 'm1' },
      { nodeId: 'a', edgeId: null, field: 'label', code: 'invalid_structure', message: 'm2' },
      { nodeId: null, edgeId: 'e1', field: '', code: 'duplicate_edge', message: 'm3' },
      { nodeId: 'gone', edgeId: null, field: '', code: 'cycle', message: 'm4' },
      { nodeId: null, edgeId: null, field: '', code: 'missing_trigger', message: 'm5' },
    ]
    const index = indexProblems(problems, new Set(['a']), new Set(['e1']))
    expect(index.byNode.get('a')?.map((p) => p.message)).toEqual(['m1', 'm2'])
    expect(index.byEdge.get('e1')?.map((p) => p.message)).toEqual(['m3'])
    expect(index.general.map((p) => p.message)).toEqual(['m4', 'm5'])
  })
})
