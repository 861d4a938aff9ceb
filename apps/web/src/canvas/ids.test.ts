import { describe, expect, it } from 'vitest'
import { isNodeId } from '@workflow-builder/definition'
import { newEdgeId, newNodeId, uniqueId } from './ids.ts'

describe('ids', () => {
  it('derives valid, unique node ids from kinds', () => {
    expect(newNodeId('http.request', new Set())).toBe('http_request')
    expect(newNodeId('http.request', new Set(['http_request']))).toBe('http_request_2')
    expect(newNodeId('http.request', new Set(['http_request', 'http_request_2']))).toBe('http_request_3')
    expect(newNodeId('flow.forEach', new Set())).toBe('flow_forEach')
  })

  it('always produces ids matching the definition pattern', () => {
    for (const base of ['', '123', '__x', 'a'.repeat(200), 'ünïcode', 'a b c']) {
      const id = uniqueId(base, new Set())
      expect(isNodeId(id), `${base} -> ${id}`).toBe(true)
      expect(isNodeId(uniqueId(base, new Set([id])))).toBe(true)
    }
  })

  it('names edges after their ends, numbered when too long', () => {
    expect(newEdgeId('check', 'true', 'notify', new Set())).toBe('e_check_true_notify')
    expect(newEdgeId('a', null, 'b', new Set(['e_a_b']))).toBe('e_a_b_2')
    const long = newEdgeId('a'.repeat(40), 'out', 'b'.repeat(40), new Set())
    expect(long).toBe('edge')
  })
})
