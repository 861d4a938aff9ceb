import { errorMessage } from '../api/http.ts'
import { Dialog } from '../ui/Dialog.tsx'
import type { LocatedProblem } from './problem-locations.ts'

export type StepState = 'pending' | 'active' | 'done' | 'warning' | 'failed' | 'skipped'

/** Progress of one deploy: save (when needed) → compile → stored as version N → picked up by a worker. */
export interface DeployProgress {
  save: StepState
  compile: StepState
  store: StepState
  worker: StepState
  version?: number
  workflowType?: string
  error?: unknown
  problems?: readonly LocatedProblem[]
}

const ICON: Record<StepState, string> = { pending: '○', active: '…', done: '✓', warning: '!', failed: '✗', skipped: '–' }

function Step({ state, children }: { state: StepState; children: React.ReactNode }) {
  return (
    <li className={`deploy-step deploy-step-${state}`} data-state={state}>
      <span className="deploy-step-icon" aria-hidden="true">
        {ICON[state]}
      </span>
      <span>{children}</span>
    </li>
  )
}

/** Shows a deploy's progress as an ordered list of steps with their states. */
export function DeployDialog({ progress, onClose, onShowCode }: { progress: DeployProgress; onClose: () => void; onShowCode: () => void }) {
  const finished = progress.worker === 'done' || progress.worker === 'warning' || progress.error !== undefined
  return (
    <Dialog
      open
      title="Deploy"
      onClose={onClose}
      footer={
        <>
          {progress.store === 'done' && (
            <button type="button" onClick={onShowCode}>
              View code
            </button>
          )}
          <button type="button" className="primary" onClick={onClose} disabled={!finished}>
            {finished ? 'Close' : 'Deploying…'}
          </button>
        </>
      }
    >
      <ol className="deploy-steps" aria-label="Deploy progress">
        {progress.save !== 'skipped' && <Step state={progress.save}>Saving changes</Step>}
        <Step state={progress.compile}>Compiling to TypeScript{progress.compile === 'active' ? ' and activating (then waiting for a worker, up to 15 s)' : ''}</Step>
        <Step state={progress.store}>{progress.version === undefined ? 'Storing the new version' : `Stored as version ${progress.version}`}</Step>
        <Step state={progress.worker}>
          {progress.worker === 'warning'
            ? 'No worker has picked it up yet: runs start once a worker serving this project loads it'
            : progress.worker === 'done'
              ? 'Worker picked it up'
              : 'Waiting for a worker to pick it up'}
        </Step>
      </ol>
      {progress.workflowType !== undefined && (
        <p className="muted small-text">
          Temporal workflow type: <code>{progress.workflowType}</code>
        </p>
      )}
      {progress.error !== undefined && (
        <div role="alert" className="inline-error">
          <p>{errorMessage(progress.error)}</p>
          {progress.problems !== undefined && progress.problems.length > 0 && (
            <ul className="problem-list" aria-label="Deploy problems">
              {progress.problems.map((problem, index) => (
                <li key={index}>
                  {problem.nodeId !== null && <strong>{problem.nodeId} </strong>}
                  {problem.field !== '' && <code>{problem.field}</code>} {problem.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Dialog>
  )
}
