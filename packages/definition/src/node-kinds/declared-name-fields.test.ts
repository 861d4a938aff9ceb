import { describe, expect, it } from 'vitest'
import { nodeKinds } from './index.ts'

describe('declaredNameFields', () => {
  it('name top-level string fields of the config schema', () => {
    const marked = nodeKinds.filter((kind) => kind.declaredNameFields !== undefined)
    expect(marked.map((kind) => [kind.kind, kind.declaredNameFields])).toEqual(
      expect.arrayContaining([
        ['signal.wait', { signalName: 'signals' }],
        ['queue.process', { queue: 'workQueues' }],
      ]),
    )
    for (const kind of marked) {
      const properties = (kind.configSchema as { properties?: Record<string, { type?: unknown }> }).properties ?? {}
      for (const field of Object.keys(kind.declaredNameFields ?? {})) expect(properties[field]?.type, `${kind.kind}.${field}`).toBe('string')
    }
  })
})
