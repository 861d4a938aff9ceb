import { describe, expect, it } from 'vitest'
import { nodeKinds, validateNodeConfig, getNodeKind } from '@workflow-builder/definition'
import { createNode, freePosition } from './new-node.ts'
import { nodeOutputHandles } from './node-handles.ts'

describe('createNode', () => {
  it('creates a node with a fresh id, the kind label and default config', () => {
    const node = createNode('http.request', { x: 10.4, y: 20.6 }, new Set(['http_request']))!
    expect(node).toMatchObject({ id: 'http_request_2', type: 'workflow', position: { x: 10, y: 21 }, data: { kind: 'http.request', label: 'HTTP request' } })
    expect(node.data.config).toMatchObject({ method: 'GET', timeoutMs: 10000 })
  })

  it('gives a switch one case so it has handles at once', () => {
    const node = createNode('branch.switch', { x: 0, y: 0 }, new Set())!
    expect(nodeOutputHandles(node.data.kind, node.data.config).map((h) => h.id)).toEqual(['case_1', 'default'])
  })

  it('knows every built-in kind and refuses unknown ones', () => {
    for (const kind of nodeKinds) {
      const node = createNode(kind.kind, { x: 0, y: 0 }, new Set())!
      // Only missing required fields may be wrong in a fresh node.
      const issues = validateNodeConfig(getNodeKind(kind.kind)!, node.data.config).filter((i) => !/required|fewer|expression/i.test(i.message))
      expect(issues, kind.kind).toEqual([])
    }
    expect(createNode('nope', { x: 0, y: 0 }, new Set())).toBeUndefined()
  })
})

describe('freePosition', () => {
  const at = (x: number, y: number) => ({ position: { x, y } })
  it('uses the fallback when it is free', () => {
    expect(freePosition([at(1000, 1000)], { x: 0, y: 0 })).toEqual({ x: 0, y: 0 })
  })
  it('goes right of the node it follows, then down past overlaps', () => {
    const anchor = at(0, 0)
    expect(freePosition([anchor], { x: 0, y: 0 }, anchor)).toEqual({ x: 280, y: 0 })
    const taken = [anchor, at(280, 0), at(280, 100)]
    expect(freePosition(taken, { x: 0, y: 0 }, anchor)).toEqual({ x: 280, y: 200 })
  })
  it('moves a centred node off another one', () => {
    expect(freePosition([at(0, 0)], { x: 10, y: 10 })).toEqual({ x: 10, y: 110 })
  })
})
