import { useCallback, useMemo, useRef, useState } from 'react'
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react'
import type { WorkflowFlowEdge, WorkflowFlowNode } from '../canvas/flow-types.ts'
import { emptyHistory, record, redo as redoStep, undo as undoStep, type History } from '../canvas/history.ts'
import { withoutUiState, type EditorDoc } from './document.ts'

/** Consecutive edits with the same key within this time make one undo step (typing in a field). */
const COALESCE_MS = 1500

export interface EditorDocument {
  doc: EditorDoc
  /** The latest document, for event handlers that run between renders. */
  current: () => EditorDoc
  /** A change worth an undo step (add, delete, connect, edit, paste, layout). */
  commit: (update: (doc: EditorDoc) => EditorDoc, options?: { coalesceKey?: string }) => void
  /** A change that is not (selection, measurements, positions while dragging). */
  apply: (update: (doc: EditorDoc) => EditorDoc) => void
  onNodesChange: (changes: NodeChange<WorkflowFlowNode>[]) => void
  onEdgesChange: (changes: EdgeChange<WorkflowFlowEdge>[]) => void
  /** Around a drag: the position before the drag becomes one undo step. */
  beginGesture: () => void
  endGesture: () => void
  undo: () => void
  redo: () => void
  canUndo: boolean
  canRedo: boolean
  /** Replaces the document and forgets the history (after loading). */
  reset: (doc: EditorDoc) => void
}

/**
 * The editor's document with snapshot undo/redo. The document lives in a ref that every update
 * reads and writes synchronously (React Flow can report several changes in one event), and in
 * state for rendering.
 */
export function useEditorDocument(initial: () => EditorDoc): EditorDocument {
  const [doc, setDoc] = useState<EditorDoc>(initial)
  const docRef = useRef<EditorDoc>(doc)
  const historyRef = useRef<History<EditorDoc>>(emptyHistory())
  const [historySize, setHistorySize] = useState({ past: 0, future: 0 })
  const lastCommit = useRef<{ key: string; at: number } | undefined>(undefined)
  const gesture = useRef<EditorDoc | undefined>(undefined)

  const setHistory = useCallback((history: History<EditorDoc>) => {
    historyRef.current = history
    setHistorySize({ past: history.past.length, future: history.future.length })
  }, [])

  const apply = useCallback((update: (doc: EditorDoc) => EditorDoc) => {
    const next = update(docRef.current)
    if (next === docRef.current) return
    docRef.current = next
    setDoc(next)
  }, [])

  const commit = useCallback(
    (update: (doc: EditorDoc) => EditorDoc, options: { coalesceKey?: string } = {}) => {
      const before = docRef.current
      const next = update(before)
      if (next === before) return
      const now = Date.now()
      const previous = lastCommit.current
      const coalesce = options.coalesceKey !== undefined && previous?.key === options.coalesceKey && now - previous.at < COALESCE_MS
      lastCommit.current = options.coalesceKey === undefined ? undefined : { key: options.coalesceKey, at: now }
      if (!coalesce) setHistory(record(historyRef.current, withoutUiState(before)))
      docRef.current = next
      setDoc(next)
    },
    [setHistory],
  )

  const onNodesChange = useCallback(
    (changes: NodeChange<WorkflowFlowNode>[]) => apply((d) => ({ ...d, nodes: applyNodeChanges(changes, d.nodes) })),
    [apply],
  )
  const onEdgesChange = useCallback(
    (changes: EdgeChange<WorkflowFlowEdge>[]) => apply((d) => ({ ...d, edges: applyEdgeChanges(changes, d.edges) })),
    [apply],
  )

  const beginGesture = useCallback(() => {
    gesture.current = withoutUiState(docRef.current)
  }, [])
  const endGesture = useCallback(() => {
    const before = gesture.current
    gesture.current = undefined
    if (before === undefined) return
    const moved = before.nodes.some((node, index) => {
      const now = docRef.current.nodes[index]
      return now === undefined || now.id !== node.id || now.position.x !== node.position.x || now.position.y !== node.position.y
    })
    if (moved) {
      lastCommit.current = undefined
      setHistory(record(historyRef.current, before))
    }
  }, [setHistory])

  const undo = useCallback(() => {
    const step = undoStep(historyRef.current, withoutUiState(docRef.current))
    if (step === undefined) return
    lastCommit.current = undefined
    setHistory(step.history)
    docRef.current = step.state
    setDoc(step.state)
  }, [setHistory])

  const redo = useCallback(() => {
    const step = redoStep(historyRef.current, withoutUiState(docRef.current))
    if (step === undefined) return
    lastCommit.current = undefined
    setHistory(step.history)
    docRef.current = step.state
    setDoc(step.state)
  }, [setHistory])

  const reset = useCallback(
    (next: EditorDoc) => {
      docRef.current = next
      setDoc(next)
      lastCommit.current = undefined
      setHistory(emptyHistory())
    },
    [setHistory],
  )

  const current = useCallback(() => docRef.current, [])

  return useMemo(
    () => ({
      doc,
      current,
      commit,
      apply,
      onNodesChange,
      onEdgesChange,
      beginGesture,
      endGesture,
      undo,
      redo,
      canUndo: historySize.past > 0,
      canRedo: historySize.future > 0,
      reset,
    }),
    [doc, current, commit, apply, onNodesChange, onEdgesChange, beginGesture, endGesture, undo, redo, historySize, reset],
  )
}
