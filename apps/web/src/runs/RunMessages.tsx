import { useState } from 'react'
import { workflowQueries, workflowSignals, type WorkflowDefinition } from '@workflow-builder/definition'
import { queryRun } from '../api/client.ts'
import { JsonViewer } from '../ui/JsonViewer.tsx'
import { InlineError } from '../ui/states.tsx'
import { SignalDialog } from './RunActions.tsx'
import { WorkQueuePanel } from './WorkQueuePanel.tsx'

/**
 * What a run answers while it is open: its work queues (contents, add an item), a button per
 * signal (a form from the parameter schema) and its queries (results shown on demand).
 */
export function RunMessages({
  orgId,
  runId,
  definition,
  open,
  canWrite,
  onSignal,
}: {
  orgId: string
  runId: string
  definition: WorkflowDefinition
  open: boolean
  canWrite: boolean
  onSignal: (name: string, payload: unknown) => Promise<void>
}) {
  const signals = workflowSignals(definition)
  const queries = workflowQueries(definition)
  const queues = definition.workQueues ?? []
  const [signal, setSignal] = useState<string | undefined>(undefined)
  const [results, setResults] = useState<Record<string, { result?: unknown; error?: unknown }>>({})
  if (signals.length === 0 && queries.length === 0 && queues.length === 0) return null

  const ask = async (name: string) => {
    try {
      const answer = await queryRun(orgId, runId, name)
      setResults((r) => ({ ...r, [name]: { result: answer.result } }))
    } catch (error) {
      setResults((r) => ({ ...r, [name]: { error } }))
    }
  }

  return (
    <div className="run-messages">
      {queues.map((queue) => (
        <WorkQueuePanel key={queue.name} orgId={orgId} runId={runId} queue={queue} open={open} canWrite={canWrite} />
      ))}
      {canWrite && open && signals.length > 0 && (
        <section className="side-panel" aria-label="Signals">
          <h3 className="panel-subtitle">Signals</h3>
          <div className="signal-buttons">
            {signals.map((s) => (
              <button key={s.name} type="button" title={s.description} onClick={() => setSignal(s.name)}>
                {s.name}
              </button>
            ))}
          </div>
          {signal !== undefined && <SignalDialog signals={signals} initialName={signal} onSend={onSignal} onClose={() => setSignal(undefined)} />}
        </section>
      )}
      {queries.length > 0 && (
        <section className="side-panel" aria-label="Queries">
          <h3 className="panel-subtitle">Queries</h3>
          {queries.map((q) => (
            <div key={q.name} className="query-row">
              <button type="button" className="small" onClick={() => void ask(q.name)} title={q.description}>
                Query {q.name}
              </button>
              {q.description !== undefined && <span className="muted small-text"> {q.description}</span>}
              {results[q.name]?.error !== undefined && <InlineError error={results[q.name]?.error} />}
              {results[q.name] !== undefined && results[q.name]?.error === undefined && <JsonViewer label={`Result of ${q.name}`} value={results[q.name]?.result ?? null} />}
            </div>
          ))}
        </section>
      )}
    </div>
  )
}
