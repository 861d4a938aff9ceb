import { describe, expect, it } from 'vitest'
import { batchProblemsByField, checkCsvItems, checkJsonItems } from './items-input.ts'

describe('JSON items', () => {
  it('accepts an array of objects and previews the first ones with their keys as columns', () => {
    const r = checkJsonItems('[{"x": 1}, {"x": 2, "y": "b"}, {"x": 3}]', 2)
    expect(r).toEqual({ ok: true, items: [{ x: 1 }, { x: 2, y: 'b' }, { x: 3 }], headers: ['x', 'y'], preview: [{ x: 1 }, { x: 2, y: 'b' }] })
  })

  it('names what is wrong', () => {
    expect(checkJsonItems('')).toMatchObject({ ok: false, error: /JSON array/ })
    expect(checkJsonItems('[{"x": 1},')).toMatchObject({ ok: false, error: /^not valid JSON/ })
    expect(checkJsonItems('{"x": 1}')).toMatchObject({ ok: false, error: /must be a JSON array/ })
    expect(checkJsonItems('[{"x": 1}, 2]')).toEqual({ ok: false, error: 'item 2 is not a JSON object' })
    expect(checkJsonItems('[{"x": 1}, [1]]')).toEqual({ ok: false, error: 'item 2 is not a JSON object' })
    expect(checkJsonItems('[]')).toEqual({ ok: false, error: 'the batch has no items' })
    expect(checkJsonItems(JSON.stringify(Array.from({ length: 20_001 }, () => ({}))))).toMatchObject({ ok: false, error: /at most 20,000 items/ })
  })
})

describe('CSV items', () => {
  it('parses like the API: header row, string values, BOM, blank lines and spaces ignored', () => {
    const r = checkCsvItems('\uFEFFname, domain\n\nAcme , acme.com\n"Globex, Inc",globex.com\n', 1)
    expect(r).toEqual({
      ok: true,
      items: [{ name: 'Acme', domain: 'acme.com' }, { name: 'Globex, Inc', domain: 'globex.com' }],
      headers: ['name', 'domain'],
      preview: [{ name: 'Acme', domain: 'acme.com' }],
    })
  })

  it('names the malformed row', () => {
    const r = checkCsvItems('x,y\n1,2\n3\n')
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toMatch(/^row 3: /)
  })

  it('needs a data row', () => {
    expect(checkCsvItems('x,y\n')).toEqual({ ok: false, error: 'the batch has no items' })
    expect(checkCsvItems('  ')).toMatchObject({ ok: false })
  })
})

describe('API problems by form field', () => {
  it('places each error next to its field, saying which step or item', () => {
    expect(batchProblemsByField([
      { field: '/blueprint/2', code: 'unknown_step', message: 'no step nope is registered in workstream ws' },
      { field: '/items/3', code: 'invalid_type', message: 'each item must be a JSON object' },
      { field: '/csv', code: 'invalid_csv', message: 'row 4: expected 2 fields' },
      { field: '/clientId', code: 'unknown_reference', message: 'no client' },
      { field: '/workstreamSlug', code: 'unknown_reference', message: 'no project' },
      { field: '/concurrency', code: 'out_of_range', message: 'must be 1-100' },
      { field: '/blueprint', code: 'required', message: 'list at least one step' },
      { field: '/somethingElse', code: 'x', message: 'odd' },
    ])).toEqual({
      blueprint: ['step 3: no step nope is registered in workstream ws', 'list at least one step'],
      items: ['item 4: each item must be a JSON object', 'row 4: expected 2 fields'],
      clientId: ['no client'],
      workstreamSlug: ['no project'],
      concurrency: ['must be 1-100'],
      other: ['/somethingElse: odd'],
    })
  })
})
