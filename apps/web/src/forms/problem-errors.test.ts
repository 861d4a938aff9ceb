import { describe, expect, it } from 'vitest'
import { formatFieldPath } from '@workflow-builder/definition'
import { parseFieldPath, problemsToErrorSchema } from './problem-errors.ts'

describe('parseFieldPath', () => {
  it('inverts formatFieldPath', () => {
    for (const segments of [
      ['config', 'url'],
      ['config', 'cases', 0, 'id'],
      ['config', 'headers', 'X Trace'],
      ['config', 'mapping', 'a"b[c]'],
      ['nodes', 3, 'label'],
      [],
    ]) {
      expect(parseFieldPath(formatFieldPath(segments))).toEqual(segments)
    }
  })
})

describe('problemsToErrorSchema', () => {
  it('places config problems on their fields and returns the rest', () => {
    const problems = [
      { field: 'config.url', message: 'must be a URL' },
      { field: 'config.url', message: 'is too long' },
      { field: 'config.cases[1].id', message: 'duplicate case id' },
      { field: 'config', message: 'must be an object' },
      { field: 'label', message: 'too long' },
      { field: '', message: 'unreachable' },
    ]
    const { errorSchema, unplaced } = problemsToErrorSchema(problems, 'config')
    expect(errorSchema).toEqual({
      url: { __errors: ['must be a URL', 'is too long'] },
      cases: { '1': { id: { __errors: ['duplicate case id'] } } },
    })
    expect(unplaced.map((p) => p.field)).toEqual(['config', 'label', ''])
  })
})
