import { describe, expect, it } from 'vitest'
import {
  configOverridesSchema, layerOverrides, mergeConfigValue, mergedNodeConfigs, validateConfigOverrides,
} from './config-overrides.ts'
import { linearDefinition } from './fixtures/linear.ts'
import { validateWorkflow } from './validate.ts'
import { definition, edge, node } from './test-support.ts'

describe('configOverridesSchema', () => {
  it('has one optional property per configurable node, each with every field optional', () => {
    const schema = configOverridesSchema(linearDefinition) as { properties: Record<string, Record<string, unknown>>; required?: unknown; additionalProperties?: unknown }
    // trigger.manual has no config fields: nothing to override.
    expect(Object.keys(schema.properties)).toEqual(['fetch_user', 'shape', 'end'])
    expect(schema.required).toBeUndefined()
    const fetch = schema.properties['fetch_user']!
    expect(fetch['title']).toBe('Fetch user')
    expect(fetch['required']).toBeUndefined()
    // No defaults: a form must not turn "not overridden" into the kind's default.
    expect(JSON.stringify(schema)).not.toContain('"default"')
    expect(Object.keys(fetch['properties'] as object)).toContain('url')
    expect(schema.additionalProperties).toBe(false)
    // Plain JSON: what a form library and the API's OpenAPI document can carry.
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
  })
})

describe('validateConfigOverrides', () => {
  it('accepts partial overrides', () => {
    expect(validateConfigOverrides(linearDefinition, {})).toEqual([])
    expect(validateConfigOverrides(linearDefinition, { fetch_user: { headers: { 'X-Client': 'acme' } } })).toEqual([])
  })

  it('names the field of a wrong value, an unknown field and an unknown node', () => {
    expect(validateConfigOverrides(linearDefinition, { fetch_user: { url: 42 } }).map((i) => i.pointer)).toEqual(['/fetch_user/url'])
    expect(validateConfigOverrides(linearDefinition, { fetch_user: { method: 'FETCH' } }).map((i) => i.pointer)).toEqual(['/fetch_user/method'])
    expect(validateConfigOverrides(linearDefinition, { fetch_user: { nope: 1 } })).toEqual([{ pointer: '/fetch_user/nope', message: 'is not an allowed property' }])
    expect(validateConfigOverrides(linearDefinition, { ghost: { url: 'x' } }).map((i) => i.pointer)).toEqual(['/ghost'])
    expect(validateConfigOverrides(linearDefinition, [] as unknown).length).toBeGreaterThan(0)
  })
})

describe('merging', () => {
  it('merges objects key by key and replaces everything else', () => {
    expect(mergeConfigValue({ headers: { a: '1' }, url: 'x', list: [1, 2] }, { headers: { b: '2' }, list: [3] }))
      .toEqual({ headers: { a: '1', b: '2' }, url: 'x', list: [3] })
  })

  it('layers named config under client config', () => {
    const named = { fetch_user: { url: 'https://named', method: 'POST' as const, headers: { A: 'named', B: 'named' } } }
    const client = { fetch_user: { url: 'https://client', headers: { B: 'client' } } }
    expect(layerOverrides(named, client)).toEqual({ fetch_user: { url: 'https://client', method: 'POST', headers: { A: 'named', B: 'client' } } })
    expect(layerOverrides(null, undefined, client)).toEqual(client)
  })

  it('computes the config every node runs with', () => {
    const merged = mergedNodeConfigs(linearDefinition, { fetch_user: { url: 'https://client' } })
    // Kind defaults filled in, as the compiler emits them.
    expect(merged['fetch_user']).toEqual({
      url: 'https://client', method: 'GET', headers: { Accept: 'application/json' }, timeoutMs: 5_000, responseType: 'json', maxResponseBytes: 1024 * 1024,
    })
    expect(merged['start']).toEqual({})
    expect(Object.keys(merged)).toEqual(['start', 'fetch_user', 'shape', 'end'])
  })

  it('keeps a __proto__ key as data', () => {
    const merged = layerOverrides(JSON.parse('{"n": {"__proto__": {"polluted": true}}}') as never)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.keys(merged['n']!)).toEqual(['__proto__'])
  })
})

describe('node cache setting', () => {
  const withCache = (kind: string, cache: unknown) => {
    const def = definition([node('t', 'trigger.manual'), node('n', kind), node('e', 'output.end')], [edge('t', 'n'), edge('n', 'e')])
    ;(def.nodes[1] as Record<string, unknown>)['cache'] = cache
    return validateWorkflow(def).map(({ message: _m, ...rest }) => rest)
  }

  it('is accepted on activity nodes', () => {
    expect(withCache('http.request', { key: '{{ input.id }}', ttlSeconds: 60 })).toEqual([])
    expect(withCache('http.request', {})).toEqual([])
  })

  it('is refused on workflow-side nodes, with a bad key or a bad ttl', () => {
    expect(withCache('flow.delay', { ttlSeconds: 60 })).toEqual([{ nodeId: 'n', field: 'cache', code: 'invalid_cache' }])
    expect(withCache('http.request', { key: '{{ input. }}' })).toEqual([{ nodeId: 'n', field: 'cache.key', code: 'expression_syntax' }])
    expect(withCache('http.request', { ttlSeconds: 0 })).toEqual([{ nodeId: 'n', field: 'cache.ttlSeconds', code: 'invalid_structure' }])
    expect(withCache('http.request', { other: 1 })).toEqual([{ nodeId: 'n', field: 'cache.other', code: 'invalid_structure' }])
  })
})
