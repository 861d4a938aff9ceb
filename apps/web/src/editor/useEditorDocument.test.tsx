// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, renderHook } from '@testing-library/react'
import { linearDefinition } from '@workflow-builder/definition'
import { docFromWorkflow, selectOnly, updateNodeData } from './document.ts'
import { useEditorDocument } from './useEditorDocument.ts'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const initial = () => docFromWorkflow({ definition: linearDefinition, name: 'W', description: null })
const labelOf = (doc: ReturnType<typeof initial>, id: string) => doc.nodes.find((n) => n.id === id)?.data.label

describe('useEditorDocument', () => {
  it('undoes and redoes committed changes', () => {
    const { result } = renderHook(() => useEditorDocument(initial))
    act(() => result.current.commit((d) => updateNodeData(d, 'shape', { label: 'A' })))
    act(() => result.current.commit((d) => updateNodeData(d, 'shape', { label: 'B' })))
    expect(labelOf(result.current.doc, 'shape')).toBe('B')
    act(() => result.current.undo())
    expect(labelOf(result.current.doc, 'shape')).toBe('A')
    act(() => result.current.undo())
    expect(labelOf(result.current.doc, 'shape')).toBe('Shape')
    expect(result.current.canUndo).toBe(false)
    act(() => result.current.redo())
    expect(labelOf(result.current.doc, 'shape')).toBe('A')
    expect(result.current.canRedo).toBe(true)
  })

  it('coalesces quick edits of one field into one step', () => {
    vi.useFakeTimers()
    const { result } = renderHook(() => useEditorDocument(initial))
    for (const label of ['S', 'Sh', 'Sha']) act(() => result.current.commit((d) => updateNodeData(d, 'shape', { label }), { coalesceKey: 'label:shape' }))
    vi.advanceTimersByTime(5000)
    act(() => result.current.commit((d) => updateNodeData(d, 'shape', { label: 'Shap' }), { coalesceKey: 'label:shape' }))
    act(() => result.current.undo())
    expect(labelOf(result.current.doc, 'shape')).toBe('Sha')
    act(() => result.current.undo())
    expect(labelOf(result.current.doc, 'shape')).toBe('Shape')
  })

  it('keeps selection out of history and records a drag as one step', () => {
    const { result } = renderHook(() => useEditorDocument(initial))
    act(() => result.current.apply((d) => selectOnly(d, ['start'])))
    expect(result.current.canUndo).toBe(false)
    act(() => result.current.beginGesture())
    for (const x of [10, 20, 30]) {
      act(() => result.current.onNodesChange([{ type: 'position', id: 'start', position: { x, y: 0 }, dragging: true }]))
    }
    act(() => result.current.endGesture())
    expect(result.current.doc.nodes[0]?.position).toEqual({ x: 30, y: 0 })
    act(() => result.current.undo())
    expect(result.current.doc.nodes[0]?.position).toEqual({ x: 0, y: 0 })
    // A click without movement records nothing.
    act(() => result.current.beginGesture())
    act(() => result.current.endGesture())
    expect(result.current.canUndo).toBe(false)
  })

  it('sees changes made earlier in the same event', () => {
    const { result } = renderHook(() => useEditorDocument(initial))
    act(() => {
      result.current.apply((d) => selectOnly(d, ['end']))
      result.current.commit((d) => ({ ...d, nodes: d.nodes.filter((n) => n.selected !== true) }))
    })
    expect(result.current.doc.nodes.map((n) => n.id)).toEqual(['start', 'fetch_user', 'shape'])
  })
})
