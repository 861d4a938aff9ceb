import { describe, expect, it } from 'vitest'
import { nodeKinds } from '@workflow-builder/definition'
import type { Component } from '../api/client.ts'
import { groupPalette, paletteEntries } from './palette.ts'

function component(name: string, extra: Partial<Component> = {}): Component {
  return {
    id: `id-${name}-${extra.version ?? '1.0.0'}`, orgId: null, builtIn: true, name, displayName: null, description: null, type: 'activity',
    version: '1.0.0', visibility: 'public', configSchema: {}, inputSchema: null, outputSchema: null, tags: [], capabilities: [],
    deprecated: false, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...extra,
  }
}

describe('palette', () => {
  const entries = paletteEntries(nodeKinds.map((kind) => component(kind.kind)))

  it('keeps known kinds once, newest first, without deprecated ones', () => {
    const list = paletteEntries([
      component('http.request', { displayName: 'Call an API', version: '2.0.0' }),
      component('http.request', { version: '1.0.0' }),
      component('acme/custom'),
      component('flow.delay', { deprecated: true }),
    ])
    expect(list).toEqual([
      { kind: 'http.request', label: 'Call an API', description: expect.any(String), category: 'action', icon: 'globe' },
    ])
  })

  it('groups by category in palette order', () => {
    const groups = groupPalette(entries)
    expect(groups.map((g) => g.category)).toEqual(['trigger', 'action', 'logic', 'flow', 'ai', 'output'])
    expect(groups[0]?.entries.map((e) => e.kind)).toEqual(['trigger.manual', 'trigger.webhook', 'trigger.schedule'])
    expect(groups.flatMap((g) => g.entries)).toHaveLength(nodeKinds.length)
  })

  it('searches label, kind and description and drops empty groups', () => {
    expect(groupPalette(entries, 'HTTP').flatMap((g) => g.entries.map((e) => e.kind))).toEqual(['http.request'])
    expect(groupPalette(entries, 'forEach').map((g) => g.category)).toEqual(['flow'])
    expect(groupPalette(entries, 'zzz-nothing')).toEqual([])
  })
})
