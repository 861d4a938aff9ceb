import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react'
import { Link, useBlocker, useNavigate, useSearchParams } from 'react-router'
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
} from '@xyflow/react'
import type { WorkflowDefinition } from '@workflow-builder/definition'
import {
  deployWorkflow,
  getWorkflow,
  saveWorkflow,
  setWorkflowStatus,
  validateWorkflow,
  type Workflow,
  type WorkflowSummary,
} from '../api/client.ts'
import { errorMessage, isApiError } from '../api/http.ts'
import { autoLayout, DEFAULT_NODE_SIZE } from '../canvas/auto-layout.ts'
import { copySelection, pasteInto } from '../canvas/clipboard.ts'
import { checkConnection, isValidConnection as isValidCanvasConnection } from '../canvas/connection-rules.ts'
import { CanvasDecorationsContext } from '../canvas/decorations.tsx'
import type { WorkflowFlowEdge, WorkflowFlowNode, WorkflowNodeData } from '../canvas/flow-types.ts'
import { createNode, freePosition } from '../canvas/new-node.ts'
import { nodeTypes } from '../canvas/node-types.ts'
import { KIND_DRAG_TYPE, Palette } from '../canvas/Palette.tsx'
import type { PaletteEntry } from '../canvas/palette.ts'
import { declaredNames } from '../forms/declared-names.ts'
import { expressionReferences } from '../forms/expression-references.ts'
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts'
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx'
import { CopyButton } from '../ui/CopyButton.tsx'
import { Dialog } from '../ui/Dialog.tsx'
import { ErrorState, Loading } from '../ui/states.tsx'
import { readClipboard, writeClipboard } from './clipboard-store.ts'
import { CodeView } from './CodeView.tsx'
import { DeployDialog, type DeployProgress } from './DeployDialog.tsx'
import {
  addEdge,
  addNodes,
  deleteElements,
  deleteSelection,
  docDefinition,
  docFromWorkflow,
  selectAll,
  selectOnly,
  serializeDoc,
  updateNodeData,
  validationKey,
  type EditorDoc,
} from './document.ts'
import { indexProblems, locateFieldErrors, type LocatedProblem } from './problem-locations.ts'
import { ProblemsPanel, type ValidationStatus } from './ProblemsPanel.tsx'
import { RunDialog } from './RunDialog.tsx'
import { NamedConfigsDialog } from './NamedConfigsDialog.tsx'
import { startRunWithOptions } from '../api/configs.ts'
import { SchedulesDialog } from '../schedules/SchedulesDialog.tsx'
import { SHORTCUT_HELP, isMacPlatform, isTypingTarget, shortcutFor, type ShortcutAction } from './shortcuts.ts'
import { EdgePanel, NodePanel, SelectionPanel, WorkflowPanel } from './SidePanel.tsx'
import { useEditorDocument } from './useEditorDocument.ts'

export interface PaletteState {
  entries: readonly PaletteEntry[]
  loading: boolean
  error: unknown
  reload: () => void
}

export interface WorkflowEditorProps {
  orgId: string
  workflow: Workflow
  palette: PaletteState
  canWrite: boolean
  /** Loads the workflow again and restarts the editor (after a save conflict). */
  onReload: () => void
}

type SaveResult = { ok: true } | { ok: false; error: unknown }

const VALIDATE_DELAY_MS = 600
/** Above this many nodes the canvas renders only what is in view. */
const LARGE_GRAPH_NODES = 300

/**
 * The workflow editor: palette, canvas, side panel, validation, save (optimistic concurrency),
 * deploy with progress, Code tab and Run. Lives inside a `ReactFlowProvider`.
 */
export function WorkflowEditor({ orgId, workflow, palette, canWrite, onReload }: WorkflowEditorProps) {
  const reactFlow = useReactFlow<WorkflowFlowNode, WorkflowFlowEdge>()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const tab = params.get('tab') === 'code' ? 'code' : 'canvas'
  const setTab = (next: 'canvas' | 'code') => {
    const updated = new URLSearchParams(params)
    if (next === 'code') updated.set('tab', 'code')
    else updated.delete('tab')
    setParams(updated, { replace: true })
  }

  const [meta, setMeta] = useState<WorkflowSummary>(workflow)
  const editor = useEditorDocument(() => docFromWorkflow(workflow))
  const { doc } = editor
  const savedRef = useRef({ version: workflow.definitionVersion, serialized: serializeDoc(docFromWorkflow(workflow)) })
  const [savedSerialized, setSavedSerialized] = useState(savedRef.current.serialized)
  const serialized = useMemo(() => serializeDoc(doc), [doc])
  const dirty = serialized !== savedSerialized
  const readOnly = !canWrite || meta.status === 'archived'

  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<unknown>(undefined)
  const [conflict, setConflict] = useState<{ version: number | undefined } | undefined>(undefined)
  const [deploy, setDeploy] = useState<DeployProgress | undefined>(undefined)
  const [codeRefresh, setCodeRefresh] = useState(0)
  const [running, setRunning] = useState(false)
  const [showSchedules, setShowSchedules] = useState(false)
  const [showConfigs, setShowConfigs] = useState(false)
  const [showShortcuts, setShowShortcuts] = useState(false)
  const [notice, setNotice] = useState<string | undefined>(undefined)
  const canvasRef = useRef<HTMLDivElement>(null)
  const pasteCount = useRef(0)

  useEffect(() => {
    if (notice === undefined) return
    const timer = setTimeout(() => setNotice(undefined), 4000)
    return () => clearTimeout(timer)
  }, [notice])

  // ---- validation (debounced, by the API) -------------------------------------------------
  const vKey = useMemo(() => validationKey(doc), [doc])
  const debouncedKey = useDebouncedValue(vKey, VALIDATE_DELAY_MS)
  const [validation, setValidation] = useState<{ status: ValidationStatus; problems: LocatedProblem[] }>({ status: { state: 'idle' }, problems: [] })
  const [serverProblems, setServerProblems] = useState<LocatedProblem[]>([])
  useEffect(() => {
    const controller = new AbortController()
    const definition = JSON.parse(debouncedKey) as WorkflowDefinition
    setValidation((current) => ({ ...current, status: { state: 'checking' } }))
    validateWorkflow(orgId, workflow.id, definition, controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return
        setValidation({
          status: { state: 'done' },
          problems: result.problems.map((p) => ({ nodeId: p.nodeId, edgeId: p.edgeId, field: p.field, code: p.code, message: p.message })),
        })
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setValidation((current) => ({ ...current, status: { state: 'failed', error } }))
      },
    )
    return () => controller.abort()
  }, [debouncedKey, orgId, workflow.id])
  // Save and deploy problems describe the definition as it was sent: drop them once it changes.
  useEffect(() => setServerProblems([]), [vKey])

  const problemIndex = useMemo(
    () =>
      indexProblems(
        [...validation.problems, ...serverProblems],
        new Set(doc.nodes.map((node) => node.id)),
        new Set(doc.edges.map((edge) => edge.id)),
      ),
    [validation.problems, serverProblems, doc.nodes, doc.edges],
  )
  const decorations = useMemo(() => ({ problemsByNode: problemIndex.byNode }), [problemIndex])
  const renderedEdges = useMemo(
    () => doc.edges.map((edge) => (problemIndex.byEdge.has(edge.id) ? { ...edge, className: 'edge-invalid' } : edge)),
    [doc.edges, problemIndex],
  )

  // ---- selection ----------------------------------------------------------------------------
  const selectedNodes = useMemo(() => doc.nodes.filter((node) => node.selected === true), [doc.nodes])
  const selectedEdges = useMemo(() => doc.edges.filter((edge) => edge.selected === true), [doc.edges])
  const selectedNodeId = selectedNodes.length === 1 && selectedEdges.length === 0 ? selectedNodes[0]?.id : undefined
  const references = useMemo(
    () => (selectedNodeId === undefined ? [] : expressionReferences(JSON.parse(vKey) as WorkflowDefinition, selectedNodeId)),
    [vKey, selectedNodeId],
  )
  const declarations = useMemo(() => declaredNames(JSON.parse(vKey) as WorkflowDefinition), [vKey])

  // ---- editing --------------------------------------------------------------------------------
  const addNodeAt = useCallback(
    (kind: string, position: { x: number; y: number }) => {
      if (readOnly) return
      const node = createNode(kind, position, new Set(editor.current().nodes.map((n) => n.id)))
      if (node === undefined) return
      editor.commit((d) => addNodes(d, [node]))
    },
    [editor, readOnly],
  )

  /**
   * Click-to-add: after the selected node (connected to it when it has one output and the
   * connection is allowed), else in the middle of the view; never on top of another node.
   */
  const addFromPalette = useCallback(
    (kind: string) => {
      if (readOnly) return
      const current = editor.current()
      const selected = current.nodes.filter((node) => node.selected === true)
      const anchor = selected.length === 1 ? selected[0] : undefined
      const rect = canvasRef.current?.getBoundingClientRect()
      const center = rect === undefined ? { x: 0, y: 0 } : reactFlow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
      const measured = new Map(reactFlow.getNodes().map((node) => [node.id, node.measured]))
      const placed = current.nodes.map((node) => ({ ...node, measured: measured.get(node.id) ?? node.measured }))
      const position = freePosition(
        placed,
        { x: center.x - DEFAULT_NODE_SIZE.width / 2, y: center.y - DEFAULT_NODE_SIZE.height / 2 },
        anchor === undefined ? undefined : placed.find((node) => node.id === anchor.id),
      )
      const node = createNode(kind, position, new Set(current.nodes.map((n) => n.id)))
      if (node === undefined) return
      editor.commit((d) => {
        const added = addNodes(d, [node])
        if (anchor === undefined) return added
        const check = checkConnection({ source: anchor.id, target: node.id, sourceHandle: null }, added.nodes, added.edges)
        return check.ok ? addEdge(added, { source: anchor.id, target: node.id, sourceHandle: check.sourceHandle }) : added
      })
    },
    [editor, reactFlow, readOnly],
  )

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(KIND_DRAG_TYPE)) {
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
    }
  }, [])
  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(KIND_DRAG_TYPE)
      if (kind === '') return
      event.preventDefault()
      const at = reactFlow.screenToFlowPosition({ x: event.clientX, y: event.clientY })
      addNodeAt(kind, { x: at.x - DEFAULT_NODE_SIZE.width / 2, y: at.y - DEFAULT_NODE_SIZE.height / 2 })
    },
    [addNodeAt, reactFlow],
  )

  const isValidConnection: IsValidConnection<WorkflowFlowEdge> = useCallback(
    (connection: Edge | Connection) => isValidCanvasConnection(connection, editor.current().nodes, editor.current().edges),
    [editor],
  )
  const onConnect = useCallback(
    (connection: Connection) => {
      if (readOnly) return
      const check = checkConnection(connection, editor.current().nodes, editor.current().edges)
      if (!check.ok) {
        setNotice(`Cannot connect: ${check.reason}`)
        return
      }
      editor.commit((d) => addEdge(d, { source: connection.source, target: connection.target, sourceHandle: check.sourceHandle }))
    },
    [editor, readOnly],
  )

  const changeNode = useCallback(
    (nodeId: string, patch: Partial<WorkflowNodeData>, coalesceKey: string) => {
      // Read-only forms can still report changes (rjsf's map key inputs ignore readonly).
      if (!readOnly) editor.commit((d) => updateNodeData(d, nodeId, patch), { coalesceKey })
    },
    [editor, readOnly],
  )

  const layout = useCallback(() => {
    if (readOnly) return
    const measured = reactFlow.getNodes()
    const sizes = new Map(measured.map((node) => [node.id, node.measured]))
    editor.commit((d) => ({ ...d, nodes: autoLayout(d.nodes.map((node) => ({ ...node, measured: sizes.get(node.id) ?? node.measured })), d.edges) }))
    requestAnimationFrame(() => void reactFlow.fitView({ padding: 0.2, duration: 200 }))
  }, [editor, reactFlow, readOnly])

  const focusElement = useCallback(
    (problem: LocatedProblem) => {
      if (problem.nodeId !== null) {
        editor.apply((d) => selectOnly(d, [problem.nodeId as string]))
        void reactFlow.fitView({ nodes: [{ id: problem.nodeId }], duration: 200, maxZoom: 1.2 })
      } else if (problem.edgeId !== null) {
        const edgeId = problem.edgeId
        editor.apply((d) => ({ ...selectOnly(d, []), edges: d.edges.map((edge) => ({ ...edge, selected: edge.id === edgeId })) }))
      }
    },
    [editor, reactFlow],
  )

  // ---- save -----------------------------------------------------------------------------------
  const save = useCallback(async (): Promise<SaveResult> => {
    if (readOnly) return { ok: false, error: new Error('This workflow is read-only.') }
    const current = editor.current()
    const definition = docDefinition(current)
    const text = serializeDoc(current)
    setSaving(true)
    setSaveError(undefined)
    try {
      const updated = await saveWorkflow(orgId, workflow.id, {
        definitionVersion: savedRef.current.version,
        name: current.name.trim(),
        description: current.description,
        definition,
      })
      savedRef.current = { version: updated.definitionVersion, serialized: text }
      setSavedSerialized(text)
      setMeta(updated)
      return { ok: true }
    } catch (error) {
      if (isApiError(error, 409) && error.errors.some((e) => e.code === 'stale_version')) {
        setConflict({ version: error.problem.currentDefinitionVersion })
      } else {
        setSaveError(error)
        if (isApiError(error, 400)) setServerProblems(locateFieldErrors(error.errors, definition))
      }
      return { ok: false, error }
    } finally {
      setSaving(false)
    }
  }, [editor, orgId, readOnly, workflow.id])

  // ---- deploy ---------------------------------------------------------------------------------
  const runDeploy = useCallback(async () => {
    const needsSave = dirty
    setDeploy({ save: needsSave ? 'active' : 'skipped', compile: needsSave ? 'pending' : 'active', store: 'pending', worker: 'pending' })
    if (needsSave) {
      const result = await save()
      if (!result.ok) {
        setDeploy((p) => p && { ...p, save: 'failed', error: result.error })
        return
      }
      setDeploy((p) => p && { ...p, save: 'done', compile: 'active' })
    }
    const definition = docDefinition(editor.current())
    try {
      const result = await deployWorkflow(orgId, workflow.id)
      setDeploy((p) => p && { ...p, compile: 'done', store: 'done', version: result.version, workflowType: result.workflowType, worker: result.pickedUp ? 'done' : 'warning' })
      setCodeRefresh((n) => n + 1)
      getWorkflow(orgId, workflow.id).then(
        (fresh) => setMeta((current) => ({ ...current, status: fresh.status, deployedAt: fresh.deployedAt, version: fresh.version })),
        () => undefined,
      )
    } catch (error) {
      const problems = isApiError(error) ? locateFieldErrors(error.errors, definition) : []
      if (problems.some((p) => p.nodeId !== null || p.edgeId !== null)) setServerProblems(problems)
      setDeploy((p) => p && { ...p, compile: 'failed', error, problems })
    }
  }, [dirty, editor, orgId, save, workflow.id])

  // ---- clipboard and keyboard -------------------------------------------------------------------
  const runAction = useCallback(
    (action: ShortcutAction) => {
      const current = editor.current()
      switch (action) {
        case 'undo':
          if (!readOnly) editor.undo()
          return
        case 'redo':
          if (!readOnly) editor.redo()
          return
        case 'copy':
        case 'cut': {
          const content = copySelection(current.nodes, current.edges)
          if (content === undefined) return
          writeClipboard(content)
          pasteCount.current = 0
          if (action === 'cut' && !readOnly) editor.commit((d) => deleteSelection(d))
          setNotice(`${action === 'cut' ? 'Cut' : 'Copied'} ${content.nodes.length} node${content.nodes.length === 1 ? '' : 's'}`)
          return
        }
        case 'paste':
        case 'duplicate': {
          if (readOnly) return
          const content = action === 'duplicate' ? copySelection(current.nodes, current.edges) : readClipboard()
          if (content === undefined) return
          const step = action === 'duplicate' ? 1 : ++pasteCount.current
          editor.commit((d) => {
            const pasted = pasteInto(content, d.nodes, d.edges, { x: 40 * step, y: 40 * step })
            return { ...d, nodes: pasted.nodes, edges: pasted.edges }
          })
          return
        }
        case 'delete':
          if (!readOnly) editor.commit((d) => deleteSelection(d))
          return
        case 'selectAll':
          editor.apply((d) => selectAll(d))
          return
        case 'deselect':
          editor.apply((d) => selectOnly(d, []))
          return
        case 'save':
          if (!readOnly && !saving) void save()
          return
        case 'layout':
          layout()
          return
        case 'fitView':
          void reactFlow.fitView({ padding: 0.2, duration: 200 })
          return
      }
    },
    [editor, layout, reactFlow, readOnly, save, saving],
  )

  useEffect(() => {
    if (tab !== 'canvas') return
    const isMac = isMacPlatform()
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return
      const target = event.target as Element | null
      if (target !== null && typeof target.closest === 'function' && target.closest('dialog') !== null) return
      const action = shortcutFor(event, isMac)
      if (action === undefined) return
      // In form fields only Save is ours; everything else (undo, copy, delete...) edits the text.
      if (isTypingTarget(event.target) && action !== 'save') return
      event.preventDefault()
      runAction(action)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [runAction, tab])

  // ---- unsaved changes guard ----------------------------------------------------------------------
  useEffect(() => {
    if (!dirty) return
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault()
      event.returnValue = ''
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [dirty])
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname)

  // ---- render -------------------------------------------------------------------------------------
  const labelOf = (nodeId: string) => doc.nodes.find((node) => node.id === nodeId)?.data.label || nodeId
  const selectedEdge = selectedNodes.length === 0 && selectedEdges.length === 1 ? selectedEdges[0] : undefined
  const selectedNode = selectedNodeId === undefined ? undefined : selectedNodes[0]

  let side
  if (selectedNode !== undefined) {
    side = (
      <NodePanel
        key={selectedNode.id}
        node={selectedNode}
        problems={problemIndex.byNode.get(selectedNode.id) ?? []}
        references={references}
        declarations={declarations}
        readOnly={readOnly}
        onChange={(patch, key) => changeNode(selectedNode.id, patch, key)}
        onDelete={() => editor.commit((d) => deleteElements(d, [selectedNode.id]))}
      />
    )
  } else if (selectedEdge !== undefined) {
    side = (
      <EdgePanel
        edge={selectedEdge}
        nodes={doc.nodes}
        problems={problemIndex.byEdge.get(selectedEdge.id) ?? []}
        readOnly={readOnly}
        onDelete={() => editor.commit((d) => deleteElements(d, [], [selectedEdge.id]))}
      />
    )
  } else if (selectedNodes.length + selectedEdges.length > 1) {
    side = (
      <SelectionPanel
        nodeCount={selectedNodes.length}
        edgeCount={selectedEdges.length}
        readOnly={readOnly}
        onDelete={() => editor.commit((d) => deleteSelection(d))}
      />
    )
  } else {
    side = (
      <WorkflowPanel
        name={doc.name}
        description={doc.description}
        base={doc.base}
        problems={problemIndex.general}
        readOnly={readOnly}
        onMetaChange={(patch, key) => {
          if (!readOnly) editor.commit((d: EditorDoc) => ({ ...d, ...patch }), { coalesceKey: key })
        }}
        onBaseChange={(patch, key) => {
          if (!readOnly) editor.commit((d: EditorDoc) => ({ ...d, base: { ...d.base, ...patch } }), { coalesceKey: key })
        }}
      />
    )
  }

  return (
    <div className="editor">
      <header className="editor-toolbar">
        <Link to={`/orgs/${orgId}/workflows`} className="back-link">
          ← Workflows
        </Link>
        <h1 className="editor-title" title={meta.kebabName}>
          {doc.name || meta.name}
        </h1>
        <span className={`pill pill-${meta.status}`}>{meta.status}</span>
        <span className="save-state" role="status" aria-live="polite" data-testid="save-state">
          {saving ? 'Saving…' : dirty ? 'Unsaved changes' : 'All changes saved'}
        </span>
        <span className="spacer" />
        <div role="tablist" aria-label="Editor view" className="tabs">
          <button type="button" role="tab" aria-selected={tab === 'canvas'} onClick={() => setTab('canvas')}>
            Canvas
          </button>
          <button type="button" role="tab" aria-selected={tab === 'code'} onClick={() => setTab('code')}>
            Code
          </button>
        </div>
        {tab === 'canvas' && (
          <div className="toolbar-group" role="group" aria-label="Canvas tools">
            {!readOnly && (
              <>
                <button type="button" onClick={editor.undo} disabled={!editor.canUndo} aria-label="Undo" title="Undo (Ctrl+Z)">
                  Undo
                </button>
                <button type="button" onClick={editor.redo} disabled={!editor.canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
                  Redo
                </button>
                <button type="button" onClick={layout} disabled={doc.nodes.length === 0} aria-label="Auto-layout" title="Auto-layout (Shift+L)">
                  Auto-layout
                </button>
              </>
            )}
            <button type="button" onClick={() => void reactFlow.fitView({ padding: 0.2, duration: 200 })} aria-label="Fit view" title="Fit view (Shift+1)">
              Fit view
            </button>
            <button type="button" onClick={() => setShowShortcuts(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts">
              ?
            </button>
          </div>
        )}
        {!readOnly && (
          <>
            <button type="button" onClick={() => void save()} disabled={saving || !dirty} title="Save (Ctrl+S)">
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button type="button" onClick={() => void runDeploy()} disabled={saving || deploy !== undefined}>
              Deploy
            </button>
          </>
        )}
        <button type="button" onClick={() => setShowSchedules(true)} title="Cron schedules that start runs of the deployed version">
          Schedules
        </button>
        <button type="button" onClick={() => setShowConfigs(true)} title="Named, versioned sets of node settings a run can use">
          Configs
        </button>
        {canWrite && (
          <button
            type="button"
            className="primary"
            onClick={() => setRunning(true)}
            disabled={meta.deployedAt === null || meta.status === 'archived' || meta.status === 'paused'}
            title={meta.deployedAt === null ? 'Deploy the workflow first' : meta.status === 'paused' ? 'Paused workflows start no runs' : 'Run the deployed version'}
          >
            Run
          </button>
        )}
      </header>

      {meta.status === 'archived' && (
        <div className="banner" role="note">
          This workflow is archived and read-only.
          {canWrite && (
            <button
              type="button"
              className="small"
              onClick={async () => {
                try {
                  setMeta(await setWorkflowStatus(orgId, workflow.id, 'draft'))
                } catch (error) {
                  setSaveError(error)
                }
              }}
            >
              Restore to draft
            </button>
          )}
        </div>
      )}
      {!canWrite && <div className="banner" role="note">You have read-only access to this organisation.</div>}
      {saveError !== undefined && (
        <div className="banner banner-error" role="alert">
          Save failed: {errorMessage(saveError)}
          <button type="button" className="small" onClick={() => setSaveError(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      {notice !== undefined && (
        <div className="toast" role="status">
          {notice}
        </div>
      )}

      {tab === 'code' ? (
        <div className="editor-body" role="tabpanel" aria-label="Code">
          <CodeView orgId={orgId} workflowId={workflow.id} refreshKey={codeRefresh} />
        </div>
      ) : (
        <div className="editor-body" role="tabpanel" aria-label="Canvas">
          {!readOnly &&
            (palette.loading && palette.entries.length === 0 ? (
              <aside className="palette">
                <Loading label="Loading components…" />
              </aside>
            ) : palette.error !== undefined ? (
              <aside className="palette">
                <ErrorState error={palette.error} title="Cannot load components" onRetry={palette.reload} />
              </aside>
            ) : (
              <Palette entries={palette.entries} onAdd={addFromPalette} />
            ))}
          <div className="editor-canvas" ref={canvasRef} onDragOver={onDragOver} onDrop={onDrop}>
            <CanvasDecorationsContext.Provider value={decorations}>
              <ReactFlow<WorkflowFlowNode, WorkflowFlowEdge>
                nodes={doc.nodes}
                edges={renderedEdges}
                nodeTypes={nodeTypes}
                onNodesChange={editor.onNodesChange}
                onEdgesChange={editor.onEdgesChange}
                onConnect={onConnect}
                isValidConnection={isValidConnection}
                onNodeDragStart={editor.beginGesture}
                onNodeDragStop={editor.endGesture}
                onSelectionDragStart={editor.beginGesture}
                onSelectionDragStop={editor.endGesture}
                deleteKeyCode={null}
                selectionKeyCode="Shift"
                multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
                nodesDraggable={!readOnly}
                nodesConnectable={!readOnly}
                edgesReconnectable={false}
                fitView
                fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
                minZoom={0.1}
                defaultEdgeOptions={{ type: 'smoothstep' }}
                // Large graphs only (bench/HTTP-AND-BROWSER.md: 2,000 nodes TTI 2.39 -> 1.77 s, pan 20 -> 60 fps);
                // small ones keep every node in the DOM, as keyboard and browser tests expect.
                onlyRenderVisibleElements={doc.nodes.length > LARGE_GRAPH_NODES}
                aria-label="Workflow canvas"
              >
                <Background />
                <MiniMap pannable zoomable ariaLabel="Mini map" />
                <Controls showInteractive={false} position="top-left" />
              </ReactFlow>
            </CanvasDecorationsContext.Provider>
            {doc.nodes.length === 0 && (
              <div className="canvas-empty">
                <strong>The canvas is empty.</strong>
                <span>{readOnly ? 'This workflow has no nodes.' : 'Add a trigger from the palette to start: click it or drag it here.'}</span>
              </div>
            )}
            <ProblemsPanel problems={problemIndex.all} status={validation.status} onSelect={focusElement} labelOf={labelOf} />
          </div>
          <aside className="editor-side" aria-label="Inspector">
            {side}
          </aside>
        </div>
      )}

      {deploy !== undefined && (
        <DeployDialog
          progress={deploy}
          onClose={() => setDeploy(undefined)}
          onShowCode={() => {
            setDeploy(undefined)
            setTab('code')
          }}
        />
      )}
      {showSchedules && (
        <SchedulesDialog
          orgId={orgId}
          workflowId={workflow.id}
          canWrite={canWrite && meta.status !== 'archived'}
          deployed={meta.deployedAt !== null}
          onClose={() => setShowSchedules(false)}
        />
      )}
      {showConfigs && (
        <NamedConfigsDialog orgId={orgId} workflowId={workflow.id} canWrite={canWrite && meta.status !== 'archived'} onClose={() => setShowConfigs(false)} />
      )}
      {running && (
        <RunDialog
          orgId={orgId}
          workflowId={workflow.id}
          inputSchema={doc.base.inputSchema}
          hasUnsavedChanges={dirty}
          onClose={() => setRunning(false)}
          onStart={async (input, options) => {
            const { runId } = await startRunWithOptions(orgId, workflow.id, input, options)
            setRunning(false)
            navigate(`/orgs/${orgId}/runs/${runId}`)
          }}
        />
      )}
      <Dialog open={conflict !== undefined} title="Someone else saved this workflow" onClose={() => setConflict(undefined)}>
        <p>
          This workflow was saved by someone else since you opened it
          {conflict?.version !== undefined ? ` (it is now at version ${conflict.version})` : ''}. Your changes were not saved.
        </p>
        <p>Reload to get the latest version, then apply your changes again. You can copy your version first to keep it at hand.</p>
        <div className="dialog-footer">
          <CopyButton text={JSON.stringify(docDefinition(doc), null, 2)} label="Copy my version (JSON)" />
          <button type="button" onClick={() => setConflict(undefined)}>
            Keep editing
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setConflict(undefined)
              onReload()
            }}
          >
            Reload latest version
          </button>
        </div>
      </Dialog>
      <Dialog open={showShortcuts} title="Keyboard shortcuts" onClose={() => setShowShortcuts(false)}>
        <table className="table compact">
          <tbody>
            {SHORTCUT_HELP.map((shortcut) => (
              <tr key={shortcut.keys}>
                <th scope="row">
                  <kbd>{shortcut.keys.replace(/Mod/g, isMacPlatform() ? '⌘' : 'Ctrl')}</kbd>
                </th>
                <td>{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Dialog>
      <ConfirmDialog
        open={blocker.state === 'blocked'}
        title="Leave without saving?"
        confirmLabel="Leave"
        danger
        onConfirm={() => blocker.proceed?.()}
        onClose={() => {
          if (blocker.state === 'blocked') blocker.reset()
        }}
      >
        <p>You have unsaved changes to “{doc.name}”. They will be lost.</p>
      </ConfirmDialog>
    </div>
  )
}
