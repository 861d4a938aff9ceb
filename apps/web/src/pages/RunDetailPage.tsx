import { useMemo, useState } from 'react'
import { workflowSignals } from '@workflow-builder/definition'
import { Link, useNavigate, useParams } from 'react-router'
import { cancelRun, getRun, retryRun, signalRun, terminateRun } from '../api/client.ts'
import { useOrg } from '../auth/org-context.tsx'
import { normaliseDefinition } from '../editor/document.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { usePolling } from '../hooks/usePolling.ts'
import { GanttChart } from '../runs/GanttChart.tsx'
import { RunActions } from '../runs/RunActions.tsx'
import { RunCanvas } from '../runs/RunCanvas.tsx'
import { RunMessages } from '../runs/RunMessages.tsx'
import { StepInspector } from '../runs/StepInspector.tsx'
import { RunConfigFacts } from '../runs/RunConfigFacts.tsx'
import { ChildRunsList, ParentRunLink } from '../runs/RunFamily.tsx'
import { isRunInFlight, nodeStatuses, runStatusStyle } from '../runs/step-status.ts'
import { elapsedMs, formatDateTime, formatDuration } from '../ui/format.ts'
import { JsonViewer } from '../ui/JsonViewer.tsx'
import { ErrorState, InlineError, Loading } from '../ui/states.tsx'
import { StatusBadge } from '../ui/StatusBadge.tsx'

const POLL_MS = 2000

/**
 * `/orgs/:orgId/runs/:runId`: the run drawn on its workflow, a timeline of steps, a step
 * inspector, and run actions for members who may act. Refreshes while the run is in flight.
 */
export function RunDetailPage() {
  const { runId = '' } = useParams()
  const { org, permissions } = useOrg()
  const navigate = useNavigate()
  const detail = useAsync((signal) => getRun(org.id, runId, signal), [org.id, runId])
  const [selectedStep, setSelectedStep] = useState<number | undefined>(undefined)
  const [selectedNode, setSelectedNode] = useState<string | undefined>(undefined)

  const run = detail.data?.run
  const steps = useMemo(() => detail.data?.steps ?? [], [detail.data])
  const childRuns = useMemo(() => detail.data?.children ?? [], [detail.data])
  const inFlight = run !== undefined && isRunInFlight(run.status)
  usePolling(detail.reload, POLL_MS, inFlight)
  const [now, setNow] = useState(() => Date.now())
  usePolling(() => setNow(Date.now()), 1000, inFlight)

  const definition = useMemo(() => normaliseDefinition(run?.definition), [run?.definition])
  const statusByNode = useMemo(
    () => nodeStatuses(definition.nodes.map((node) => node.id), steps, inFlight),
    [definition.nodes, steps, inFlight],
  )
  const labelOf = (nodeId: string) => definition.nodes.find((node) => node.id === nodeId)?.label || nodeId

  if (detail.error !== undefined && detail.data === undefined) return <ErrorState error={detail.error} title="Cannot load the run" onRetry={detail.reload} />
  if (run === undefined) return <Loading label="Loading run…" />

  const step = steps.find((s) => s.stepNumber === selectedStep)
  const siblings = step === undefined ? [] : steps.filter((s) => s.nodeId === step.nodeId)
  const selectNode = (nodeId: string | undefined) => {
    setSelectedNode(nodeId)
    const latest = nodeId === undefined ? undefined : steps.filter((s) => s.nodeId === nodeId).sort((a, b) => b.stepNumber - a.stepNumber)[0]
    setSelectedStep(latest?.stepNumber)
  }
  // Errors surface in the action's dialog, which stays open.
  const act = async (action: () => Promise<unknown>) => {
    await action()
    detail.reload()
  }

  return (
    <main className="page run-page">
      <header className="page-header run-header">
        <div>
          <p className="breadcrumb">
            <Link to={`/orgs/${org.id}/runs`}>Runs</Link> /{' '}
            {run.workflowName === null ? <span>(deleted workflow)</span> : <Link to={`/orgs/${org.id}/workflows/${run.workflowId}`}>{run.workflowName}</Link>}
          </p>
          <h1>
            Run <code>{run.runId.slice(0, 8)}</code> <StatusBadge style={runStatusStyle(run.status)} status={run.status} />
          </h1>
          <dl className="facts inline">
            <dt>Started</dt>
            <dd>{formatDateTime(run.startedAt)}</dd>
            <dt>Ended</dt>
            <dd>{formatDateTime(run.endedAt)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(run.durationMs ?? elapsedMs(run.startedAt, run.endedAt, now))}</dd>
            <dt>Channel</dt>
            <dd>{run.channel}</dd>
            <RunConfigFacts snapshot={(run as { configSnapshot?: unknown }).configSnapshot} />
            {typeof run.parentRunId === 'string' && <ParentRunLink orgId={org.id} parentRunId={run.parentRunId} parentStepNumber={run.parentStepNumber ?? null} />}
            {run.temporalWorkflowId !== null && (
              <>
                <dt>Temporal workflow id</dt>
                <dd>
                  <code>{run.temporalWorkflowId}</code>
                </dd>
              </>
            )}
          </dl>
        </div>
        <span className="spacer" />
        {inFlight && (
          <span className="live-indicator" role="status">
            Live
          </span>
        )}
        {run.temporalUiUrl !== null && (
          <a href={run.temporalUiUrl} target="_blank" rel="noopener noreferrer">
            Open in Temporal UI
          </a>
        )}
        {permissions.canWrite && (
          <RunActions
            inFlight={inFlight}
            signals={workflowSignals(definition)}
            onCancel={() => act(() => cancelRun(org.id, run.runId))}
            onTerminate={(reason) => act(() => terminateRun(org.id, run.runId, reason))}
            onRetry={async () => {
              const started = await retryRun(org.id, run.runId)
              navigate(`/orgs/${org.id}/runs/${started.runId}`)
            }}
            onSignal={(name, payload) => act(() => signalRun(org.id, run.runId, name, payload))}
          />
        )}
      </header>
      {detail.error !== undefined && <InlineError error={detail.error} />}
      {detail.data?.stepsTruncated === true && (
        <p className="banner" role="note">
          This run has more steps than can be shown; the first {steps.length} are listed.
        </p>
      )}
      {run.errorMessage !== null && (
        <div className="error-box" role="alert">
          <h4>Run error</h4>
          <pre>{run.errorMessage}</pre>
        </div>
      )}

      <div className="run-layout">
        <div className="run-main">
          <div className="run-canvas">
            {definition.nodes.length === 0 ? (
              <p className="muted">{run.definition === null ? 'The definition of the version that ran is not available.' : 'The definition of this run has no nodes.'}</p>
            ) : (
              <RunCanvas definition={definition} statusByNode={statusByNode} selectedNodeId={step?.nodeId ?? selectedNode} onSelectNode={selectNode} />
            )}
          </div>
          <GanttChart
            steps={steps}
            runStartedAt={run.startedAt}
            runEndedAt={run.endedAt}
            now={now}
            labelOf={labelOf}
            selectedStep={selectedStep}
            onSelectStep={(stepNumber) => {
              setSelectedStep(stepNumber)
              setSelectedNode(steps.find((s) => s.stepNumber === stepNumber)?.nodeId)
            }}
          />
          <ChildRunsList orgId={org.id} runs={childRuns} labelOf={labelOf} />
          <RunMessages
            orgId={org.id}
            runId={run.runId}
            definition={definition}
            open={inFlight}
            canWrite={permissions.canWrite}
            onSignal={(name, payload) => act(() => signalRun(org.id, run.runId, name, payload))}
          />
        </div>
        <aside className="run-side" aria-label="Inspector">
          {step !== undefined ? (
            <StepInspector step={step} siblings={siblings} label={labelOf(step.nodeId)} onSelectStep={setSelectedStep}>
              <ChildRunsList orgId={org.id} runs={childRuns.filter((c) => c.parentStepNumber === step.stepNumber)} title="Started run" />
            </StepInspector>
          ) : selectedNode !== undefined ? (
            <section className="side-panel">
              <h2 className="panel-title">{labelOf(selectedNode)}</h2>
              <p className="muted">This node has not run{inFlight ? ' yet' : ' in this run'}.</p>
            </section>
          ) : (
            <section className="side-panel" aria-label="Run data">
              <h2 className="panel-title">Run</h2>
              <p className="muted">Select a node or a timeline bar to inspect its step.</p>
              <JsonViewer label="Run input" value={run.input ?? undefined} />
              <JsonViewer label="Run output" value={run.output ?? undefined} />
            </section>
          )}
        </aside>
      </div>
    </main>
  )
}
