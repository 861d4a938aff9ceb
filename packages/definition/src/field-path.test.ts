import { describe, expect, it } from 'vitest'
import { parseDuration } from './duration.ts'
import { formatFieldPath, pointerToSegments } from './field-path.ts'
import { linearDefinition } from './fixtures/linear.ts'
import { locateField } from './schema.ts'

describe('field paths', () => {
  it('formats dotted paths with indexes and quoted keys', () => {
    expect(formatFieldPath(['nodes', 3, 'label'])).toBe('nodes[3].label')
    expect(formatFieldPath(['config', 'headers', 'Content-Type'])).toBe('config.headers.Content-Type')
    expect(formatFieldPath(['config', 'mapping', 'a b', 'c.d'])).toBe('config.mapping["a b"]["c.d"]')
    expect(formatFieldPath([])).toBe('')
  })

  it('splits JSON pointers, keeping numeric map keys as strings', () => {
    expect(pointerToSegments('/nodes/3/config/a~1b~0c')).toEqual(['nodes', 3, 'config', 'a/b~c'])
    const value = { nodes: [{ config: { 404: 'x' } }] }
    expect(pointerToSegments('/nodes/0/config/404', value)).toEqual(['nodes', 0, 'config', '404'])
    expect(pointerToSegments('')).toEqual([])
  })

  it('locates fields on nodes and edges by id', () => {
    expect(locateField(linearDefinition, ['nodes', 1, 'config', 'url'])).toEqual({ nodeId: 'fetch_user', field: 'config.url' })
    expect(locateField(linearDefinition, ['edges', 0, 'target'])).toEqual({ edgeId: 'e_start_fetch', field: 'target' })
    expect(locateField(linearDefinition, ['nodes', 1, 'id'])).toEqual({ field: 'nodes[1].id' })
    expect(locateField(linearDefinition, ['settings'])).toEqual({ field: 'settings' })
  })
})

describe('parseDuration', () => {
  it('reads d/h/m/s in order', () => {
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('1h30m')).toBe(5_400_000)
    expect(parseDuration('2d')).toBe(172_800_000)
    expect(parseDuration('1d2h3m4s')).toBe(93_784_000)
  })

  it('rejects anything else', () => {
    for (const value of ['', '5', '30m1h', '1.5h', '5 minutes', 'PT5M']) expect(parseDuration(value)).toBeUndefined()
  })
})
